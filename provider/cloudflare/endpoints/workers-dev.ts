/** An account-level script's workers.dev subdomain (API docs, "Workers > Scripts > Subdomain"; SDK `workers.scripts.subdomain`). */
import type { SubdomainGetResponse } from "cloudflare/resources/workers/scripts/subdomain";
import { accountPath } from "../api";
import type { AccountScope } from "./scope";

/** GET …/workers/scripts/{script_name}/subdomain. */
export function get(at: AccountScope, scriptName: string): Promise<SubdomainGetResponse> {
  return at.api.call<SubdomainGetResponse>({
    method: "GET",
    path: accountPath(at.accountId, "workers", "scripts", scriptName, "subdomain"),
  });
}

/** POST …/workers/scripts/{script_name}/subdomain `{ enabled }`. */
export async function set(at: AccountScope, scriptName: string, enabled: boolean): Promise<void> {
  await at.api.call({ method: "POST", path: accountPath(at.accountId, "workers", "scripts", scriptName, "subdomain"), body: { enabled } });
}
