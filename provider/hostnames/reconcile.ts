/**
 * Makes the custom hostnames of some owners (tenants) what they declare, in one pass, so a hostname
 * that moves between two of them in one `up` never meets Cloudflare's duplicate-hostname error
 * (409/1406): the hostnames the owners held are read first (one GET each), a declared hostname that
 * one of them already holds is kept under its id and edited in place when its settings differ
 * (PATCH: metadata, origin and validation method are editable, the hostname itself is not;
 * SDK `CustomHostnameEditParams`), so it stays verified; the ones no longer declared are deleted, and
 * only then are the new ones created. Every request goes through the session's request policy;
 * `parallelism` steps are in flight at once.
 *
 * A held hostname found changed to something its owner never declared (`declared` given) was taken
 * over by another resource since: it is left alone, not deleted. With `takeOver`, a create refused as
 * a duplicate takes the existing hostname of that name over (edited to this declaration): how a
 * hostname moves between two resources whose updates the engine runs in either order. Without it, a
 * duplicate is taken only when it already is exactly as declared (an interrupted `up` made it before
 * state recorded it); any other is refused, naming the hostname.
 */
import {
  type CustomHostname as Answer,
  createCustomHostname,
  deleteCustomHostname,
  editCustomHostname,
  getCustomHostname,
  listCustomHostnames,
} from "../cloudflare/endpoints/custom-hostnames";
import { describeFailure, httpStatus, isNotFound } from "../cloudflare/errors";
import type { Session } from "../cloudflare/session";
import { settleEach } from "../fleet/pool";
import { type CustomHostnameSpec, createBody, editBody, isAsDeclared } from "./rules";

/** A custom hostname an owner holds, as Cloudflare last reported it. */
export interface PlacedHostname {
  id: string;
  /** The hostname; "" for one that could not be read. */
  hostname: string;
  /** Cloudflare's verification status, e.g. "pending", "active". */
  status: string;
}

/** What an owner had before this pass: its hostnames' ids in a zone, and (when known) what it declared. */
export interface HeldHostnames {
  zoneId: string;
  ids: readonly string[];
  /** The owner's last declaration, by hostname: a held hostname no longer like it was taken over by another resource. */
  declared?: ReadonlyMap<string, CustomHostnameSpec>;
}

/** What an owner declares now (no hostnames: it leaves, with them). */
export interface WantedHostnames {
  zoneId: string;
  hostnames: readonly CustomHostnameSpec[];
}

export interface Reconciled {
  /** Per owner: the hostnames it holds now, in the order it declares them (then any it could not let go of). */
  placed: Map<string, PlacedHostname[]>;
  /** Per owner whose hostnames are not all as declared: why (its `placed` is what it does hold). */
  failed: Map<string, string>;
}

interface Found {
  owner: string;
  zoneId: string;
  answer: Answer;
}

const keyOf = (zoneId: string, hostname: string) => `${zoneId} ${hostname}`;
const placedOf = (answer: Answer): PlacedHostname => ({ id: answer.id, hostname: answer.hostname, status: answer.status ?? "pending" });

