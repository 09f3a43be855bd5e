/**
 * What a TenantFleet registers for its tenants: each tenant's spec as one JSON text, and every
 * tenant's secret bindings as one secret text. The engine encodes every nested value of every input
 * at each step; one string per tenant instead of its spec's dozen values is most of the time a no-op
 * preview of ten thousand tenants takes. State keeps these inputs, so their bytes are state per
 * tenant: bindings are written in their compact form (provider/fleet/packed-spec.ts), and secret
 * bindings go into one secret for all tenants (provider/fleet/tenant-secrets.ts) rather than making
 * each such tenant a secret of its own (an envelope and its whole spec as ciphertext, per tenant).
 *
 * A spec of plain values (strings, numbers, plain objects: what tenants read from a customer list
 * usually are) is encoded right here, with no Output. Any other spec is encoded once resolved, and
 * its Output keeps what matters of the parts: their dependencies, their secrecy outside bindings
 * (a tenant with a secret `content`, say, is a secret as a whole), and unknowns at preview (a tenant
 * with an unknown part is unknown, the others are not; one whose secret bindings are unknown is
 * marked so in the secret text, which stays known).
 * `preview --diff` shows a changed tenant's JSON as a structured diff.
 */
import * as pulumi from "@pulumi/pulumi";
import { packedText } from "../provider/fleet/packed-spec";
import { type TenantSecrets, UNKNOWN_SECRETS, storedTenantSecrets } from "../provider/fleet/tenant-secrets";
import type { BindingSpec } from "../provider";
import { type Bindings, asSecret, specOfValue, toSpec } from "./bindings";
import type { TenantArgs } from "./tenant-fleet";
import { type OutputParts, outputFromParts, partsOf } from "./output-parts";
import { isPlainData } from "./plain-data";
import { type WorkerArgs, workerInputs } from "./worker-args";

/** What a fleet registers for its tenants: their texts, their secret bindings when any tenant may have some, and the defaults' text. */
export interface PackedFleet {
  /** Each tenant's text, or (tenants packed together) one Output of them all. */
  tenants: pulumi.Input<Record<string, pulumi.Input<string>>>;
  tenantSecrets?: pulumi.Output<string | undefined>;
  defaults?: pulumi.Input<string>;
}

/** The fleet's tenants and defaults as registered, bindings every tenant shares written once (`sharedBindings`). */
export function packedFleet(tenants: Record<string, TenantArgs>, defaults: WorkerArgs | undefined): PackedFleet {
  const shared = sharedBindings(tenants, defaults);
  return {
    ...(packedTogether(shared.tenants) ?? packedTenants(shared.tenants)),
    defaults: shared.defaults === undefined ? undefined : packedSpec(shared.defaults),
  };
}

/**
 * Bindings that every tenant gives under the same name with the very same value (one KV namespace
 * or string bound by all, say), and the defaults do not, moved into the defaults: registered, and
 * kept in state, once instead of once per tenant. Tenants' bindings are merged over the defaults'
 * name by name (provider/fleet/spec.ts), so every tenant's upload, and fingerprint, is the same.
 */
export function sharedBindings<T extends WorkerArgs>(
  tenants: Record<string, T>,
  defaults: WorkerArgs | undefined,
): { tenants: Record<string, T>; defaults: WorkerArgs | undefined } {
  const specs = Object.values(tenants);
  const maps = specs.map((spec) => spec.bindings);
  const defaultMap = defaults?.bindings;
  if (specs.length < 2 || !maps.every(isBindingMap) || !(defaultMap === undefined || isBindingMap(defaultMap)))
    return { tenants, defaults };
  const first = maps[0];
  const names = Object.keys(first).filter(
    (name) => first[name] !== undefined && defaultMap?.[name] === undefined && maps.every((m) => m[name] === first[name]),
  );
  if (names.length === 0) return { tenants, defaults };
  const hoisted = Object.fromEntries(names.map((name) => [name, first[name]]));
  const without = (spec: T): T => {
    const rest = Object.fromEntries(Object.entries(spec.bindings as Bindings).filter(([name]) => !(name in hoisted)));
    const { bindings: _dropped, ...others } = spec;
    return (Object.keys(rest).length === 0 ? others : { ...others, bindings: rest }) as T;
  };
  return {
    tenants: Object.fromEntries(Object.entries(tenants).map(([name, spec]) => [name, without(spec)])),
    defaults: { ...(defaults ?? {}), bindings: { ...hoisted, ...defaultMap } },
  };
}

