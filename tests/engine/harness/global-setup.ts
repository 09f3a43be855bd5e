import { ensureBuilt, ensureEngine } from "../../harness/ensure-engine";
import { installPackedPackage } from "../../../toolchain/install-package";
import { workspaceRoot } from "./paths";

/** Jest global setup for the engine specs: the engine must be built and the package packed once. */
export default function globalSetup(): void {
  ensureEngine();
  ensureBuilt();
  installPackedPackage(workspaceRoot, "engine-tests");
}
