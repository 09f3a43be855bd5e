/**
 * Service-worker syntax (`addEventListener("fetch", …)`, uploaded as `body_part`) for tenants. The Worker
 * Loader that runs tenants only takes modules, so the script is wrapped: a setup module collects the
 * fetch listeners, the script itself loads as a CommonJS module (sloppy mode, like a classic script),
 * and an ES-module entry turns each request into a FetchEvent-like event. As in service-worker syntax,
 * bindings are globals: the entry sets them from `env` before the listeners run.
 */
import type { LoaderModule } from "./modules";

export const SW_SETUP_MODULE = "__wfp_service_worker_setup.js";
export const SW_ENTRY_MODULE = "__wfp_service_worker_entry.js";

const SETUP_SOURCE = `
export const fetchListeners = [];
globalThis.addEventListener = (type, listener) => {
  if (type === "fetch") fetchListeners.push(listener);
};
`;

function entrySource(scriptModule: string): string {
  return `
import { fetchListeners } from ${JSON.stringify(`./${SW_SETUP_MODULE}`)};
import ${JSON.stringify(`./${scriptModule}`)};

export default {
  async fetch(request, env, ctx) {
    Object.assign(globalThis, env);
    let answer;
    const event = {
      type: "fetch",
      request,
      respondWith(response) { answer = response; },
      waitUntil(promise) { ctx.waitUntil(promise); },
      passThroughOnException() {},
    };
    for (const listener of fetchListeners) {
      listener(event);
      if (answer !== undefined) break;
    }
    // On Cloudflare the request would go on to the origin; locally there is none.
    if (answer === undefined) throw new Error("no fetch listener called respondWith(), and the local edge has no origin");
    return await answer;
  },
};
`;
}

/** The modules that run `script` (a classic script's text) through the Worker Loader, and which is the entry. */
export function serviceWorkerModules(
  scriptName: string,
  scriptText: string,
): { mainModule: string; modules: Record<string, LoaderModule> } {
  return {
    mainModule: SW_ENTRY_MODULE,
    modules: {
      [SW_ENTRY_MODULE]: { js: entrySource(scriptName) },
      [SW_SETUP_MODULE]: { js: SETUP_SOURCE },
      [scriptName]: { cjs: scriptText },
    },
  };
}
