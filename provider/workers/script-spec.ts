/**
 * The rules one Worker's code and configuration must follow, wherever the script is declared (a
 * NamespacedWorkerScript, a WorkerScript, one tenant of a TenantFleet): which of `content` and
 * `entrypoint`, the configuration, the bindings. No request; each problem names its property.
 */
import type { ProviderCaches } from "../caches";
import { isUnknown } from "../framework/unknowns";
import { bindingProblems, duplicateBindingNames, keepBindingsProblems } from "./bindings";
import { BundleError, checkInlineModule } from "./bundle";
import { buildCode, type CodeInputs } from "./code";
import { type WorkerConfigInputs, configProblems } from "./config";

export interface SpecProblem {
  property: string;
  reason: string;
}

/** Cloudflare's upload size limit (paid plan); larger uploads are refused with 10027. */
export const MAX_SCRIPT_BYTES = 10 * 1024 * 1024;

export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Everything checkable without building the code: exactly one code source, configuration, bindings. */
export function scriptSpecProblems(spec: CodeInputs & WorkerConfigInputs): SpecProblem[] {
  const raw = spec as Record<string, unknown>;
  const problems: SpecProblem[] = [];
  const hasContent = spec.content !== undefined;
  if (hasContent === (spec.entrypoint !== undefined)) {
    problems.push({
      property: hasContent ? "entrypoint" : "content",
      reason: "give exactly one of content (an inline ES module) or entrypoint (a file to bundle)",
    });
  }
  if (spec.bundle !== undefined && !isUnknown(spec.bundle) && typeof spec.bundle !== "boolean") {
    problems.push({ property: "bundle", reason: "bundle must be true or false" });
  }
  if (hasContent && spec.bundle !== undefined) {
    problems.push({ property: "bundle", reason: "bundle applies to entrypoint (inline content is one module, never bundled)" });
  }
  const codeKey = hasContent ? "content" : "entrypoint";
  const code = raw[codeKey];
  if (code !== undefined && !isUnknown(code) && (typeof code !== "string" || code.length === 0)) {
    problems.push({ property: codeKey, reason: `${codeKey} must be a non-empty string` });
  }
  problems.push(...configProblems(raw, todayUtc()));
  problems.push(...bindingProblems("bindings", spec.bindings), ...bindingProblems("secretBindings", spec.secretBindings));
  problems.push(...keepBindingsProblems(spec.keepBindings));
  for (const name of duplicateBindingNames(spec.bindings, spec.secretBindings)) {
    problems.push({
      property: "bindings",
      reason: `binding name '${name}' is used twice (once as a secret): binding names must be unique`,
    });
  }
  return problems;
}

/** Whether the code (and what shapes its bundle) is known: at preview it may still be computed elsewhere. */
export function isCodeKnown(spec: CodeInputs): boolean {
  return spec.content !== undefined
    ? !isUnknown(spec.content)
    : !isUnknown(spec.entrypoint) && !isUnknown(spec.compatibilityFlags) && !isUnknown(spec.bundle);
}

/**
 * Builds the code (parsing inline content first) for its hash, or the problem that stops it. Call
 * only when the code is known and `scriptSpecProblems` found nothing.
 */
export async function checkedContentHash(
  caches: ProviderCaches,
  spec: CodeInputs,
): Promise<{ contentHash: string } | { problem: SpecProblem }> {
  const property = spec.content !== undefined ? "content" : "entrypoint";
  try {
    if (spec.content !== undefined) await checkInlineModule(caches.inlineVerdicts, spec.content);
    const bundle = await buildCode(caches.code, spec);
    const size = bundle.modules.reduce((sum, m) => sum + m.content.byteLength, 0);
    if (size > MAX_SCRIPT_BYTES) {
      return {
        problem: { property, reason: `the worker's modules total ${size} bytes; Cloudflare accepts at most ${MAX_SCRIPT_BYTES} (10 MiB)` },
      };
    }
    return { contentHash: bundle.contentHash };
  } catch (error) {
    if (!(error instanceof BundleError)) throw error;
    return { problem: { property: error.property, reason: error.message } };
  }
}
