/** Local Workers runtime (workerd via Miniflare) and edge listener. See README.md in this folder. */
export { WorkersRuntime, RuntimeStartError, type WorkersRuntimeOptions } from "./runtime";
export { startEdge, type Edge, type EdgeOptions } from "./edge";
export { matchRoute, parsePattern, resolveTarget, workersDevScript, normalizeHost, type EdgeTarget, type ParsedPattern } from "./routes";
export { createMemoryKv } from "./kv";
export type {
  RuntimeKv,
  RuntimeKvListOptions,
  RuntimeKvListResult,
  RuntimeKvPutOptions,
  RuntimeModule,
  RuntimeCustomDomain,
  RuntimeRoute,
  RuntimeScript,
  RuntimeSource,
  RuntimeWarning,
} from "./types";
