import { objectStoreBinary } from "../../../toolchain/object-store";
import { ensureBuilt, ensureEngine } from "../../harness/ensure-engine";
import { installUserProject } from "./user-install";

/**
 * Jest global setup for the acceptance tier: the engine, the object store that keeps sharded stacks' state (built once
 * and cached, as the engine is), and the packed package installed once into a user's project.
 */
export default function globalSetup(): void {
  ensureEngine();
  objectStoreBinary();
  ensureBuilt();
  installUserProject();
}
