/**
 * What the local Workers runtime reads. It never looks at the emulator's state directly: the emulator (or a
 * test) hands it a `RuntimeSource`, and the runtime asks it again on every request, so uploads take effect
 * without telling the runtime anything.
 */

/** One module of a Worker, as uploaded (Cloudflare multipart Content-Type). */
export interface RuntimeModule {
  name: string;
  /** e.g. `application/javascript+module`, `text/javascript` (CommonJS / service worker), `application/wasm`, `text/plain`, `application/octet-stream`. */
  contentType: string;
  bytes: Uint8Array;
}

/** A Worker the runtime can run: an account-level script or a tenant script in a dispatch namespace. */
export interface RuntimeScript {
  name: string;
  /** Content hash of code + configuration; a new etag means "reload this Worker". */
  etag: string;
  /** Entry module (ES module), or the service-worker script when its Content-Type is `application/javascript`/`text/javascript`. */
  mainModule: string;
  modules: RuntimeModule[];
  /** Cloudflare metadata binding JSON: `{ type: "plain_text", name, text }`, `{ type: "json", name, json }`, … */
  bindings: Array<Record<string, unknown>>;
  compatibilityDate: string;
  compatibilityFlags: string[];
  /**
   * Class → id of its Durable Object namespace, which objects and their storage are keyed by, so a renamed
   * class keeps them; a class not listed uses its own name as id.
   */
  durableObjectNamespaces?: Record<string, string>;
  /** Static assets served in front of the Worker: manifest paths → file hash, and Cloudflare's `assets.config`. */
  assets?: { files: Record<string, string>; config: Record<string, unknown> };
}

/** A zone route: Cloudflare pattern syntax (`*.platform.example.com/*`, `example.com/api*`, or `*` then `/*`: every host). */
export interface RuntimeRoute {
  pattern: string;
  script: string;
  /**
   * The zone the route belongs to: it then sees only requests entering that zone (its own hostnames and its
   * active custom hostnames), which is what makes the host `*` mean "this zone". Without it the pattern alone decides.
   */
  zone?: string;
}

/** A custom hostname of a zone (Cloudflare for SaaS): a customer's domain whose requests enter the zone once active. */
export interface RuntimeCustomHostname {
  hostname: string;
  /** The zone's name. */
  zone: string;
  active: boolean;
  /** Its custom metadata, which Workers read as `request.cf.hostMetadata`. */
  metadata?: Record<string, string>;
}

/** A Workers custom domain: a hostname whose whole traffic goes to one account script. */
export interface RuntimeCustomDomain {
  hostname: string;
  script: string;
}

export interface RuntimeKvPutOptions {
  /** Absolute expiry, seconds since the epoch (already computed from `expirationTtl` by the runtime). */
  expiration?: number;
  metadata?: unknown;
}

export interface RuntimeKvListOptions {
  prefix?: string;
  limit?: number;
  cursor?: string;
}

export interface RuntimeKvListResult {
  keys: Array<{ name: string; expiration?: number; metadata?: unknown }>;
  list_complete: boolean;
  cursor?: string;
}

/** Backing store for `kv_namespace` bindings (account scripts and tenants alike). */
export interface RuntimeKv {
  get(namespaceId: string, key: string): Promise<Uint8Array | undefined>;
  /** Optional: value + metadata in one call (`getWithMetadata`); without it metadata reads as null. */
  getWithMetadata?(namespaceId: string, key: string): Promise<{ value: Uint8Array; metadata: unknown } | undefined>;
  put(namespaceId: string, key: string, value: Uint8Array, options?: RuntimeKvPutOptions): Promise<void>;
  delete(namespaceId: string, key: string): Promise<void>;
  list(namespaceId: string, options?: RuntimeKvListOptions): Promise<RuntimeKvListResult>;
}

export interface RuntimeSource {
  /** Account-level Worker (e.g. the dispatcher), or undefined. */
  accountScript(name: string): RuntimeScript | undefined;
  accountScripts(): RuntimeScript[];
  /** Tenant Worker in a dispatch namespace, or undefined. */
  namespaceScript(namespace: string, name: string): RuntimeScript | undefined;
  /** Zone routes (all zones). */
  routes(): RuntimeRoute[];
  /** The cron expressions of an account script's cron triggers (none: the edge never fires its scheduled handler). */
  schedules?(script: string): string[];
  /** Custom hostnames of the zones (Cloudflare for SaaS). */
  customHostnames?(): RuntimeCustomHostname[];
  /** Workers custom domains: every path of `hostname` goes to `script` (routes on the same hostname win). */
  customDomains?(): RuntimeCustomDomain[];
  /** `<script>.<subdomain>.workers.dev` for each enabled script, when the account has a subdomain. */
  workersDev(): { subdomain?: string; enabledScripts: string[] };
  /** An uploaded asset file by hash (bytes and the Content-Type it was uploaded with). */
  asset?(hash: string): { bytes: Uint8Array; contentType: string | null } | undefined;
  /** Backing for KV bindings; without it the runtime keeps KV in memory (`createMemoryKv`). */
  kv?: RuntimeKv;
}

/** Something the runtime could not do as Cloudflare would, reported instead of failing. */
export interface RuntimeWarning {
  /** `account` script or `namespace/<ns>` tenant. */
  scope: string;
  script: string;
  message: string;
}
