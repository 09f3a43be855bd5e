/** Which interfaces count as loopback, and that the emulator listens beyond it only when asked to. */
import { startEmulator } from "../../emulator";
import { isLoopbackHost } from "../../emulator/exposure";

it.each(["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "::ffff:127.0.0.1"])("%s is loopback", (host) => {
  expect(isLoopbackHost(host)).toBe(true);
});

it.each(["0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com", "127.example.com", "::ffff:10.0.0.1", ""])(
  "%j is beyond loopback",
  (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  },
);

it("refuses an API or edge interface beyond loopback without allowRemote, naming the option", async () => {
  await expect(startEmulator({ host: "0.0.0.0" })).rejects.toThrow(
    /refusing to listen on 0\.0\.0\.0, which is beyond loopback.*allowRemote: true \(CLI: --allow-remote\)/,
  );
  await expect(startEmulator({ edge: { host: "0.0.0.0" } })).rejects.toThrow(/refusing to listen on 0\.0\.0\.0/);
});

it("listens on every interface with allowRemote, its control endpoints still behind the token", async () => {
  const emu = await startEmulator({ host: "0.0.0.0", allowRemote: true });
  try {
    const state = (headers: Record<string, string>) => fetch(`http://127.0.0.1:${emu.port}/__emulator/state`, { headers });
    expect((await state({})).status).toBe(400);
    expect((await state({ authorization: `Bearer ${emu.controlToken}` })).status).toBe(200);
  } finally {
    await emu.close();
  }
});
