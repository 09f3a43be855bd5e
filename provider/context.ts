/**
 * Everything a provider process keeps between calls, in one object made where the process starts
 * (provider/index.ts) and passed down explicitly: the configuration (stack config and environment),
 * the request policy, what was created recently (eventual consistency), the account each credential
 * resolved to, the API of each credential, and the memos that save work between calls (caches.ts).
 * Two contexts share nothing, so a spec builds its own instead of editing process.env or resetting
 * module state; no module of the provider keeps state of its own.
 */
import { ProviderCaches } from "./caches";
import { CloudflareApi } from "./cloudflare/api";
import { Visibility, visibilityBoundFrom } from "./cloudflare/consistency";
import { ProviderConfig, credentialsCacheKey, type Credentials } from "./cloudflare/credentials";
import { RequestPolicy, settingsFromEnvironment } from "./cloudflare/request-policy";

export interface ContextOptions {
  /** The environment read for credentials and settings (default: this process's, as it is now). */
  env?: NodeJS.ProcessEnv;
  policy?: RequestPolicy;
  visibility?: Visibility;
}

export class ProviderContext {
  readonly config: ProviderConfig;
  readonly policy: RequestPolicy;
  readonly visibility: Visibility;
  /** The verified account id per credential and explicit account (account.ts), a failed lookup not kept. */
  readonly accountLookups = new Map<string, Promise<string>>();
  /** Parsed texts, built code and other work remembered between calls. */
  readonly caches = new ProviderCaches();
  private readonly apis = new Map<string, CloudflareApi>();

  constructor(options: ContextOptions = {}) {
    const env = options.env ?? process.env;
    this.config = new ProviderConfig(env);
    this.policy = options.policy ?? new RequestPolicy(settingsFromEnvironment(env));
    this.visibility = options.visibility ?? new Visibility(visibilityBoundFrom(env));
  }

  /** The API of `credentials`, one per credential, through this context's policy. */
  api(credentials: Credentials): CloudflareApi {
    const key = credentialsCacheKey(credentials);
    let api = this.apis.get(key);
    if (!api) this.apis.set(key, (api = new CloudflareApi(credentials, this.policy)));
    return api;
  }
}
