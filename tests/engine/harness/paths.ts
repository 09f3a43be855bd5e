import * as path from "node:path";
import { engineRoot, repoRoot } from "../../../toolchain/engine-env";

export { engineRoot, repoRoot };
/** Where the packed package is installed and test stacks run, as in a user's Pulumi project. */
export const workspaceRoot = path.join(repoRoot, ".pulumi-test", "workspace");
export const programsRoot = path.resolve(__dirname, "../programs");
