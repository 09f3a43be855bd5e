/**
 * What state keeps per tenant of a fleet, and its stored form: one text with a line per tenant.
 *
 * The engine encodes every value of every property as a protobuf `Struct` each time a resource's
 * state crosses a process (the program's registration answer, each check and diff request): a map
 * of an object per tenant is four values per tenant, ten thousand tenants forty thousand, and
 * decoding them was most of a no-op `up`'s time in the program and the provider. One text is one
 * value. Lines rather than JSON because the text is then encrypted as a secret and base64-encoded
 * (about 1.33 bytes of state per character): no key names, no quotes, and what tenants share
 * written once. The sdk gives programs the parsed map (`TenantFleet.scripts`), so the text is only
 * what state holds.
 *
 *     #2 tmvkxm 37b6662b…4890 0c1f…77aa
 *     0tenant-a JsRUiwwkVwY 0 61bgj
 *     7b kPckpKWbM6A 1 62ynxl d
 *
 * The first line: the form's version, the earliest modification time (seconds since 1970, base 36)
 * and every distinct etag once (tenants sharing code share it). Then a line per tenant, by name:
 * the name (line-text.ts: what it shares with the one before, and the rest), the fingerprint's 8
 * bytes in base64url, the etag's place in the header, the modification time (`shortTime`), then
 * the optional fields that are set, each a tag and its value (`OPTIONAL_FIELDS`). A fingerprint or
 * time whose short form would not read back exactly is written whole, escaped, after "~".
 *
 * Still read: the line form before it (`name fingerprint etag modifiedOn [drifted]`, no header)
 * and the map itself (state written before any text form).
 */
import { escaped, frontCodedNames, nameReader, unescaped } from "./line-text";

/** What state keeps per tenant: the fingerprint of its last upload and what Cloudflare answered. */
export interface TenantState {
  /** The fingerprint of the spec last uploaded (or adopted). */
  specHash: string;
  /** Cloudflare's etag of the uploaded code; refresh compares it. */
  etag: string;
  /** When Cloudflare last changed the script; refresh compares it. */
  modifiedOn: string;
  /** Set by refresh when the script changed outside Pulumi: the next `up` uploads it again. */
  drifted?: boolean;
  /** The manifest hash of the static assets Cloudflare has for the script: an upload with the same files keeps them without an asset request. */
  assetsHash?: string;
  /** The last Durable Object migration Cloudflare applied to the script: migrations up to it are not sent again. */
  migrationTag?: string;
  /** The fingerprint of the tenant's declared hostnames when last made so (tenant-hostnames.ts); absent without any. */
  hostnamesHash?: string;
  /** The tenant's custom hostnames: each one's id and status, in tenant-hostnames.ts's stored form. */
  hostnames?: string;
}

/** The tenants' states as state holds them: the text, or the map itself (state written before the text form). */
export type StoredTenantStates = string | Record<string, TenantState>;

type OptionalField = { [K in keyof TenantState]-?: undefined extends TenantState[K] ? K : never }[keyof TenantState];

/**
 * The optional fields, each written only when set, as its one-character tag followed by its value
 * (a flag by its tag alone). A field added here is read and written by both directions; a tag a
 * reader does not know is skipped.
 */
const OPTIONAL_FIELDS: ReadonlyArray<{ field: OptionalField; tag: string; flag?: true }> = [
  { field: "drifted", tag: "d", flag: true },
  { field: "assetsHash", tag: "a" },
  { field: "migrationTag", tag: "m" },
  { field: "hostnamesHash", tag: "h" },
  { field: "hostnames", tag: "n" },
];

const HEADER = "#2";
/** The line form's flag (before the header form). */
const DRIFTED = "drifted";

// A modification time as Cloudflare writes them: to the second, and a fraction of up to 9 digits kept digit for digit.
const ISO_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/;
// A fingerprint as fleet/spec.ts makes them: 16 hex digits, written as the 11 base64url characters of its 8 bytes.
const HEX_FINGERPRINT = /^[0-9a-f]{16}$/;
/** Marks a field written whole (escaped) because its short form would not read back exactly. */
const WHOLE = "~";

/** 9999-12-31T23:59:59Z: the last second a four-digit year writes. */
const MAX_SECONDS = 253402300799;

/** Tenants uploaded by one `up` share their seconds: each distinct second of one text is parsed and formatted once. */
class Seconds {
  private readonly parsed = new Map<string, number>();
  private readonly formatted = new Map<number, string>();

  of(isoSeconds: string): number {
    let seconds = this.parsed.get(isoSeconds);
    if (seconds === undefined) this.parsed.set(isoSeconds, (seconds = Date.parse(`${isoSeconds}Z`) / 1000));
    return seconds;
  }

  iso(seconds: number): string {
    let text = this.formatted.get(seconds);
    if (text === undefined) this.formatted.set(seconds, (text = new Date(seconds * 1000).toISOString().slice(0, 19)));
    return text;
  }
}

/**
 * A time as the number of fraction digits, then seconds after `base` and the fraction as one base-36
 * number: "2026-11-29T12:01:45.062691Z", 5 s after base, is "6" and 5062691 in base 36.
 */
