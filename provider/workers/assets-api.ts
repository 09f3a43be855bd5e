/**
 * The two Cloudflare calls that precede a script upload carrying assets (Workers docs, "Direct
 * Uploads"): an upload session for the script's address, answered with the hashes Cloudflare lacks
 * in `buckets`; then one POST per bucket with the session's token as bearer, the last answering the
 * completion token the script upload redeems in `metadata.assets.jwt`.
 */
import * as fs from "node:fs";
import type { UploadCreateResponse as SessionAnswer } from "cloudflare/resources/workers/scripts/assets/upload";
import type { UploadCreateResponse as BucketAnswer } from "cloudflare/resources/workers/assets/upload";
import { accountPath } from "../cloudflare/client";
import { describeFailure } from "../cloudflare/errors";
import type { Session } from "../cloudflare/session";
import { AssetDirectory, assetContentType, manifestOf } from "./assets";
import { ScriptAddress, describeAddress } from "./script-api";

export interface UploadedAssets {
  /** The completion token for the script upload. */
  jwt: string;
  /** How many files Cloudflare asked for (and got). */
  uploadedFiles: number;
}

async function openUploadSession(session: Session, address: ScriptAddress, directory: AssetDirectory): Promise<SessionAnswer> {
  const manifest = manifestOf(directory);
  if (address.namespace === undefined) {
    return session.client.workers.scripts.assets.upload.create(address.scriptName, { account_id: session.accountId, manifest });
  }
  return session.client.workersForPlatforms.dispatch.namespaces.scripts.assetUpload.create(address.scriptName, {
    account_id: session.accountId,
    dispatch_namespace: address.namespace,
    manifest,
  });
}

/** One bucket: a part per file, named by its hash, its content base64, its Content-Type the one served. */
function bucketForm(hashes: string[], directory: AssetDirectory): FormData {
  const form = new FormData();
  for (const hash of hashes) {
    const file = directory.files.find((f) => f.hash === hash);
    if (!file) throw new Error(`Cloudflare asked for asset ${hash}, which is not in the manifest`);
    form.append(hash, new Blob([fs.readFileSync(file.absolute).toString("base64")], { type: assetContentType(file.path) }), hash);
  }
  return form;
}

/** Uploads the files Cloudflare lacks; nothing to upload → the session's token is the completion token (docs). */
export async function uploadAssets(session: Session, address: ScriptAddress, directory: AssetDirectory): Promise<UploadedAssets> {
  try {
    const opened = await openUploadSession(session, address, directory);
    const buckets = opened.buckets ?? [];
    let jwt = opened.jwt;
    for (const bucket of buckets) {
      const envelope = (await session.client.post(accountPath(session.accountId, "workers", "assets", "upload"), {
        query: { base64: true },
        body: bucketForm(bucket, directory),
        // The session token is the only credential of this call: the account's own is left out.
        headers: { Authorization: `Bearer ${opened.jwt}`, "X-Auth-Key": null, "X-Auth-Email": null },
      })) as { result: BucketAnswer | null };
      if (envelope.result?.jwt) jwt = envelope.result.jwt;
    }
    if (!jwt) throw new Error("Cloudflare answered no completion token");
    return { jwt, uploadedFiles: buckets.reduce((n, b) => n + b.length, 0) };
  } catch (error) {
    throw describeFailure(`uploading the assets of ${describeAddress(address)}`, error, "check the assets input");
  }
}
