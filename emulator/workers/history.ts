/**
 * Versions and deployments of an account-level Worker (SOURCES.md §5.5). Every change to what runs
 * (upload, code-only PUT, settings, secrets) records an immutable version and a deployment sending
 * it 100% of traffic; a version upload records a version only; a deployment makes its versions
 * run. The Worker record itself always holds what the edge runs, so the runtime needs no notion
 * of versions. Callers wrap changes in `state.mutate()`.
 */
import { cfTimestamp, uuid } from "../ids";
import type { ScriptRecord, WorkerVersion } from "./types";

/** One immutable version (SDK `VersionGetResponse`: `id`, `number`, `metadata`, `resources`). */
export interface VersionRecord {
  id: string;
  /** 1, 2, … per Worker ("sequential version number"). */
  number: number;
  created_on: string;
  /** SDK `metadata.source`: how the version was made. */
  source: "api" | "wrangler";
  /** `workers/message`, `workers/tag` as uploaded; `workers/triggered_by` when known (`Trigger`). */
  annotations: Record<string, string>;
  /** The code and configuration of the version, secrets included. */
  worker: WorkerVersion;
}

/** SDK `Deployment`. */
export interface DeploymentRecord {
  id: string;
  created_on: string;
  source: "api" | "wrangler";
  strategy: "percentage";
  versions: Array<{ version_id: string; percentage: number }>;
  annotations: Record<string, string>;
}

/** Versions and deployments of one Worker, oldest first. */
export interface ScriptHistory {
  versions: VersionRecord[];
  deployments: DeploymentRecord[];
}

/**
 * What made a version or deployment (`workers/triggered_by`): the values wrangler knows (`versions/list.ts`
 * `formatTrigger`: upload, secret, rollback, promotion). Changes without a known value carry none.
 */
export type Trigger = "upload" | "secret";

const IDENTITY_FIELDS = ["name", "tag", "created_on", "modified_on"] as const;

/** The version-relevant part of a Worker record (a copy). */
export function workerVersionOf(record: ScriptRecord): WorkerVersion {
  const copy = structuredClone(record) as unknown as Record<string, unknown>;
  for (const k of IDENTITY_FIELDS) delete copy[k];
  return copy as unknown as WorkerVersion;
}

export function emptyHistory(): ScriptHistory {
  return { versions: [], deployments: [] };
}

export function findVersion(history: ScriptHistory, id: string): VersionRecord | undefined {
  return history.versions.find((v) => v.id === id);
}

/** Records a version of `worker` (not deployed). */
export function addVersion(
  history: ScriptHistory,
  worker: WorkerVersion,
  how: { source: VersionRecord["source"]; trigger?: Trigger; annotations?: Record<string, string> },
): VersionRecord {
  const version: VersionRecord = {
    id: uuid(),
    number: (history.versions.at(-1)?.number ?? 0) + 1,
    created_on: cfTimestamp(),
    source: how.source,
    annotations: withTrigger(how.annotations, how.trigger),
    worker: structuredClone(worker),
  };
  history.versions.push(version);
  return version;
}

/**
 * Records a deployment and makes `record` run it. A split deployment runs, at the local edge, its
 * version with the largest share (the first listed on a tie): the edge serves one version per
 * Worker (SOURCES.md §5.5, a documented deviation).
 */
export function addDeployment(
  history: ScriptHistory,
  record: ScriptRecord,
  split: DeploymentRecord["versions"],
  how: { source: DeploymentRecord["source"]; trigger?: Trigger; annotations?: Record<string, string> },
): DeploymentRecord {
  const deployment = recordDeployment(history, split, how);
  const serving = split.reduce((best, v) => (v.percentage > best.percentage ? v : best));
  runVersion(record, findVersion(history, serving.version_id)!);
  return deployment;
}

/** Records a deployment of what the Worker already runs (a change just made to the record). */
export function recordDeployment(
  history: ScriptHistory,
  split: DeploymentRecord["versions"],
  how: { source: DeploymentRecord["source"]; trigger?: Trigger; annotations?: Record<string, string> },
): DeploymentRecord {
  const deployment: DeploymentRecord = {
    id: uuid(),
    created_on: cfTimestamp(),
    source: how.source,
    strategy: "percentage",
    versions: split.map((v) => ({ ...v })),
    annotations: withTrigger(how.annotations, how.trigger),
  };
  history.deployments.push(deployment);
  return deployment;
}

function withTrigger(annotations: Record<string, string> | undefined, trigger: Trigger | undefined): Record<string, string> {
  return trigger === undefined ? { ...annotations } : { ...annotations, "workers/triggered_by": trigger };
}

/** Replaces the record's code and configuration by the version's; identity (tag, created_on) stays. */
function runVersion(record: ScriptRecord, version: VersionRecord): void {
  const target = record as unknown as Record<string, unknown>;
  for (const k of Object.keys(target)) {
    if (!(IDENTITY_FIELDS as readonly string[]).includes(k)) delete target[k];
  }
  Object.assign(target, structuredClone(version.worker));
  record.modified_on = cfTimestamp();
}

/** The deployment serving traffic now (the newest). */
export function latestDeployment(history: ScriptHistory): DeploymentRecord | undefined {
  return history.deployments.at(-1);
}
