/**
 * A local, faithful Cloudflare API (v4) for Workers for Platforms — public entry point.
 *
 *   const emu = await startEmulator();
 *   const client = new Cloudflare({ apiToken: emu.apiToken, baseURL: emu.url });
 *   await client.workersForPlatforms.dispatch.namespaces.create({ account_id: emu.accountId, name: "ns" });
 *   ...
 *   await emu.close();
 */
import { randomBytes } from "node:crypto";
import { Authenticator, type ApiKeySpec, type TokenSpec } from "./auth";
import { controlRouter } from "./control";
import { FaultController, type FaultConfig } from "./faults";
import { ApiRateLimits, type RateLimitConfig } from "./rate-limit";
import { isAccountId, randomHex32 } from "./ids";
import { assertExposureAllowed } from "./exposure";
import { listen } from "./listen";
import { RequestLog } from "./request-log";
import { Router } from "./router";
import type { Edge } from "./runtime";
import type { EdgeConfig } from "./runtime-source";
import { allRoutes } from "./routes";
import { API_PREFIX, createEmulatorServer, DEFAULT_MAX_BODY_BYTES } from "./server";
import { StateJournal } from "./persistence/state-journal";
import { EmulatorState, type AccountSeed, type StateView } from "./state";
import { DEFAULT_ZONE_NAME, resolveZoneSeeds, type ZoneSeed } from "./zones/zones";

export type { ApiKeySpec, Permission, TokenSpec } from "./auth";
export type { CfMessage, Envelope, ResultInfo } from "./envelope";
export type { FaultConfig, FaultRuleSpec, FaultSnapshot, InjectedFault, LatencySpec, RandomFaultSpec, RequestMatcher } from "./faults";
export { FaultController } from "./faults";
export type { RateLimitConfig, RateLimitVerdict } from "./rate-limit";
export { ApiRateLimits, DOCUMENTED_BLOCK_MS, DOCUMENTED_LIMIT, DOCUMENTED_PER_IP } from "./rate-limit";
export type { RequestFilter, RequestLogEntry } from "./request-log";
export type { EdgeConfig } from "./runtime-source";
export type { RuntimeWarning } from "./runtime/types";
export { RequestLog } from "./request-log";
export type {
  AccountRecord,
  Binding,
  KvEntryRecord,
  KvNamespaceRecord,
  ModuleRecord,
  NamespaceRecord,
  PartRecord,
  PersistedState,
  RouteRecord,
  RouteSnapshot,
  ScriptRecord,
  ScriptSnapshot,
  ScriptSubdomain,
  StateView,
  WithBytes,
  WorkersDevRecord,
  ZoneRecord,
  ZoneSeed,
  ZoneSnapshot,
} from "./state";
export { NAMESPACE_NAME_RULE, SCRIPT_NAME_RULE } from "./validation";
export { DEFAULT_COMPATIBILITY_DATE, MAX_SCRIPT_SIZE_BYTES, MAX_TAGS_PER_SCRIPT } from "./workers/rules";
export { MAX_ASSET_FILES, MAX_ASSET_FILE_BYTES } from "./workers/assets";
export { DEFAULT_SCRIPT_SUBDOMAIN } from "./workers/workers-dev";
export type { DeploymentRecord, ScriptHistory, VersionRecord } from "./workers/history";
export { DEFAULT_ZONE_NAME, defaultZoneId } from "./zones/zones";
export { edgeRequest } from "./edge-client";
export type { EdgeResponse } from "./edge-client";

export const DEFAULT_ACCOUNT_NAME = "Emulated Account";

