/**
 * Where the acceptance tier works: a user's project outside the repository (under the system's temp
 * folder, one per checkout so parallel clones do not share it), with the packed package installed.
 */
import { createHash } from "node:crypto";
import * as os from "node:os";
import * as path from "node:path";
import { engineRoot, repoRoot } from "../../../toolchain/engine-env";

export { engineRoot, repoRoot };
const checkout = createHash("sha256").update(repoRoot).digest("hex").slice(0, 8);
export const acceptanceRoot = path.join(os.tmpdir(), `pulumi-cloudflare-wfp-acceptance-${checkout}`);
/** The shared install: package.json and node_modules as `npm install` left them. */
export const installDir = path.join(acceptanceRoot, "user-project");
export const installedModules = path.join(installDir, "node_modules");
/** One folder per program run, below the install so Node resolves its node_modules as a user's would. */
export const projectsDir = path.join(installDir, "projects");
export const backendsDir = path.join(acceptanceRoot, "backends");
export const examplesDir = path.join(repoRoot, "examples");
export const programsDir = path.resolve(__dirname, "../programs");
