/**
 * Provider specs call provider methods directly, in a provider context of their own whose
 * environment holds the emulator's credentials, as a provider process's would: one emulator per
 * file, a clean state before each test (registered before the file's own beforeEach, so those run on
 * the clean state).
 */
import { type Emulator, startEmulator } from "../../emulator";
import { ProviderContext, type ContextOptions } from "../../provider/context";

/**
 * Starts the file's emulator and returns the environment its provider contexts read: empty until
 * the emulator is up, then its credentials and base URL (add more per spec).
 */
export function useProviderEmulator(bind: (emu: Emulator) => void): NodeJS.ProcessEnv {
  let emu: Emulator | undefined;
  const env: NodeJS.ProcessEnv = {};
  beforeAll(async () => {
    emu = await startEmulator();
    Object.assign(env, emu.env);
    bind(emu);
  });
  afterAll(async () => {
    await emu?.close();
  });
  beforeEach(() => emu?.reset());
  return env;
}

/** A provider context as a fresh provider process has it, reading `env`. */
export function providerContext(env: NodeJS.ProcessEnv, options: Omit<ContextOptions, "env"> = {}): ProviderContext {
  return new ProviderContext({ ...options, env });
}
