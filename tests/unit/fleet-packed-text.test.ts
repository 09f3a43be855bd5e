/**
 * A fleet's tenant texts and its secret text, as the sdk writes them and the provider reads them:
 * bindings in their compact form read back in Cloudflare's shape, texts written before the compact
 * form read the same, and every tenant's secret bindings in one text read back exactly.
 */
import { UNKNOWN } from "../../provider/framework/unknowns";
import { packedText, specOfText, withSecretsApart } from "../../provider/fleet/packed-spec";
import {
  type TenantSecrets,
  UNKNOWN_SECRETS,
  parsedSecrets,
  storedTenantSecrets,
  tenantSecretsOf,
} from "../../provider/fleet/tenant-secrets";
import type { TenantSpec } from "../../provider/fleet/spec";

const KV = "0f2ac74b498b48028cb68387c421e279";

describe("a tenant's text", () => {
  const spec = {
    bindings: {
      PLAN: { type: "plain_text", text: "pro" },
      CONFIG: { type: "json", json: { plan: "pro", seats: 5 } },
      DATA: { type: "kv_namespace", namespace_id: KV },
      API: { type: "service", service: "api" },
      FILES: { type: "r2_bucket", bucket_name: "files", jurisdiction: "eu" },
      AI: { type: "ai" },
    },
    secretBindings: {
      TOKEN: { type: "secret_text", text: "t0k3n" },
      SIGNING: { type: "secrets_store_secret", store_id: "s", secret_name: "n" },
    },
    tags: ["plan-pro"],
  };

  it("writes a plain text binding as its string and a binding of one field as { <type>: value }, any other in Cloudflare's shape", () => {
    expect(JSON.parse(packedText(spec))).toEqual({
      bindings: {
        PLAN: "pro",
        CONFIG: { json: { plan: "pro", seats: 5 } },
        DATA: { kv_namespace: KV },
        API: { service: "api" },
        FILES: spec.bindings.FILES,
        AI: { type: "ai" },
      },
      secretBindings: { TOKEN: "t0k3n", SIGNING: spec.secretBindings.SIGNING },
      tags: ["plan-pro"],
    });
  });

  it("reads back as the spec in Cloudflare's shape", () => {
    expect(specOfText(packedText(spec))).toEqual(spec);
  });

  it("reads a text written before the compact form, in Cloudflare's shape throughout, the same", () => {
    expect(specOfText(JSON.stringify(spec))).toEqual(spec);
  });

  it("keeps a text that is not a JSON object as it is, for check to refuse", () => {
    expect(specOfText("not json")).toBe("not json");
    expect(specOfText("[1]")).toBe("[1]");
  });
});

describe("every tenant's secret bindings as one text", () => {
  const secrets: TenantSecrets = {
    "tenant-a": {
      API_KEY: { type: "secret_text", text: "sk a=b:c %-\n" },
      SIGNING: { type: "secrets_store_secret", store_id: "s 1", secret_name: "n" },
    },
    "tenant-b": { API_KEY: { type: "secret_text", text: "-" } },
    "tenant-c": UNKNOWN_SECRETS,
  };

  it("read back exactly, a tenant whose secrets are not known yet included", () => {
    const text = storedTenantSecrets(secrets)!;
    expect(text.split("\n")).toHaveLength(3);
    expect(tenantSecretsOf(text, parsedSecrets())).toEqual(secrets);
  });

  it("are no text when no tenant has a secret binding, and no tenant's secrets without a text", () => {
    expect(storedTenantSecrets({ "tenant-a": {} })).toBeUndefined();
    expect(tenantSecretsOf(undefined, parsedSecrets())).toEqual({});
  });

  it("are unknown as a whole while their text is", () => {
    expect(tenantSecretsOf(UNKNOWN, parsedSecrets())).toBe(UNKNOWN);
  });
});

describe("a tenant's spec with its secret bindings put back", () => {
  const tenant = { bindings: { PLAN: { type: "plain_text", text: "pro" } } } as TenantSpec;
  const secrets: TenantSecrets = { "tenant-a": { API_KEY: { type: "secret_text", text: "k" } }, "tenant-c": UNKNOWN_SECRETS };

  it("holds the tenant's own secret bindings from the secret text", () => {
    expect(withSecretsApart(tenant, "tenant-a", secrets)).toEqual({
      ...tenant,
      secretBindings: { API_KEY: { type: "secret_text", text: "k" } },
    });
  });

  it("is the tenant as given when the secret text has nothing for it", () => {
    expect(withSecretsApart(tenant, "tenant-b", secrets)).toBe(tenant);
  });

  it("has unknown secret bindings when the tenant's secrets are not known yet, or the whole text is not", () => {
    expect(withSecretsApart(tenant, "tenant-c", secrets).secretBindings).toBe(UNKNOWN);
    expect(withSecretsApart(tenant, "tenant-a", UNKNOWN).secretBindings).toBe(UNKNOWN);
  });
});
