import * as path from "node:path";

const oneUp = path.resolve(__dirname, "..");
/** The repository, whether this runs from source (toolchain/) or compiled (dist-dev/toolchain/). */
export const repoRoot = path.basename(oneUp) === "dist-dev" ? path.dirname(oneUp) : oneUp;
