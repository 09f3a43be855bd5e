import type { CloudflareApi } from "../api";

/** What an account-scoped endpoint needs: the API of one credential and the account (a Session is one). */
export interface AccountScope {
  api: CloudflareApi;
  accountId: string;
}
