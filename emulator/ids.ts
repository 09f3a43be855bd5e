/** Identifier and timestamp formats Cloudflare uses: 32-hex tags, UUIDs, ISO times with microseconds. */
import { createHash, randomBytes, randomUUID } from "node:crypto";

/** A 32-lowercase-hex identifier (account ids, user tags, script tags). */
export function randomHex32(): string {
  return randomBytes(16).toString("hex");
}

/** 32 lowercase hex chars derived from a string: stable ids across restarts (token ids, default zone ids). */
export function stableHexId(seed: string): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, 32);
}

export function uuid(): string {
  return randomUUID();
}

export const ACCOUNT_ID_PATTERN = /^[0-9a-f]{32}$/;

export function isAccountId(s: string): boolean {
  return ACCOUNT_ID_PATTERN.test(s);
}

let lastMicros = 0;

/**
 * Current time as Cloudflare prints it, e.g. `2025-10-04T01:56:12.190849Z` (microseconds).
 * Strictly increasing within the process so `modified_on` always moves forward on an update.
 */
export function cfTimestamp(): string {
  let micros = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  if (micros <= lastMicros) micros = lastMicros + 1;
  lastMicros = micros;
  const ms = Math.floor(micros / 1000);
  const iso = new Date(ms).toISOString(); // 2025-10-04T01:56:12.190Z
  const subMs = String(micros % 1000).padStart(3, "0");
  return `${iso.slice(0, 23)}${subMs}Z`;
}