export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /**
   * Interface to bind; default 127.0.0.1. Anything beyond loopback (e.g. "0.0.0.0") is refused unless
   * `allowRemote` is set (exposure.ts).
   */
  host?: string;
  /** Allows `host` (or `edge.host`) beyond loopback; default false. The CLI's `--allow-remote` sets it and prints a warning. */
  allowRemote?: boolean;
  /**
   * The bearer token the HTTP control endpoints (`/__emulator/*` but health) require. Default: the
   * default API token (`apiToken`). The in-process handles (`emu.state`, `emu.faults`, …) need none.
   */
  controlToken?: string;
  /** Default account id (32 lowercase hex); generated when omitted (or reused from `dataDir`). */
  accountId?: string;
  /** Name of the default account; default "Emulated Account". */
  accountName?: string;
  /** The default API token (permission "edit", sees every account); generated when omitted (or reused from `dataDir`). */
  apiToken?: string;
  /** Extra accounts. */
  accounts?: Array<{ id: string; name?: string }>;
  /**
   * Zones (for Worker routes and `GET /zones`); `accountId` defaults to the default account, `id` to
   * a 32-hex id derived from account id and name (`defaultZoneId`). Default: one zone "example.com".
   * Zones are configuration: `reset()` keeps them (and drops their routes).
   */
  zones?: ZoneSeed[];
  /** Extra API tokens (e.g. read-only, or limited to some accounts). */
  tokens?: TokenSpec[];
  /** Global API key + email pairs (`X-Auth-Email` / `X-Auth-Key`). */
  apiKeys?: ApiKeySpec[];
  /**
   * Directory for the state journal (`state.journal`, persistence/state-journal.ts): state is loaded at
   * start and each change is appended before its answer (a kill of the process loses none); a
   * `state.json` of earlier versions is migrated.
   */
  dataDir?: string;
  /**
   * Cloudflare's rate limit, enforced (Cloudflare: `{ requests: 1200, windowMs: 300000, blockMs: 300000,
   * perIp: { requests: 200, windowMs: 1000 } }`). Without it answers still carry the headers of the
   * documented default, and nothing is refused.
   */
  rateLimit?: RateLimitConfig;
  /** Faults active from the start (and restored by `faults.clear()` / `reset()`). */
  faults?: FaultConfig;
  /** Request body limit in bytes (default 50 MiB); larger bodies get 413. */
  maxBodyBytes?: number;
  /**
   * Also run the stored Workers: an HTTP "edge" routing by Host + path (zone routes, workers.dev) to the
   * default account's Workers in workerd (see runtime/README.md). Needs the optional dependency miniflare;
   * workerd starts on the first edge request. Uploads take effect on the next request.
   */
  edge?: EdgeConfig;
}

export interface Emulator {
  /** SDK base URL, e.g. `http://127.0.0.1:PORT/client/v4`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT` (control endpoints live under `/__emulator`). */
  readonly origin: string;
  readonly port: number;
  /** The default account id. */
  readonly accountId: string;
  /** The default (edit) API token. */
  readonly apiToken: string;
  /** The token of the HTTP control endpoints (`Authorization: Bearer <controlToken>`); the API token unless configured. */
  readonly controlToken: string;
  /** Environment for a process using the SDK's env defaults: CLOUDFLARE_BASE_URL / _API_TOKEN / _ACCOUNT_ID. */
  readonly env: Record<"CLOUDFLARE_BASE_URL" | "CLOUDFLARE_API_TOKEN" | "CLOUDFLARE_ACCOUNT_ID", string>;
  readonly faults: FaultController;
  /** Cloudflare's documented rate limit (not a fault: `faults.clear()` leaves it; `reset()` restores the start options). */
  readonly rateLimits: ApiRateLimits;
  readonly requests: RequestLog;
  /** Read access to the data (copies), e.g. `emu.state.namespaces()`, `emu.state.script("ns", "worker")`. */
  readonly state: StateView;
  /** The local edge, when started with `edge`: send requests with the Host of a route, e.g. `curl -H 'Host: a.example.com' <url>`. */
  readonly edge?: { readonly url: string; readonly port: number };
  /** Empties the data (configured accounts remain), clears faults, rate-limit counters and the request log. */
  reset(): void;
  /** Stops the server (and the edge and workerd) and closes open connections. Idempotent. */
  close(): Promise<void>;
}