function shortTime(modifiedOn: string, base: number, memo: Seconds): string | undefined {
  const m = ISO_TIME.exec(modifiedOn);
  if (!m) return undefined;
  const fraction = m[2] ?? "";
  const seconds = memo.of(m[1]);
  const n = (seconds - base) * 10 ** fraction.length + Number(fraction || 0);
  // Reads back exactly: a real date (not rolled over, as "02-30" would be), from base on, and a number without rounding.
  if (!Number.isSafeInteger(n) || n < 0 || seconds > MAX_SECONDS || memo.iso(seconds) !== m[1]) return undefined;
  return `${fraction.length}${n.toString(36)}`;
}

function timeOf(short: string, base: number, memo: Seconds): string {
  const digits = Number(short[0]);
  const n = parseInt(short.slice(1), 36);
  const scale = 10 ** digits;
  const seconds = base + Math.floor(n / scale);
  const fraction = digits === 0 ? "" : `.${String(n % scale).padStart(digits, "0")}`;
  if (!Number.isSafeInteger(n) || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_SECONDS) return "";
  return `${memo.iso(seconds)}${fraction}Z`;
}

/** A fingerprint as its 11 base64url characters; undefined for one that is not 16 hex digits. */
export const shortFingerprint = (hash: string) => (HEX_FINGERPRINT.test(hash) ? Buffer.from(hash, "hex").toString("base64url") : undefined);
/** The fingerprint a short form stands for. */
export const fingerprintOf = (short: string) => Buffer.from(short, "base64url").toString("hex");

/** A field in its short form, or whole after `WHOLE`. */
const written = (value: string, short: string | undefined) => short ?? WHOLE + escaped(value);
const read = (field: string, fromShort: (short: string) => string) =>
  field.startsWith(WHOLE) ? unescaped(field.slice(WHOLE.length)) : fromShort(field);

/** The stored form: the header, then a line per tenant (see the module's comment). */
export function storedTenantStates(states: Record<string, TenantState>): string {
  const names = Object.keys(states);
  if (names.length === 0) return "";
  const byEscaped = new Map(names.map((name) => [escaped(name), states[name]]));
  const memo = new Seconds();
  let earliest = Infinity;
  for (const name of names) {
    const m = ISO_TIME.exec(states[name].modifiedOn);
    const seconds = m ? memo.of(m[1]) : NaN;
    if (Number.isFinite(seconds)) earliest = Math.min(earliest, seconds);
  }
  const base = Number.isFinite(earliest) && earliest >= 0 ? earliest : 0;
  const etags = new Map<string, number>();
  const lines: string[] = [];
  for (const { name, field } of frontCodedNames([...byEscaped.keys()])) {
    const s = byEscaped.get(name)!;
    let etag = etags.get(s.etag);
    if (etag === undefined) etags.set(s.etag, (etag = etags.size));
    const optional = OPTIONAL_FIELDS.filter(({ field: f, flag }) => (flag ? s[f] === true : s[f] !== undefined)).map(
      ({ field: f, tag, flag }) => (flag ? tag : tag + escaped(String(s[f]))),
    );
    lines.push(
      [
        field,
        written(s.specHash, shortFingerprint(s.specHash)),
        etag.toString(36),
        written(s.modifiedOn, shortTime(s.modifiedOn, base, memo)),
        ...optional,
      ].join(" "),
    );
  }
  return [[HEADER, base.toString(36), ...[...etags.keys()].map(escaped)].join(" "), ...lines].join("\n");
}

/** The map from any stored form; nothing stored is no tenant. */
export function tenantStatesOf(stored: StoredTenantStates | undefined | null): Record<string, TenantState> {
  if (stored === undefined || stored === null) return {};
  if (typeof stored !== "string") return stored;
  return stored.startsWith(`${HEADER} `) ? fromHeaderForm(stored) : fromLineForm(stored);
}

function fromHeaderForm(stored: string): Record<string, TenantState> {
  const [header, ...lines] = stored.split("\n");
  const [, baseField, ...etagFields] = header.split(" ");
  const base = parseInt(baseField, 36);
  const etags = etagFields.map(unescaped);
  const readName = nameReader();
  const memo = new Seconds();
  const states: Record<string, TenantState> = {};
  for (const line of lines) {
    if (line === "") continue;
    const [nameField, specHash, etag, time, ...optional] = line.split(" ");
    const state: TenantState = {
      specHash: read(specHash, fingerprintOf),
      etag: etags[parseInt(etag, 36)] ?? "",
      modifiedOn: read(time, (short) => timeOf(short, base, memo)),
    };
    for (const token of optional) {
      const known = OPTIONAL_FIELDS.find(({ tag }) => token[0] === tag);
      if (known) Object.assign(state, { [known.field]: known.flag ? true : unescaped(token.slice(1)) });
    }
    states[unescaped(readName(nameField))] = state;
  }
  return states;
}

/** The line form before the header: `name fingerprint etag modifiedOn [drifted]`. */
function fromLineForm(stored: string): Record<string, TenantState> {
  const states: Record<string, TenantState> = {};
  for (const line of stored.split("\n")) {
    if (line === "") continue;
    const [name, specHash, etag, modifiedOn, flag] = line.split(" ");
    states[unescaped(name)] = {
      specHash: unescaped(specHash),
      etag: unescaped(etag),
      modifiedOn: unescaped(modifiedOn),
      ...(flag === DRIFTED ? { drifted: true } : {}),
    };
  }
  return states;
}
