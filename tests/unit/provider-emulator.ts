/**
 * Provider specs call provider methods directly, which read credentials from the environment like
 * the provider process does: one emulator per file, its credentials in process.env, a clean state
 * before each test (registered before the file's own beforeEach, so those run on the clean state).
 */
import { Emulator, startEmulator } from "../../emulator";

export function useProviderEmulator(bind: (emu: Emulator) => void): void {
  let emu: Emulator | undefined;
  const savedEnv = { ...process.env };
  beforeAll(async () => {
    emu = await startEmulator();
    Object.assign(process.env, emu.env);
    bind(emu);
  });
  afterAll(async () => {
    process.env = savedEnv;
    await emu?.close();
  });
  beforeEach(() => emu?.reset());
}

/** Modules as a fresh provider process has them: their own registry, so nothing other specs loaded (the SDK, say) counts. */
export function inFreshRegistry<T>(load: () => T): T {
  let loaded!: T;
  jest.isolateModules(() => {
    loaded = load();
  });
  return loaded;
}
