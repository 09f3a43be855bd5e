/**
 * AssetReads: a directory read once for every use its owner makes of it (check's manifest hash, the
 * upload, each tenant serving it), until the owner drops it; a directory that cannot be read is
 * refused at each use.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { AssetReads } from "../../provider/workers/asset-reads";
import { readAssetDirectory } from "../../provider/workers/assets";

let base: string;
beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "asset-reads-"));
  fs.mkdirSync(path.join(base, "site"));
  fs.writeFileSync(path.join(base, "site", "index.html"), "<h1>one</h1>");
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

describe("AssetReads", () => {
  it("reads a directory once: later uses get that read, however the directory is named, until the owner makes a new AssetReads", () => {
    const reads = new AssetReads(base);
    const first = reads.read("site");
    expect(first.manifestHash).toBe(readAssetDirectory("site", base).manifestHash);
    fs.writeFileSync(path.join(base, "site", "index.html"), "<h1>two</h1>");
    expect(reads.read("site")).toBe(first);
    expect(reads.read("./site/")).toBe(first);
    expect(new AssetReads(base).read("site").manifestHash).not.toBe(first.manifestHash);
  });

  it("refuses a directory that does not exist at each use, and reads it once it does", () => {
    const reads = new AssetReads(base);
    expect(() => reads.read("later")).toThrow(/assets.directory 'later' is not a directory/);
    fs.mkdirSync(path.join(base, "later"));
    fs.writeFileSync(path.join(base, "later", "a.txt"), "a");
    expect(reads.read("later").files.map((f) => f.path)).toEqual(["/a.txt"]);
  });
});
