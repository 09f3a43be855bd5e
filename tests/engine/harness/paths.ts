import * as path from "node:path";

export const repoRoot = path.resolve(__dirname, "../../..");
/** The Go-built engine: scripts/engine.sh links its cache here (bin/pulumi, bin/pulumi-language-nodejs). */
export const engineRoot = path.join(repoRoot, ".engine");
/** Where the packed package is installed and test stacks run, as in a user's Pulumi project. */
export const workspaceRoot = path.join(repoRoot, ".pulumi-test", "workspace");
export const programsRoot = path.resolve(__dirname, "../programs");
