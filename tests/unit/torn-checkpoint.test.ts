/**
 * After a `pulumi up` killed while saving, the file backend can hold an empty `<stack>.json.attrs`
 * beside an intact checkpoint, and every command then fails with "failed to load checkpoint: EOF".
 * The recovery removes exactly such empty sidecars and nothing else.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { removeTornAttributes } from "../harness/torn-checkpoint";

it("removes the empty metadata sidecars of a backend and keeps every other file", () => {
  const backend = fs.mkdtempSync(path.join(os.tmpdir(), "wfp-torn-"));
  const stacks = path.join(backend, ".pulumi", "stacks", "project");
  fs.mkdirSync(stacks, { recursive: true });
  const files = {
    "dev.json": '{"version":3}',
    "dev.json.attrs": "",
    "dev.json.bak": '{"version":3}',
    "dev.json.bak.attrs": '{"user.content_type":"application/json"}',
  };
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(stacks, name), text);

  expect(removeTornAttributes(backend)).toEqual([path.join(stacks, "dev.json.attrs")]);
  expect(fs.readdirSync(stacks).sort()).toEqual(["dev.json", "dev.json.bak", "dev.json.bak.attrs"]);
  expect(removeTornAttributes(path.join(backend, "missing"))).toEqual([]);
  fs.rmSync(backend, { recursive: true, force: true });
});
