/**
 * The two Cloudflare calls that precede a script upload carrying assets (Workers docs, "Direct
 * Uploads"): an upload session for the script's address, answered with the hashes Cloudflare lacks
 * in `buckets`; then one POST per bucket with the session's token as bearer, the last answering the
 * completion token the script upload redeems in `metadata.assets.jwt`.
 */
import * as fs from "node:fs";
import * as assets from "../cloudflare/endpoints/assets";
import { MultipartBody } from "../cloudflare/multipart";
import { describeFailure } from "../cloudflare/errors";
import type { Session } from "../cloudflare/session";
import { type AssetDirectory, assetContentType, manifestOf } from "./assets";
import { type ScriptAddress, describeAddress } from "./script-api";

export interface UploadedAssets {
  /** The completion token for the script upload. */
  jwt: string;
  /** How many files Cloudflare asked for (and got). */
  uploadedFiles: number;
}

/** One bucket: a part per file, named by its hash, its content base64, its Content-Type the one served. */
function bucketForm(hashes: string[], directory: AssetDirectory): MultipartBody {
  return new MultipartBody(
    hashes.map((hash) => {
      const file = directory.files.find((f) => f.hash === hash);
      if (!file) throw new Error(`Cloudflare asked for asset ${hash}, which is not in the manifest`);
      return {
        name: hash,
        filename: hash,
        contentType: assetContentType(file.path),
        content: fs.readFileSync(file.absolute).toString("base64"),
      };
    }),
  );
}

/** Uploads the files Cloudflare lacks; nothing to upload → the session's token is the completion token (docs). */
export async function uploadAssets(session: Session, address: ScriptAddress, directory: AssetDirectory): Promise<UploadedAssets> {
  try {
    const opened = await assets.openSession(session, address, manifestOf(directory));
    const buckets = opened.buckets ?? [];
    let jwt = opened.jwt;
    for (const bucket of buckets) {
      const answer = await assets.uploadBucket(session, opened.jwt ?? "", bucketForm(bucket, directory));
      if (answer?.jwt) jwt = answer.jwt;
    }
    if (!jwt) throw new Error("Cloudflare answered no completion token");
    return { jwt, uploadedFiles: buckets.reduce((n, b) => n + b.length, 0) };
  } catch (error) {
    throw describeFailure(`uploading the assets of ${describeAddress(address)}`, error, "check the assets input");
  }
}
