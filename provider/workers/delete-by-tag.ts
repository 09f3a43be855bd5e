/**
 * Cloudflare's "Delete Scripts in Namespace": `DELETE …/dispatch/namespaces/:namespace/scripts?tags=<tag>:yes`
 * deletes every script of the namespace carrying the tag, answering `{ deleted: [{ id }],
 * deleted_count, has_more }` (OpenAPI operation `namespace-worker-delete-scripts`, with the optional
 * `tags` filter "comma-separated list of tag:allowed pairs" and `limit`; the Workers for Platforms
 * "Tags" docs; the request: endpoints/scripts.ts `deleteByTag`). No per-call maximum is documented: the call is repeated while Cloudflare
 * answers `has_more`. Each deleted entry's `id` is described as "API Resource UUID tag", which may
 * be the script's tag rather than its name, so callers learn names from the list they made, not here.
 */
import { deleteByTag } from "../cloudflare/endpoints/scripts";
import { describeFailure, isNotFound } from "../cloudflare/errors";
import type { Session } from "../cloudflare/session";

/** A bound on repeated calls, should `has_more` never turn false: one per thousand scripts of the largest namespace a fleet lists, and then some. */
const MAX_CALLS = 1000;

/** Deletes every script of `namespace` tagged `tag`; how many were deleted (none when the namespace is gone). */
export async function deleteScriptsByTag(session: Session, namespace: string, tag: string): Promise<number> {
  let deleted = 0;
  try {
    for (let call = 0; call < MAX_CALLS; call++) {
      const answer = await deleteByTag(session, namespace, tag);
      const count = answer?.deleted_count ?? answer?.deleted?.length ?? 0;
      deleted += count;
      if (!answer?.has_more || count === 0) break;
    }
    return deleted;
  } catch (error) {
    if (isNotFound(error)) return deleted; // the namespace is gone, and its scripts with it
    throw describeFailure(`deleting the scripts tagged '${tag}' in dispatch namespace '${namespace}'`, error);
  }
}
