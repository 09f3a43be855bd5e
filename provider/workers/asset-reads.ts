/**
 * Asset directories read once for every use of them: check reads a directory to hash its manifest,
 * the upload reads it to send it, and a fleet's tenants often serve the same one. An AssetReads is
 * an object its owner passes down and drops, never module state: whoever makes it decides how long
 * a read stays valid (one `up` of a fleet, for all its tenants; one provider process, so that check's
 * read serves the upload, once a per-process context holds one).
 */
import * as path from "node:path";
import { type AssetDirectory, readAssetDirectory } from "./assets";

export class AssetReads {
  private readonly reads = new Map<string, AssetDirectory>();

  /** @param baseDir what relative directories are resolved against: the Pulumi project, the process's working directory. */
  constructor(private readonly baseDir: string = process.cwd()) {}

  /** The directory's manifest (readAssetDirectory), read at the first call for it; an AssetsError is thrown each time, never kept. */
  read(directory: string): AssetDirectory {
    const key = path.resolve(this.baseDir, directory);
    let read = this.reads.get(key);
    if (read === undefined) {
      read = readAssetDirectory(directory, this.baseDir);
      this.reads.set(key, read);
    }
    return read;
  }
}
