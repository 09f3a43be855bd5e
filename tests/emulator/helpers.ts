/** Shared helpers for the emulator specs: an SDK client pointed at the emulator, and raw HTTP calls. */
import Cloudflare from "cloudflare";
import { startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";

/** The official SDK configured like the provider will be: token auth, baseURL = emulator. */
export function sdk(emu: Emulator, opts: { maxRetries?: number; apiToken?: string } = {}): Cloudflare {
  return new Cloudflare({ apiToken: opts.apiToken ?? emu.apiToken, baseURL: emu.url, maxRetries: opts.maxRetries ?? 0 });
}

export interface EmulatorFixture {
  emu: Emulator;
  cf: Cloudflare;
  account_id: string;
}

/**
 * One emulator per spec file, reset before each test and closed after the last: `bind` receives it
 * once started, e.g. `useEmulator((f) => ({ emu, cf, account_id } = f))`.
 */
export function useEmulator(bind: (f: EmulatorFixture) => void, options: EmulatorOptions = {}, client: { maxRetries?: number } = {}): void {
  let emu: Emulator | undefined;
  beforeAll(async () => {
    emu = await startEmulator(options);
    bind({ emu, cf: sdk(emu, client), account_id: emu.accountId });
  });
  afterAll(() => emu?.close());
  beforeEach(() => emu?.reset());
}

export interface RawResponse {
  status: number;
  headers: Headers;
  contentType: string | null;
  json: any;
}

/** A plain fetch against the emulator (path relative to `emu.url`, or absolute when starting with "http"). */
export async function raw(
  emu: Emulator,
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string; auth?: boolean } = {},
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...(init.auth === false ? {} : { authorization: `Bearer ${emu.apiToken}` }), ...init.headers };
  if (init.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type"))
    headers["content-type"] = "application/json";
  const res = await fetch(path.startsWith("http") ? path : `${emu.url}${path}`, { method, headers, body: init.body });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    contentType: res.headers.get("content-type"),
    json: text ? JSON.parse(text) : undefined,
  };
}

/** Calls the control API of the emulator (`/__emulator/...`) with its control token, or with `headers` instead (`{}` = none). */
export function control(
  emu: Emulator,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<RawResponse> {
  return raw(emu, method, `${emu.origin}/__emulator${path}`, {
    auth: false,
    headers: headers ?? { authorization: `Bearer ${emu.controlToken}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Runs `fn`, expecting it to reject; returns the rejection (fails the test if it resolves). */
export async function rejectionOf(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** ISO timestamp with microseconds, as Cloudflare prints them. */
export const CF_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
export const HEX32 = /^[0-9a-f]{32}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A namespace object as returned by the API (for raw `client.put/patch/post` calls, which return the envelope). */
export interface NamespaceResult {
  namespace_id: string;
  namespace_name: string;
  created_on: string;
  created_by: string;
  modified_on: string;
  modified_by: string;
  script_count: number;
  trusted_workers: boolean;
}

/** The v4 envelope around `T`, as raw SDK calls return it. */
export interface EnvelopeOf<T> {
  success: boolean;
  errors: Array<{ code: number; message: string }>;
  messages: unknown[];
  result: T;
}
