/**
 * Uploading one Worker script, the same operation for every path that uploads one (a script
 * resource, each tenant of a fleet): its code built (bundled or as files), its static assets sent
 * through the upload session when Cloudflare lacks them, its Durable Object migrations when not yet
 * applied, then the one multipart PUT that carries all of it.
 */
import type { Session } from "../cloudflare/session";
import { AssetReads } from "./asset-reads";
import { cloudflareAssetsConfig } from "./assets";
import { uploadAssets } from "./assets-api";
import type { WorkerBundle } from "./bundle";
import { buildCode } from "./code";
import { workerMetadata } from "./config";
import { type ScriptAddress, type ScriptInfo, uploadScript } from "./script-api";
import type { WorkerSpec } from "./worker-spec";

export interface UploadOptions {
  /** The migration tag Cloudflare already applied to this script: migrations up to it are not sent again. */
  appliedTag?: string;
  /** The manifest hash of the assets Cloudflare already has for this script: the upload keeps them without an asset request. */
  keptAssetsHash?: string;
  /** The code, when the caller built it already (builds are memoized either way). */
  bundle?: WorkerBundle;
  /** Where the assets' directory is read: the caller's, when it read it already (check, another tenant); a read of its own by default. */
  assetReads?: AssetReads;
}

export interface UploadedWorker {
  bundle: WorkerBundle;
  /** Cloudflare's answer: etag, modification time, handlers, migration tag. */
  script: ScriptInfo;
  /** The manifest hash of the assets uploaded with the script, when it has some. */
  assetsHash?: string;
}

/**
 * One upload. Secrets taken over at import have no value here (Cloudflare never returns one): the
 * upload inherits each from the current version (bindings.ts, toMetadataBindings), never resends it.
 * Assets: when the directory's manifest hash is `keptAssetsHash`, `keep_assets` costs no asset
 * request; otherwise the upload session asks only for the files Cloudflare lacks, and the script
 * upload redeems its completion token.
 */
export async function uploadWorker(
  session: Session,
  address: ScriptAddress,
  spec: WorkerSpec,
  options: UploadOptions = {},
): Promise<UploadedWorker> {
  const bundle = options.bundle ?? (await buildCode(session.context.caches.code, spec));
  const metadata = workerMetadata(spec, bundle, options.appliedTag);
  let assetsHash: string | undefined;
  if (spec.assets !== undefined) {
    const directory = (options.assetReads ?? new AssetReads()).read(spec.assets.directory);
    const config = cloudflareAssetsConfig(spec.assets.config, directory);
    assetsHash = directory.manifestHash;
    if (directory.manifestHash === options.keptAssetsHash) {
      metadata.keep_assets = true;
      metadata.assets = { config };
    } else {
      metadata.assets = { jwt: (await uploadAssets(session, address, directory)).jwt, config };
    }
  }
  const result = await uploadScript(session, address, metadata, bundle);
  return { bundle, assetsHash, script: { ...result, tags: result.tags ?? undefined } };
}