export async function reconcileHostnames(
  session: Session,
  held: ReadonlyMap<string, HeldHostnames>,
  wanted: ReadonlyMap<string, WantedHostnames>,
  parallelism: number,
  options: { takeOver?: boolean } = {},
): Promise<Reconciled> {
  const failed = new Map<string, string>();
  const fail = (owner: string, reason: string) => failed.set(owner, failed.has(owner) ? `${failed.get(owner)}; ${reason}` : reason);
  const kept = new Map<string, PlacedHostname[]>();
  const keep = (owner: string, placed: PlacedHostname) => (kept.get(owner) ?? kept.set(owner, []).get(owner)!).push(placed);

  // 1. What the owners hold, by zone and hostname.
  const reads = [...held].flatMap(([owner, h]) => h.ids.map((id) => ({ owner, zoneId: h.zoneId, id, declared: h.declared })));
  const found = new Map<string, Found>();
  const readOutcomes = await settleEach(reads, parallelism, async (r) => {
    try {
      return await getCustomHostname(session, r.zoneId, r.id);
    } catch (error) {
      if (isNotFound(error)) return undefined; // deleted outside Pulumi: nothing to keep or delete
      throw describeFailure(`reading custom hostname ${r.id}`, error);
    }
  });
  for (const outcome of readOutcomes) {
    const r = outcome.item;
    if (!outcome.ok) {
      fail(r.owner, outcome.reason);
      keep(r.owner, { id: r.id, hostname: "", status: "unknown" }); // not read: still held, retried by the next up
      continue;
    }
    const answer = outcome.value;
    if (answer === undefined) continue;
    const declared = r.declared?.get(answer.hostname);
    if (r.declared !== undefined && (declared === undefined || !isAsDeclared(answer, declared))) continue; // taken over since
    found.set(keyOf(r.zoneId, answer.hostname), { owner: r.owner, zoneId: r.zoneId, answer });
  }

  // 2. Declared hostnames someone already holds: kept under their id, edited where their settings differ.
  const creates: Array<{ owner: string; zoneId: string; spec: CustomHostnameSpec }> = [];
  const edits: Array<{ owner: string; zoneId: string; spec: CustomHostnameSpec; answer: Answer }> = [];
  const claimed = new Set<string>();
  for (const [owner, w] of wanted) {
    for (const spec of w.hostnames) {
      const key = keyOf(w.zoneId, spec.hostname);
      const existing = found.get(key);
      if (existing === undefined) creates.push({ owner, zoneId: w.zoneId, spec });
      else {
        claimed.add(key);
        edits.push({ owner, zoneId: w.zoneId, spec, answer: existing.answer });
      }
    }
  }
  const editOutcomes = await settleEach(edits, parallelism, async (e) => {
    if (isAsDeclared(e.answer, e.spec)) return e.answer;
    try {
      return await editCustomHostname(session, e.zoneId, e.answer.id, editBody(e.spec));
    } catch (error) {
      throw describeFailure(`editing custom hostname '${e.spec.hostname}'`, error);
    }
  });
  for (const outcome of editOutcomes) {
    const e = outcome.item;
    if (outcome.ok) keep(e.owner, placedOf(outcome.value));
    else {
      fail(e.owner, outcome.reason);
      keep(e.owner, placedOf(e.answer)); // still there, under the new owner, with its old settings
    }
  }

  // 3. Held hostnames no longer declared: deleted before any create, so a name is free when it is created again.
  const deletes = [...found].filter(([key]) => !claimed.has(key)).map(([, f]) => f);
  const deleteOutcomes = await settleEach(deletes, parallelism, async (d) => {
    try {
      await deleteCustomHostname(session, d.zoneId, d.answer.id);
    } catch (error) {
      if (!isNotFound(error)) throw describeFailure(`deleting custom hostname '${d.answer.hostname}'`, error);
    }
  });
  for (const outcome of deleteOutcomes) {
    if (outcome.ok) continue;
    fail(outcome.item.owner, outcome.reason);
    keep(outcome.item.owner, placedOf(outcome.item.answer)); // still there: its owner keeps it until a delete succeeds
  }

  // 4. The new ones.
  const createOutcomes = await settleEach(creates, parallelism, async (c) => {
    try {
      return await createCustomHostname(session, c.zoneId, createBody(c.spec));
    } catch (error) {
      if (httpStatus(error) === 409) {
        // Exactly as declared: made by an `up` that was interrupted before state recorded it. Otherwise only with `takeOver`.
        const existing = await findByName(session, c.zoneId, c.spec.hostname);
        if (existing && isAsDeclared(existing, c.spec)) return existing;
        if (existing && options.takeOver) return editCustomHostname(session, c.zoneId, existing.id, editBody(c.spec));
      }
      const hint =
        httpStatus(error) === 409
          ? "the zone already has this custom hostname (another resource's, or made outside Pulumi); remove it there first"
          : "check the hostname and the zoneId";
      throw describeFailure(`creating custom hostname '${c.spec.hostname}' in zone ${c.zoneId}`, error, hint);
    }
  });
  for (const outcome of createOutcomes) {
    if (outcome.ok) keep(outcome.item.owner, placedOf(outcome.value));
    else fail(outcome.item.owner, outcome.reason);
  }

  // Each owner's hostnames in its declared order.
  const placed = new Map<string, PlacedHostname[]>();
  const owners = new Set([...held.keys(), ...wanted.keys()]);
  for (const owner of owners) {
    const order = new Map((wanted.get(owner)?.hostnames ?? []).map((s, i) => [s.hostname, i]));
    const rank = (hostname: string) => order.get(hostname) ?? Number.MAX_SAFE_INTEGER;
    placed.set(
      owner,
      (kept.get(owner) ?? []).sort((a, b) => rank(a.hostname) - rank(b.hostname)),
    );
  }
  return { placed, failed };
}

async function findByName(session: Session, zoneId: string, hostname: string): Promise<Answer | undefined> {
  for await (const h of listCustomHostnames(session, zoneId, hostname)) if (h.hostname === hostname) return h;
  return undefined;
}
