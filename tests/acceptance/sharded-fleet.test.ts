/**
 * examples/sharded-fleet as docs/operating/sharding.md has a user run it: the namespace in a stack of its own, the
 * tenants split across shard stacks by `shardOf`, every stack's state in one bucket of a real S3-compatible server
 * (SeaweedFS, built by scripts/object-store.sh) through an `s3://` backend URL, all against one emulator account.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { shardOf } from "../../sdk/shard";
import { fleetOfExport } from "../../toolchain/fleet-state";
import { type ObjectStore, startObjectStore } from "../../toolchain/object-store";
import { EmulatorProcess } from "./harness/emulator-process";
import { acceptanceRoot, examplesDir } from "./harness/paths";
import { UserProject } from "./harness/user-project";

jest.setTimeout(300_000);

const NAMESPACE = "customer-workers";
const TENANTS = 20;
const BUCKET = "pulumi-state";

let emu: EmulatorProcess;
let store: ObjectStore;
let platform: UserProject;
let shards: UserProject;
const storeDir = path.join(acceptanceRoot, `object-store-${process.pid}`);

/** Runs a command on one shard's stack and expects it to succeed. */
const onShard = (stack: string, ...args: string[]) => shards.must([...args, "--stack", stack]);
const up = (stack: string) => onShard(stack, "up", "--yes", "--skip-preview");
const fleetOf = async (stack: string) => fleetOfExport((await onShard(stack, "stack", "export", "--show-secrets")).stdout);
const scriptsInNamespace = async () =>
  (await emu.api<Array<{ script: { id: string } }>>("GET", `/accounts/${emu.accountId}/workers/dispatch/namespaces/${NAMESPACE}/scripts`))
    .map((s) => s.script.id)
    .sort();
const uploads = async () =>
  (await emu.requests()).filter((r) => r.method === "PUT" && new RegExp(`/namespaces/${NAMESPACE}/scripts/[^/]+$`).test(r.path)).length;

async function configureShard(stack: string, config: Record<string, number>): Promise<void> {
  const pairs = Object.entries({ ...config, tenantCount: TENANTS }).flatMap(([key, value]) => ["--plaintext", `${key}=${value}`]);
  await onShard(stack, "config", "set-all", ...pairs);
}

/** Every shard's state holds exactly its own tenants, deployed, and together they are the namespace's scripts. */
async function expectShardsToHoldTheNamespace(stacks: string[], shardCount: number): Promise<void> {
  const fleets = await Promise.all(stacks.map(fleetOf));
  fleets.forEach((fleet, index) => {
    expect(fleet.deployed).toEqual(fleet.declared);
    expect(fleet.declared.filter((name) => shardOf(name, shardCount) !== index)).toEqual([]);
  });
  const all = fleets.flatMap((fleet) => fleet.declared).sort();
  expect(all).toHaveLength(TENANTS);
  expect(await scriptsInNamespace()).toEqual(all);
}

beforeAll(async () => {
  emu = await EmulatorProcess.start();
  fs.rmSync(storeDir, { recursive: true, force: true });
  store = await startObjectStore(storeDir);
  const env = { ...emu.env, ...store.env, PULUMI_BACKEND_URL: await store.backendUrl(BUCKET) };
  platform = await UserProject.create({ source: path.join(examplesDir, "sharded-fleet", "namespace"), env });
  await platform.setConfig("namespace", NAMESPACE);
  await platform.must(["up", "--yes", "--skip-preview"]);
  shards = await UserProject.create({ source: path.join(examplesDir, "sharded-fleet", "shard"), env });
  for (const index of [0, 1]) {
    await shards.must(["stack", "init", `shard-${index}`]);
    await configureShard(`shard-${index}`, { shardCount: 2, shardIndex: index });
  }
});

// The stacks' state goes with the object store and their tenants with the emulator: nothing to destroy first.
afterAll(async () => {
  await shards?.dispose();
  await platform?.dispose();
  await store?.close();
  await emu?.stop();
  fs.rmSync(storeDir, { recursive: true, force: true });
});

describe("examples/sharded-fleet on an s3:// backend", () => {
  it("deploys two shards at once into the namespace stack's namespace, each stack's state an object of the bucket", async () => {
    await Promise.all([up("shard-0"), up("shard-1")]);
    await expectShardsToHoldTheNamespace(["shard-0", "shard-1"], 2);
    const stacks = (await onShard("shard-0", "stack", "ls", "--json")).stdout;
    expect((JSON.parse(stacks) as Array<{ name: string }>).map((s) => s.name).sort()).toEqual(["dev", "shard-0", "shard-1"]);
    // The checkpoints are objects of the bucket, in the DIY backend's layout.
    expect(await store.list(BUCKET, ".pulumi/stacks/wfp-sharded-fleet")).toEqual(expect.arrayContaining(["shard-0.json", "shard-1.json"]));
  });

  it("previews no change on either shard", async () => {
    for (const stack of ["shard-0", "shard-1"]) {
      const preview = await onShard(stack, "preview", "--diff");
      expect(preview.stdout).not.toMatch(/[+~-] .*cloudflare-wfp:TenantFleet/);
      expect(preview.stdout).toMatch(/\d+ unchanged/);
    }
  });

  it("grows to three shards: the tenants that move are released by their old shard and adopted by the new one, none uploaded", async () => {
    const before = await uploads();
    for (const index of [0, 1]) await configureShard(`shard-${index}`, { shardCount: 3, shardIndex: index, previousShardCount: 2 });
    await shards.must(["stack", "init", "shard-2"]);
    await configureShard("shard-2", { shardCount: 3, shardIndex: 2 });
    await Promise.all([up("shard-2"), up("shard-0"), up("shard-1")]);
    expect(await uploads()).toBe(before);
    await expectShardsToHoldTheNamespace(["shard-0", "shard-1", "shard-2"], 3);
    const moved = (await fleetOf("shard-2")).declared;
    expect(moved.length).toBeGreaterThan(0);
  });

  it("destroys one shard's tenants only, leaving the other shards' and the namespace", async () => {
    const gone = (await fleetOf("shard-2")).declared;
    await onShard("shard-2", "destroy", "--yes", "--skip-preview");
    const left = await scriptsInNamespace();
    expect(left).toHaveLength(TENANTS - gone.length);
    expect(left.filter((name) => gone.includes(name))).toEqual([]);
  });
});
