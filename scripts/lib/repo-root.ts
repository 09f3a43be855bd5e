import * as path from "node:path";

const twoUp = path.resolve(__dirname, "../..");
/** The repository, whether this runs from source (scripts/lib) or compiled (dist/scripts/lib). */
export const repoRoot = path.basename(twoUp) === "dist" ? path.dirname(twoUp) : twoUp;