/** A map of bindings given as such, not as one Output or promise of a map. */
function isBindingMap(value: unknown): value is Bindings {
  return (
    value !== null && typeof value === "object" && !Array.isArray(value) && !pulumi.Output.isInstance(value) && !(value instanceof Promise)
  );
}

/** A binding of one tenant whose value resolves later (a helper's Output, a resource): the parts of its Output. */
interface LateBinding {
  tenant: string;
  name: string;
  parts: OutputParts<string | BindingSpec>;
}

/** A late binding once resolved: its spec, or undefined while not known yet (at preview), and whether it is secret. */
interface Resolved {
  spec: BindingSpec | undefined;
  secret: boolean;
}

/**
 * Tenants of plain values whose bindings may be Outputs (`json()`, `secret()`, a resource): every such
 * binding of every tenant read together from its Output's parts (output-parts.ts), then all tenants'
 * texts written as one Output of the map, and all secret bindings as one secret text: no Output per
 * tenant or binding, where packing tenant by tenant makes dozens per tenant. A tenant with a binding
 * not known yet is unknown in the map (Pulumi's wire form of an unknown, as its own Output would be
 * sent), the others not; one with a secret binding not known yet is marked so in the secret text.
 * Undefined when some tenant holds an Output elsewhere than in its bindings (its code, say): such a
 * fleet is packed tenant by tenant, which keeps such a tenant's secrecy its own.
 */
function packedTogether(tenants: Record<string, TenantArgs>): Omit<PackedFleet, "defaults"> | undefined {
  const given: Record<string, TenantArgs> = {};
  /** The texts of tenants with no late binding, written now, as the program gave them. */
  const written: Record<string, string> = {};
  const late: LateBinding[] = [];
  /** Each tenant's binding names as given: its text lists them in that order, as packing tenant by tenant does. */
  const order = new Map<string, string[]>();
  for (const [tenant, spec] of Object.entries(tenants)) {
    const { bindings, ...rest } = spec;
    if (!isPlainData(rest) || !(bindings === undefined || isBindingMap(bindings))) return undefined;
    const lateBefore = late.length;
    const plain: Bindings = {};
    for (const [name, value] of Object.entries(bindings ?? {})) {
      if (isPlainData(value)) plain[name] = value;
      else late.push({ tenant, name, parts: partsOf(lateOutput(value)) });
    }
    given[tenant] = bindings === undefined ? rest : { ...rest, bindings: plain };
    if (late.length === lateBefore) written[tenant] = plainText(given[tenant]);
    order.set(tenant, Object.keys(bindings ?? {}));
  }
  if (late.length === 0) return undefined;
  const resolved: Promise<Resolved[]> = Promise.all(
    late.map(async ({ parts }) => {
      const [value, known, secret] = await Promise.all([parts.value, parts.known, parts.secret]);
      const spec = !known || pulumi.containsUnknowns(value) ? undefined : specOfValue(value);
      return { spec, secret };
    }),
  );
  /** Each tenant's late bindings that are secret (or not); undefined for a tenant with one not known yet. */
  const lateOf = (values: Resolved[], secret: boolean) => {
    const byTenant = new Map<string, Record<string, BindingSpec> | undefined>();
    late.forEach((b, i) => {
      if (values[i].secret !== secret) return;
      const spec = values[i].spec;
      const map = byTenant.has(b.tenant) ? byTenant.get(b.tenant) : {};
      if (map === undefined || spec === undefined) byTenant.set(b.tenant, undefined);
      else byTenant.set(b.tenant, { ...map, [b.name]: secret ? asSecret(spec) : spec });
    });
    return byTenant;
  };
  // The secret bindings go to tenantSecrets, never into a text, so the texts are not secret.
  const texts = resolved.then((values) => {
    const open = lateOf(values, false);
    const all: Record<string, string> = {};
    for (const [tenant, spec] of Object.entries(given)) {
      if (tenant in written) {
        all[tenant] = written[tenant];
        continue;
      }
      const resolvedLate = open.has(tenant) ? open.get(tenant) : {};
      if (resolvedLate === undefined) {
        all[tenant] = pulumi.runtime.unknownValue;
        continue;
      }
      const merged: Record<string, unknown> = { ...(spec.bindings as Bindings | undefined), ...resolvedLate };
      const bindings = Object.fromEntries(order.get(tenant)!.flatMap((name) => (merged[name] === undefined ? [] : [[name, merged[name]]])));
      const { bindings: _given, ...rest } = spec;
      all[tenant] = plainText(Object.keys(bindings).length === 0 ? rest : { ...rest, bindings: bindings as Bindings });
    }
    return all;
  });
  const secrets = resolved.then((values) => {
    const secretsOfTenants: TenantSecrets = {};
    for (const [tenant, map] of lateOf(values, true)) secretsOfTenants[tenant] = map ?? UNKNOWN_SECRETS;
    return storedTenantSecrets(secretsOfTenants);
  });
  const parts = late.map((b) => b.parts);
  return {
    tenants: outputFromParts(texts, parts, { secret: false }),
    tenantSecrets: outputFromParts(secrets, parts, { secret: true }),
  };
}

