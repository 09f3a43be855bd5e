import { ensureBuilt, ensureEngine } from "../../harness/ensure-engine";
import { installUserProject } from "./user-install";

/** Jest global setup for the acceptance tier: the engine, and the packed package installed once into a user's project. */
export default function globalSetup(): void {
  ensureEngine();
  ensureBuilt();
  installUserProject();
}