/** Gives every account seed its zones; throws on a zone of an unconfigured account or a name used twice in one account. */
function assignZones(seeds: AccountSeed[], zones: readonly ZoneSeed[], defaultAccountId: string): void {
  for (const z of resolveZoneSeeds(zones, defaultAccountId)) {
    const seed = seeds.find((s) => s.id === z.accountId);
    if (!seed) throw new Error(`zone "${z.name}" belongs to account "${z.accountId}", which is not configured`);
    seed.zones ??= [];
    if (seed.zones.some((x) => x.name === z.name)) throw new Error(`zone "${z.name}" is configured twice for account ${z.accountId}`);
    seed.zones.push(z);
  }
}

/** Starts an emulator and resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? "127.0.0.1";
  assertExposureAllowed(host, options.edge ? (options.edge.host ?? host) : undefined, options.allowRemote ?? false);
  const journal = options.dataDir ? StateJournal.open(options.dataDir) : undefined;
  const persisted = journal?.loaded;
  const accountId = options.accountId ?? persisted?.defaultAccountId ?? randomHex32();
  // Cloudflare tokens are 40 URL-safe characters.
  const apiToken = options.apiToken ?? persisted?.defaultApiToken ?? randomBytes(30).toString("base64url");
  const controlToken = options.controlToken ?? apiToken;
  // A bearer token is one run of non-space characters (auth.ts); anything else could never be sent.
  if (!/^\S+$/.test(controlToken)) throw new Error("the control token must be a non-empty string without spaces");
  const seeds: AccountSeed[] = [
    { id: accountId, name: options.accountName ?? DEFAULT_ACCOUNT_NAME },
    ...(options.accounts ?? []).map((a) => ({ id: a.id, name: a.name ?? `Account ${a.id.slice(0, 8)}` })),
  ];
  for (const s of seeds) {
    if (!isAccountId(s.id)) throw new Error(`account id must be 32 lowercase hex characters, got "${s.id}"`);
  }
  assignZones(seeds, options.zones ?? [{ name: DEFAULT_ZONE_NAME }], accountId);

  const state = new EmulatorState({ journal, seeds, defaultAccountId: accountId, defaultApiToken: apiToken });
  const authenticator = new Authenticator([{ token: apiToken, permission: "edit" }, ...(options.tokens ?? [])], options.apiKeys ?? []);
  const faults = new FaultController(options.faults);
  const rateLimits = new ApiRateLimits(options.rateLimit ?? null);
  const requests = new RequestLog();
  const reset = () => {
    state.reset();
    faults.clear();
    rateLimits.reset();
    requests.clear();
  };
  // Loaded only on request: the edge module pulls in the runtime, which needs miniflare.
  const edgeModule = options.edge ? await import("./runtime-source/edge") : undefined;
  const server = createEmulatorServer({
    router: new Router().addAll(allRoutes),
    control: controlRouter({ state, faults, rateLimits, requests, reset }),
    state,
    faults,
    rateLimits,
    requests,
    authenticator,
    controlToken,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
  });

  const port = await listen(server, options.port ?? 0, host);
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const url = `${origin}${API_PREFIX}`;
  const closeServer = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  let edge: Edge | undefined;
  if (edgeModule && options.edge) {
    try {
      edge = await edgeModule.startStateEdge(state, options.edge, host);
    } catch (e) {
      await closeServer();
      throw e;
    }
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    origin,
    port,
    accountId,
    apiToken,
    controlToken,
    env: { CLOUDFLARE_BASE_URL: url, CLOUDFLARE_API_TOKEN: apiToken, CLOUDFLARE_ACCOUNT_ID: accountId },
    faults,
    rateLimits,
    requests,
    state,
    ...(edge ? { edge: { url: edge.url, port: edge.port } } : {}),
    reset,
    close() {
      // The edge's close() disposes Miniflare (workerd) even when a start failed.
      closing ??= Promise.all([closeServer(), edge?.close()]).then(() => journal?.close());
      return closing;
    },
  };
}
