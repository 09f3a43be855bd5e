/**
 * Starts the local edge (`../runtime`) over the emulator's state. Loaded with a dynamic import by
 * `startEmulator` only when `edge` is requested: miniflare (workerd) is an optional peer dependency, and
 * the API emulator must work without it.
 */
import { startEdge, type Edge } from "../runtime";
import type { EmulatorState } from "../state";
import { createRuntimeSource, type EdgeConfig } from "./index";

/** Fails with a clear message when miniflare is not installed (rather than on the first edge request). */
async function requireMiniflare(): Promise<void> {
  try {
    await import("miniflare");
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const missing = (err.code === "MODULE_NOT_FOUND" || err.code === "ERR_MODULE_NOT_FOUND") && /miniflare/.test(err.message);
    if (!missing) throw e;
    throw new Error(
      "startEmulator({ edge }) runs Workers in workerd and needs the optional peer dependency 'miniflare' " +
        "(npm install --save-dev miniflare@^4); start the emulator without `edge` to use only the API",
      { cause: e },
    );
  }
}

/** The edge for the default account; workerd itself starts on the first request (the runtime is lazy). */
export async function startStateEdge(state: EmulatorState, config: EdgeConfig, defaultHost: string): Promise<Edge> {
  await requireMiniflare();
  const { port, host, isolateTenants, onWarning, onLog } = config;
  return startEdge({
    source: createRuntimeSource(state),
    port: port ?? 0,
    host: host ?? defaultHost,
    runtimeOptions: { isolateTenants: isolateTenants ?? false, ...(onWarning ? { onWarning } : {}), ...(onLog ? { onLog } : {}) },
  });
}
