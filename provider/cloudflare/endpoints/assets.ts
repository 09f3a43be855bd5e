/**
 * Static assets' direct upload (Workers docs, "Direct Uploads"): an upload session for a script's
 * address, then one POST per bucket authenticated by the session's token alone.
 */
import type { UploadCreateResponse as BucketAnswer } from "cloudflare/resources/workers/assets/upload";
import type { UploadCreateParams, UploadCreateResponse as SessionAnswer } from "cloudflare/resources/workers/scripts/assets/upload";
import { accountPath } from "../api";
import type { MultipartBody } from "../multipart";
import type { AccountScope } from "./scope";
import { type ScriptAddress, scriptPath } from "./scripts";

export type { BucketAnswer, SessionAnswer };

/** POST …/assets-upload-session `{ manifest }`: answers the hashes Cloudflare lacks, in buckets. */
export function openSession(at: AccountScope, address: ScriptAddress, manifest: UploadCreateParams["manifest"]): Promise<SessionAnswer> {
  return at.api.call<SessionAnswer>({
    method: "POST",
    path: scriptPath(at.accountId, address, "assets-upload-session"),
    body: { manifest },
  });
}

/** POST …/workers/assets/upload?base64=true with the session's token as the only credential. */
export function uploadBucket(at: AccountScope, sessionToken: string, form: MultipartBody): Promise<BucketAnswer | null> {
  return at.api.call<BucketAnswer | null>({
    method: "POST",
    path: accountPath(at.accountId, "workers", "assets", "upload"),
    query: { base64: true },
    body: form,
    bearer: sessionToken,
  });
}
