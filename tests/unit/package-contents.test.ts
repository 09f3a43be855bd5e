/**
 * The tarball users install holds the compiled package and its documents only: the development code
 * (demo, benchmarks, test harness, compiled into dist-dev/) and the sources never ship.
 */
import { packedFiles } from "../../toolchain/pack-package";
import { ensureBuilt } from "../harness/ensure-engine";

jest.setTimeout(60_000);

const SHIPPED_DIRS = ["dist/sdk/", "dist/provider/", "dist/emulator/", "dist/importer/"];
const SHIPPED_FILES = ["README.md", "LICENSE", "CHANGELOG.md", "package.json"];

describe("npm pack", () => {
  let files: string[];
  beforeAll(() => {
    ensureBuilt();
    files = packedFiles();
  });

  it("packs only the compiled sdk, provider, emulator and importer, the README, LICENSE, CHANGELOG and package.json", () => {
    const elsewhere = files.filter((file) => !SHIPPED_FILES.includes(file) && !SHIPPED_DIRS.some((dir) => file.startsWith(dir)));
    expect(elsewhere).toEqual([]);
  });

  it("packs each of them", () => {
    const missing = [
      ...SHIPPED_FILES.filter((file) => !files.includes(file)),
      ...SHIPPED_DIRS.filter((dir) => !files.some((file) => file.startsWith(dir))),
    ];
    expect(missing).toEqual([]);
  });

  it("packs the entry points package.json names", () => {
    expect(files).toEqual(
      expect.arrayContaining(["dist/sdk/index.js", "dist/sdk/index.d.ts", "dist/importer/cli.js", "dist/emulator/cli.js"]),
    );
  });
});
