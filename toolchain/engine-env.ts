/**
 * The environment the Go-built Pulumi CLI needs here: the engine binaries and the dynamic-provider
 * plugin script (shipped in @pulumi/pulumi) on PATH, then the Node.js that programs and providers run
 * on (the language host runs `node` from PATH), a local file backend, and no update checks.
 */
import * as os from "node:os";
import * as path from "node:path";
import { nodeBinDir } from "./node-runtime";
import { repoRoot } from "./repo-root";

export { repoRoot };
/** scripts/engine.sh links the cached engine here (bin/pulumi, bin/pulumi-language-nodejs). */
export const engineRoot = path.join(repoRoot, ".engine");

export interface EngineEnvOptions {
  /** Where the file backend keeps state. */
  backendDir: string;
  /** PULUMI_HOME: plugins cache, credentials of the local backend. */
  pulumiHome: string;
  passphrase: string;
  /** The bin directory of the `node` that programs and providers run on (default: Node 24, the primary runtime). */
  nodeBinDir?: string;
  /**
   * Whether the nodejs language host type-checks a TypeScript program before running it, as `pulumi` does
   * by default (ts-node without `transpileOnly`). Default: true. Type-checking costs about six seconds the
   * first time a program runs in a new folder; a suite that type-checks its programs with tsc beforehand
   * turns it off.
   */
  checkProgramTypes?: boolean;
}

/**
 * Where Node.js keeps the code it compiled (NODE_COMPILE_CACHE, Node 22.1+; keyed by each file's content
 * and the V8 version, so one directory serves every version and project). Every pulumi command starts two
 * Node processes, the program and the dynamic provider, and each loads @pulumi/pulumi's 400 modules: with
 * the cache a load that took about 3 s on a loaded machine took under 1 s. docs/operating/performance.md
 * recommends the same setting to users.
 */
export const nodeCompileCacheDir = path.join(os.homedir(), ".cache", "pulumi-cloudflare-wfp", "node-compile-cache");

export function engineEnv(options: EngineEnvOptions): Record<string, string> {
  return {
    // The dynamic-provider plugin sits next to the CLI (scripts/engine.sh), as in a Pulumi install; it
    // runs the @pulumi/pulumi the program resolves from its own directory.
    PATH: [path.join(engineRoot, "bin"), options.nodeBinDir ?? nodeBinDir(24), process.env.PATH ?? ""].join(path.delimiter),
    PULUMI_HOME: options.pulumiHome,
    PULUMI_BACKEND_URL: `file://${options.backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: options.passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? nodeCompileCacheDir,
    ...(options.checkProgramTypes === false ? { PULUMI_NODEJS_TRANSPILE_ONLY: "true" } : {}),
  };
}
