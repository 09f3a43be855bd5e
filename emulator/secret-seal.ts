/**
 * Secret values at rest: the state journal (and a `state.json` of earlier versions) holds every secret
 * binding's value sealed with AES-256-GCM under a key kept beside it in `<dataDir>/secrets.key` (32 random
 * bytes, hex, mode 0600, made on first use). A reader of the state file alone (a file attached to a bug report, copied to another machine, shown by
 * an editor or a backup tool) sees `{ "sealed": "…" }`, which it cannot open and whose authentication
 * tag makes any edit fail loudly. Whoever can read the key file can open them: that is the user running
 * the emulator, who uploaded the values in the first place. See README.md ("Secrets").
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { isSecretValueField, secretFieldsOf } from "./workers/secrets";

export const SECRET_KEY_FILE = "secrets.key";
const ALGORITHM = "aes-256-gcm";
const PREFIX = "v1";

/** What a secret value looks like on disk. */
export interface SealedValue {
  /** `v1.<iv>.<tag>.<ciphertext>`, each base64url; the plaintext is the value's JSON. */
  sealed: string;
}

function isSealed(v: unknown): v is SealedValue {
  return (
    v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as SealedValue).sealed === "string"
  );
}

export class SecretSeal {
  private constructor(
    private readonly key: Buffer,
    private readonly keyFile: string,
  ) {}

  /** The seal of a data directory: reads `secrets.key`, or creates it (0600) when absent. */
  static forDataDir(dir: string): SecretSeal {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, SECRET_KEY_FILE);
    try {
      fs.writeFileSync(file, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    const hex = fs.readFileSync(file, "utf8").trim();
    if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${file} must hold 64 hex characters (the key sealing secret values on disk)`);
    return new SecretSeal(Buffer.from(hex, "hex"), file);
  }

  /** JSON text of `doc` with every secret value sealed (one pass, as a JSON.stringify replacer). */
  stringify(doc: unknown, space?: number): string {
    const replacer = (_key: string, value: unknown): unknown => {
      const fields = secretFieldsOf(value);
      if (fields.length === 0) return value;
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const f of fields) if (out[f] !== undefined) out[f] = sealOne(this.key, out[f]);
      return out;
    };
    return JSON.stringify(doc, replacer, space);
  }

  /** Parses state text, opening every sealed value (plain values, from a file written before sealing, stay as they are). */
  parse(text: string): unknown {
    // A reviver runs for every value of the document; text without a sealed value (most of a journal's
    // records, which `stringify` wrote and which never escapes a letter) needs none.
    if (!text.includes('"sealed"')) return JSON.parse(text);
    return JSON.parse(text, (key, value: unknown) => {
      if (!isSecretValueField(key) || !isSealed(value)) return value;
      return this.open(value);
    });
  }

  private open(v: SealedValue): unknown {
    const [prefix, iv, tag, data] = v.sealed.split(".");
    try {
      if (prefix !== PREFIX || data === undefined) throw new Error(`unknown format`);
      const decipher = createDecipheriv(ALGORITHM, this.key, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      const plain = Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]);
      return JSON.parse(plain.toString("utf8"));
    } catch (err) {
      throw new Error(
        `cannot open a sealed secret value with ${this.keyFile} (another key, or an edited file): ${(err as Error).message}`,
        { cause: err },
      );
    }
  }
}

function sealOne(key: Buffer, value: unknown): SealedValue {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return { sealed: [PREFIX, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".") };
}
