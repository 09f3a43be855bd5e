/**
 * The asset upload flow (Workers docs, "Direct Uploads"; SOURCES.md §13):
 *   POST …/workers/scripts/:script/assets-upload-session                          manifest → { jwt, buckets }
 *   POST …/workers/dispatch/namespaces/:namespace/scripts/:script/assets-upload-session   the same, for a namespaced script
 *   POST /accounts/:a/workers/assets/upload?base64=true                           one bucket, bearer = the session's jwt
 * A session needs no existing script (it precedes the first upload); a namespaced one needs its namespace.
 */
import { requestHeader, jsonObjectBody, type RequestContext } from "../context";
import { errors, ok, type ApiResult } from "../envelope";
import type { RouteDefinition } from "../router";
import { isValidName } from "../validation";
import { openUploadSession, readManifest, receiveBucket, type UploadedFile } from "../workers/assets";
import { multipartBoundary, parseMultipart } from "../workers/multipart";
import { accountHost, namespaceHost, type ScriptHost } from "./script-host";

function uploadSession(host: ScriptHost) {
  return (ctx: RequestContext): ApiResult => {
    host.container(ctx); // a namespaced script's namespace must exist (100119 otherwise)
    if (!isValidName(ctx.params.script, host.nameRule)) throw errors.invalidScriptName(ctx.params.script, host.nameRule.description);
    const manifest = readManifest(jsonObjectBody(ctx));
    const store = ctx.state.getAccount(ctx.params.accountId)!.assets;
    return ok(ctx.state.mutate(() => openUploadSession(store, manifest)));
  };
}

/** The bucket's parts: each named by a file's hash, its content base64 (`?base64=true` is required, per the SDK type). */
function uploadBucket(ctx: RequestContext): ApiResult {
  const account = ctx.state.getAccount(ctx.params.accountId);
  const token = /^Bearer\s+(\S+)\s*$/i.exec(requestHeader(ctx, "authorization") ?? "")?.[1];
  if (!account) throw errors.authenticationError();
  if (ctx.query.get("base64") !== "true") throw errors.invalidQuery("base64 must be true: send each file's content base64-encoded");
  const boundary = multipartBoundary(requestHeader(ctx, "content-type"));
  if (boundary === undefined) throw errors.invalidRequestBody("expected multipart/form-data, one part per file named by its hash");
  const files: UploadedFile[] = parseMultipart(ctx.rawBody, boundary).map((part) => ({
    hash: part.name,
    base64: part.body.toString("utf8").trim(),
    contentType: part.contentType,
  }));
  const answer = ctx.state.mutate(() => receiveBucket(account.assets, token, files));
  // Docs: every file of the manifest received → 201 with the completion jwt; before that 202.
  return answer.complete ? ok({ jwt: answer.jwt }, undefined, 201) : ok({}, undefined, 202);
}

export const assetUploadRoutes: RouteDefinition[] = [
  { method: "POST", pattern: `${accountHost.scriptPath}/assets-upload-session`, handler: uploadSession(accountHost) },
  { method: "POST", pattern: `${namespaceHost.scriptPath}/assets-upload-session`, handler: uploadSession(namespaceHost) },
  // The session's token is the only credential (it is not an API token): the handler checks it.
  { method: "POST", pattern: "/accounts/:accountId/workers/assets/upload", handler: uploadBucket, auth: "none" },
];
