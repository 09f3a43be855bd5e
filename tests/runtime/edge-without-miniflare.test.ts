/** miniflare is an optional peer dependency: asking for the edge without it fails clearly, and leaves no server behind. */
describe("startEmulator({ edge }) without miniflare installed", () => {
  beforeEach(() => {
    jest.resetModules();
    jest.doMock("miniflare", () => {
      throw Object.assign(new Error("Cannot find module 'miniflare' from 'emulator/runtime-source/edge.ts'"), { code: "MODULE_NOT_FOUND" });
    });
  });
  afterEach(() => jest.dontMock("miniflare"));

  it("rejects with an error naming the missing dependency", async () => {
    const { startEmulator } = require("../../emulator") as typeof import("../../emulator");
    await expect(startEmulator({ edge: {} })).rejects.toThrow(/optional peer dependency 'miniflare'/);
  });

  it("still starts the API without edge", async () => {
    const { startEmulator } = require("../../emulator") as typeof import("../../emulator");
    const emu = await startEmulator();
    await emu.close();
    expect(emu.edge).toBeUndefined();
  });
});
