/**
 * The environment the Go-built Pulumi CLI needs here: the engine binaries and the dynamic-provider
 * plugin script (shipped in @pulumi/pulumi) on PATH, a local file backend, and no update checks.
 */
import * as path from "node:path";

const twoUp = path.resolve(__dirname, "../..");
/** The repository, whether this runs from source (scripts/lib) or compiled (dist/scripts/lib). */
export const repoRoot = path.basename(twoUp) === "dist" ? path.dirname(twoUp) : twoUp;
/** scripts/engine.sh links the cached engine here (bin/pulumi, bin/pulumi-language-nodejs). */
export const engineRoot = path.join(repoRoot, ".engine");

export interface EngineEnvOptions {
  /** Where the file backend keeps state. */
  backendDir: string;
  /** PULUMI_HOME: plugins cache, credentials of the local backend. */
  pulumiHome: string;
  passphrase: string;
}

export function engineEnv(options: EngineEnvOptions): Record<string, string> {
  return {
    // The dynamic-provider plugin sits next to the CLI (scripts/engine.sh), as in a Pulumi install; it
    // runs the @pulumi/pulumi the program resolves from its own directory.
    PATH: [path.join(engineRoot, "bin"), process.env.PATH ?? ""].join(path.delimiter),
    PULUMI_HOME: options.pulumiHome,
    PULUMI_BACKEND_URL: `file://${options.backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: options.passphrase,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
  };
}
