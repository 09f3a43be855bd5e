/**
 * The `cloudflare` SDK, loaded on first use. It is about 1,200 modules, half a second of a provider
 * process's start, and a no-op `pulumi up` or a preview never needs it: they only check the account
 * (account.ts does that with one plain request) and diff inputs against state.
 */
import type CloudflareSdk from "cloudflare";

let loaded: typeof CloudflareSdk | undefined;

export function cloudflareSdk(): typeof CloudflareSdk {
  loaded ??= (require("cloudflare") as { default: typeof CloudflareSdk }).default;
  return loaded;
}

/** The SDK if something has loaded it, else undefined: an error can only be one of its classes if it has. */
export function loadedCloudflareSdk(): typeof CloudflareSdk | undefined {
  return loaded;
}
