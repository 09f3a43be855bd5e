/** `pulumi-cloudflare-wfp-emulator --edge-port <n>`: prints EDGE_URL and serves uploaded Workers there. */
import { main } from "../../emulator/cli";
import { defaultZoneId } from "../../emulator";
import { sdk } from "../emulator/helpers";
import { workerForm } from "../emulator/script-helpers";
import { edgeRequest } from "../../emulator/edge-client";

it("prints EDGE_URL and routes to a Worker uploaded through the API", async () => {
  const out: string[] = [];
  const session = await main(
    ["--port", "0", "--edge-port", "0"],
    { out: (l) => out.push(l), err: () => undefined },
    { handleSignals: false },
  );
  try {
    const emu = session!.emulator;
    expect(out).toContain(`EDGE_URL=${emu.edge!.url}`);
    const form = workerForm(
      { main_module: "index.js", compatibility_date: "2025-01-01" },
      { "index.js": `export default { fetch: () => new Response("from the CLI edge") }` },
    );
    const cf = sdk(emu);
    await cf.put(`/accounts/${emu.accountId}/workers/scripts/hello`, { body: form });
    await cf.workers.routes.create({ zone_id: defaultZoneId(emu.accountId, "example.com"), pattern: "example.com/*", script: "hello" });
    expect(await edgeRequest(emu.edge!, "example.com", "/")).toMatchObject({ status: 200, text: "from the CLI edge" });
  } finally {
    await session?.stop();
  }
});
