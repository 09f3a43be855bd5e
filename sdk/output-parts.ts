/**
 * Many Outputs combined into one without making an Output per element. `pulumi.all` over n Outputs
 * makes 2n more (each element wrapped again, then applied), every one a dozen promises, and the
 * engine's serialization then captures a stack trace (mapped through ts-node's source maps) for
 * each Output it meets in a registered map. At ten thousand tenants whose bindings come from the
 * helpers (`json()`, `secret()`, a resource), that was most of a no-op preview.
 *
 * The parts read here are the ones the Node SDK reads from Outputs made by another copy of the SDK
 * (`outputRec` in @pulumi/pulumi's output.ts: `resources()`, `promise(withUnknowns)`, `isKnown`,
 * `isSecret`, `allResources()`), and the constructor its own `secret` and `unsecret` call: the
 * contract between SDK versions, which is why it holds across the versions this package supports.
 */
import * as pulumi from "@pulumi/pulumi";

/** What an Output carries, as promises: its value (unknowns kept), whether it is known and secret, and the resources it depends on. */
export interface OutputParts<T> {
  value: Promise<T>;
  known: Promise<boolean>;
  secret: Promise<boolean>;
  resources: Set<pulumi.Resource>;
  allResources: Promise<Set<pulumi.Resource>>;
}

/** The members of an Output the SDK's cross-version path reads; `allResources` and `isSecret` are missing from old SDKs' Outputs. */
interface OutputMembers<T> {
  resources(): Set<pulumi.Resource>;
  promise(withUnknowns?: boolean): Promise<T>;
  isKnown: Promise<boolean>;
  isSecret?: Promise<boolean>;
  allResources?: () => Promise<Set<pulumi.Resource>>;
}

/** The Output class's constructor: the SDK's `secret` and `unsecret` build Outputs with it. */
type OutputConstructor = new <T>(
  resources: Set<pulumi.Resource>,
  promise: Promise<T>,
  isKnown: Promise<boolean>,
  isSecret: Promise<boolean>,
  allResources: Promise<Set<pulumi.Resource>>,
) => pulumi.Output<T>;

export function partsOf<T>(output: pulumi.Output<T>): OutputParts<T> {
  // The Output interface's published type leaves out the members every SDK version's Output has.
  const members = output as unknown as OutputMembers<T>;
  return {
    value: members.promise(true),
    known: members.isKnown,
    secret: members.isSecret ?? Promise.resolve(false),
    resources: members.resources(),
    allResources: members.allResources ? members.allResources() : Promise.resolve(members.resources()),
  };
}

/**
 * One known Output of `value`, depending on every resource the parts depend on. Known: the caller
 * marks what is not known yet inside the value itself (Pulumi's wire form of an unknown,
 * `pulumi.runtime.unknownValue`, for one entry of a map), so one unknown part does not make the
 * whole value unknown.
 */
export function outputFromParts<T>(
  value: Promise<T>,
  parts: ReadonlyArray<OutputParts<unknown>>,
  options: { secret: boolean },
): pulumi.Output<T> {
  const resources = new Set<pulumi.Resource>();
  for (const p of parts) for (const r of p.resources) resources.add(r);
  const allResources = Promise.all(parts.map((p) => p.allResources)).then((sets) => {
    const all = new Set(resources);
    for (const set of sets) for (const r of set) all.add(r);
    return all;
  });
  const Output = pulumi.Output as unknown as OutputConstructor;
  return new Output(resources, value, Promise.resolve(true), Promise.resolve(options.secret), allResources);
}