/** A binding value as an Output: an Output as given is used as it is (`toSpec` would wrap it twice more). */
function lateOutput(value: Bindings[string]): pulumi.Output<string | BindingSpec> {
  return pulumi.Output.isInstance(value) ? (value as pulumi.Output<string | BindingSpec>) : toSpec(value);
}

/** Each tenant's text; the secret bindings of tenants given with Outputs, apart, as one secret text. */
function packedTenants(tenants: Record<string, TenantArgs>): Omit<PackedFleet, "defaults"> {
  const texts: Record<string, pulumi.Input<string>> = {};
  const secretParts: Array<pulumi.Output<[string, SecretPart]>> = [];
  for (const [name, spec] of Object.entries(tenants)) {
    if (isPlainData(spec)) {
      texts[name] = plainText(spec);
      continue;
    }
    const { secretBindings, ...inputs } = tenantInputs(spec);
    texts[name] = pulumi.output(inputs).apply((resolved) => packedText(resolved));
    // Known even while this tenant's secrets are not (at preview): one unknown secret leaves the others readable.
    const part = pulumi.output(secretBindings) as pulumi.Output<SecretPart>;
    secretParts.push(
      applyEvenUnknown(part, (map): [string, SecretPart] => [
        name,
        pulumi.isUnknown(map) || pulumi.containsUnknowns(map) ? UNKNOWN_SECRETS : map,
      ]),
    );
  }
  if (secretParts.length === 0) return { tenants: texts };
  const tenantSecrets = pulumi.secret(pulumi.all(secretParts).apply((entries) => storedTenantSecrets(secretsOf(entries))));
  return { tenants: texts, tenantSecrets };
}

type SecretPart = Record<string, unknown> | typeof UNKNOWN_SECRETS | undefined;

/**
 * `apply` that also runs while the value is unknown, given Pulumi's `unknown` then: the Node SDK's
 * own output proxy does this, but its published types leave out the flag.
 */
function applyEvenUnknown<T, U>(output: pulumi.Output<T>, func: (value: T) => U): pulumi.Output<U> {
  const apply = output.apply as unknown as (this: pulumi.Output<T>, f: (value: T) => U, runWithUnknowns: boolean) => pulumi.Output<U>;
  return apply.call(output, func, true);
}

function secretsOf(entries: Array<[string, SecretPart]>): TenantSecrets {
  const secrets: TenantSecrets = {};
  for (const [name, map] of entries) if (map !== undefined) secrets[name] = map;
  return secrets;
}

/** A spec as one text, its secret bindings inside (the fleet's defaults: one value, one secret if it has any). */
function packedSpec(spec: WorkerArgs): pulumi.Input<string> {
  if (isPlainData(spec)) return plainText(spec);
  return pulumi.output(workerInputs(spec)).apply((resolved) => packedText(resolved));
}

/** A spec of plain values: its bindings as given (a string is plain text), the rest as the provider takes it. */
function plainText(spec: TenantArgs): string {
  const { bindings, ...rest } = spec as TenantArgs & { bindings?: Record<string, unknown> };
  return packedText({ ...tenantInputs(rest), bindings });
}

/** A tenant's provider inputs: a Worker's, and its customers' domains (none in the defaults: a hostname is one tenant's). */
function tenantInputs(spec: TenantArgs) {
  return { ...workerInputs(spec), hostnames: spec.hostnames };
}
