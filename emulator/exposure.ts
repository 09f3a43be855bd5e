/**
 * Listening beyond loopback. The emulator speaks plain HTTP, keeps every tenant's Workers and runs
 * them on the edge without credentials, so binding another interface is opt-in (`allowRemote`,
 * CLI `--allow-remote`) and comes with a warning that says what anyone on the network can reach.
 */
import { isIP } from "node:net";

/** `127.0.0.0/8`, `::1` (also IPv4-mapped) and `localhost`; anything else (`0.0.0.0`, `::`, a LAN address, a name) is beyond loopback. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  if (h === "localhost" || h === "::1") return true;
  const v4 = h.startsWith("::ffff:") ? h.slice("::ffff:".length) : h;
  return isIP(v4) === 4 && v4.startsWith("127.");
}

/** The interfaces (API, edge) that are beyond loopback. */
export function remoteInterfaces(apiHost: string, edgeHost: string | undefined): string[] {
  return [apiHost, ...(edgeHost === undefined ? [] : [edgeHost])].filter((h) => !isLoopbackHost(h));
}

/** Refuses a non-loopback interface unless it was asked for explicitly. */
export function assertExposureAllowed(apiHost: string, edgeHost: string | undefined, allowRemote: boolean): void {
  const remote = remoteInterfaces(apiHost, edgeHost);
  if (remote.length === 0 || allowRemote) return;
  throw new Error(
    `refusing to listen on ${remote.join(", ")}, which is beyond loopback: anyone who can reach the port could use the ` +
      `API and its control endpoints with the token, and the edge without one. Pass allowRemote: true (CLI: --allow-remote) to do it anyway.`,
  );
}

/** The warning printed when the emulator listens beyond loopback; names what is exposed and to whom. */
export function exposureWarning(e: { apiUrl: string; edgeUrl?: string; host: string }): string[] {
  return [
    `WARNING: the emulator listens on ${e.host}, beyond loopback, over plain HTTP (tokens cross the network unencrypted).`,
    `  ${e.apiUrl}: the Cloudflare v4 API (every account's Workers, secrets by name, KV values) for anyone with the API token;`,
    `  /__emulator/state, /requests, /faults, /rate-limit, /reset: read every tenant's state, inject faults, wipe it all, for anyone with the control token;`,
    ...(e.edgeUrl ? [`  ${e.edgeUrl}: the edge runs the uploaded Workers (with their secrets bound) for anyone, without a token.`] : []),
    `  Secret values are never returned, but share the tokens only with people you would give the data directory to.`,
  ];
}
