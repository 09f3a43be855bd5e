/**
 * The account check that every provider process makes once: one GET, all a preview or a no-op
 * `pulumi up` asks of Cloudflare; and when Cloudflare refuses it, the same failures on the same
 * properties as any other call.
 */
import type { Emulator } from "../../emulator";
import { providersIn } from "../../provider";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
const env = useProviderEmulator((e) => (emu = e));

/** A provider as a fresh process has it: a context of its own. */
const freshProvider = () => ({ provider: { providers: providersIn(providerContext(env)) } });

const tenant = (extra: Record<string, unknown> = {}) => ({
  namespace: "tenants",
  scriptName: "tenant-a",
  content: 'export default { fetch() { return new Response("a") } }',
  ...extra,
});

describe("the account check", () => {
  it("is one GET of the account, and check and diff of an unchanged tenant ask nothing more", async () => {
    const { provider } = freshProvider();
    const { NamespacedWorkerScript: kind } = provider.providers;
    const checked = await kind.check!({}, tenant({ accountId: emu.accountId }));
    expect(checked.failures ?? []).toEqual([]);
    const diff = await kind.diff!("tenant-a", { ...checked.inputs }, checked.inputs);
    expect(diff.changes).toBe(false);
    expect(emu.requests.entries.map((e) => `${e.method} ${e.path}`)).toEqual([`GET /accounts/${emu.accountId}`]);
  });

  it("fails check at accountId when the credentials cannot reach the account", async () => {
    const { provider } = freshProvider();
    const other = "0".repeat(32);
    const result = await provider.providers.DispatchNamespace.check!({}, { namespace: "tenants", accountId: other });
    expect(result.failures).toEqual([
      {
        property: "accountId",
        reason: expect.stringMatching(
          new RegExp(`^account ${other} is not reachable with these credentials \\(Cloudflare answered HTTP 40[34]\\)`),
        ),
      },
    ]);
  });

  it.each([[{}], [42], ["token with spaces"], ["line\nbreak"], ["nul\0"]])(
    "fails check at apiToken for %j, without a request",
    async (apiToken) => {
      const { provider } = freshProvider();
      const result = await provider.providers.DispatchNamespace.check!({}, { namespace: "tenants", apiToken });
      expect(result.failures).toEqual([
        { property: "apiToken", reason: "apiToken must be a string of printable ASCII characters without spaces" },
      ]);
      expect(emu.requests.entries).toEqual([]);
    },
  );
});
