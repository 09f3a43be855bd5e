/**
 * Everything a provider returns reaches the engine through google-protobuf's Struct encoding, which
 * throws on `undefined` inside an object: one such value fails the whole command. For every kind,
 * with every optional input set, each step's result (check, create, read with nothing changed, read
 * after Cloudflare's settings changed outside Pulumi, update) is encoded as the engine encodes it.
 */
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { Emulator } from "../../emulator";
import { structSafe } from "../../provider/framework/struct-safe";
import { rawFetch } from "../emulator/script-helpers";
import { providersIn } from "../../provider";
import { createdState, everyInput, type KindCase } from "./every-input";
import { providerContext, useProviderEmulator } from "./provider-emulator";

let emu: Emulator;
const env = useProviderEmulator((e) => (emu = e));
const context = providerContext(env);
const providers = providersIn(context);

const encodes = (value: unknown) => expect(() => Struct.fromJavaScript(value as never)).not.toThrow();

/** A settings PATCH as wrangler and the dashboard send it: one multipart part named `settings`. */
async function patchSettings(path: string, settings: Record<string, unknown>): Promise<void> {
  const form = new FormData();
  form.append("settings", new Blob([JSON.stringify(settings)], { type: "application/json" }), "settings.json");
  const res = await rawFetch(emu, "PATCH", `${path}/settings`, { body: form });
  expect(res.status).toBe(200);
}

/** Changes each kind outside Pulumi, the way another client would. */
const outOfBand: Record<string, (c: KindCase, outs: Record<string, unknown>) => Promise<void>> = {
  DispatchNamespace: async (_c, outs) => {
    const res = await rawFetch(emu, "PUT", `/accounts/${emu.accountId}/workers/dispatch/namespaces/${outs.namespace}`, {
      body: JSON.stringify({ name: "renamed-outside", trusted_workers: false }),
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
  },
  KVNamespace: async (_c, outs) => {
    const res = await rawFetch(emu, "PUT", `/accounts/${emu.accountId}/storage/kv/namespaces/${outs.namespaceId}`, {
      body: JSON.stringify({ title: "retitled-outside" }),
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(200);
  },
  // Only cpu_ms: Cloudflare then reports limits without subrequests.
  NamespacedWorkerScript: (_c, outs) =>
    patchSettings(`/accounts/${emu.accountId}/workers/dispatch/namespaces/${outs.namespace}/scripts/${outs.scriptName}`, {
      limits: { cpu_ms: 10 },
      tags: ["changed"],
    }),
  WorkerScript: (_c, outs) =>
    patchSettings(`/accounts/${emu.accountId}/workers/scripts/${outs.scriptName}`, { limits: { cpu_ms: 10 }, logpush: true }),
  TenantFleet: (_c, outs) =>
    patchSettings(`/accounts/${emu.accountId}/workers/dispatch/namespaces/${outs.namespace}/scripts/every-input-fleet-a`, {
      tags: ["changed"],
    }),
};

describe.each(["DispatchNamespace", "KVNamespace", "NamespacedWorkerScript", "WorkerScript", "TenantFleet"])(
  "%s with every optional input",
  (kindName) => {
    it("returns from every step what the engine can encode", async () => {
      const c = (await everyInput(emu, providers)).find((k) => k.kind === kindName)!;
      const checked = await c.provider.check!({}, c.inputs);
      encodes(checked.inputs);
      const { id, news, outs } = await createdState(c);
      encodes(outs);
      const unchanged = await c.provider.read!(id, outs);
      encodes(unchanged.props);
      encodes(unchanged.inputs);

      await outOfBand[kindName](c, outs);
      const drifted = await c.provider.read!(id, outs);
      encodes(drifted.props);
      encodes(drifted.inputs);
      expect(drifted.props).not.toEqual(unchanged.props); // the change outside Pulumi is seen

      const updated = await c.provider.update!(id, drifted.props, news);
      encodes(updated.outs);
    });
  },
);

describe("structSafe", () => {
  it("drops undefined object fields, keeps list lengths with null, and refuses what cannot be stored", () => {
    expect(structSafe({ limits: { cpuMs: 50, subrequests: undefined }, tags: ["a", undefined], at: new Date(0) })).toEqual({
      limits: { cpuMs: 50 },
      tags: ["a", null],
      at: "1970-01-01T00:00:00.000Z",
    });
    expect(() => structSafe({ code: new Uint8Array(1) })).toThrow("value.code is binary data");
    expect(() => structSafe({ f: () => 1 })).toThrow("value.f is a function");
  });
});
