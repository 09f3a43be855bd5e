/**
 * What a provider context remembers between calls to save work (context.ts): each memo made here
 * with its module's size rule, so two contexts (two providers in one process, two specs) never
 * share one. Nothing here changes a result, only how often it is computed.
 */
import { KeyOrders } from "./framework/canonical-json";
import { type InlineVerdicts, inlineVerdicts } from "./workers/bundle";
import { CodeMemo } from "./workers/code";
import { type InlineHashes, inlineHashes } from "./fleet/spec";
import { EffectiveSpecsMemo, type ParsedSpecs, parsedSpecs } from "./fleet/plan";
import { type ParsedSecrets, parsedSecrets } from "./fleet/tenant-secrets";

export class ProviderCaches {
  /** Canonical key order per object shape (framework/canonical-json.ts): a fleet writes ten thousand fingerprints per step. */
  readonly keyOrders = new KeyOrders();
  /** esbuild's verdict per inline text (workers/bundle.ts). */
  readonly inlineVerdicts: InlineVerdicts = inlineVerdicts();
  /** Bundles per entrypoint and options, re-checked against their sources on disk (workers/code.ts). */
  readonly code = new CodeMemo();
  /** The content hash per inline text (fleet/spec.ts). */
  readonly inlineHashes: InlineHashes = inlineHashes();
  /** The parsed spec per tenant's stored text (fleet/plan.ts): check, diff and update of one command read the same texts. */
  readonly tenantSpecs: ParsedSpecs = parsedSpecs();
  /** The merged specs of the last few fleet inputs (fleet/plan.ts): one check merges each side's ten thousand tenants once, not three times. */
  readonly effectiveSpecs = new EffectiveSpecsMemo();
  /** The parsed secret bindings per stored text (fleet/tenant-secrets.ts). */
  readonly tenantSecrets: ParsedSecrets = parsedSecrets();
}
