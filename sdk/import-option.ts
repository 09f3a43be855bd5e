import * as pulumi from "@pulumi/pulumi";

/**
 * The engine's `import` resource option fails for dynamic resources (its Read call carries no
 * serialized provider: pulumi/pulumi#3550, #16175). The sdk classes take the option out of the
 * options the engine sees and pass the id to their provider, which adopts the existing object.
 */
export function takeImportOption(opts: pulumi.CustomResourceOptions | undefined): {
  importId: string | undefined;
  options: pulumi.CustomResourceOptions;
} {
  if (!opts?.import) return { importId: undefined, options: { ...opts } };
  const { import: importId, ...options } = opts;
  if (typeof importId !== "string") {
    throw new Error("the import resource option must be the existing object's name, as a plain string");
  }
  return { importId, options };
}

/**
 * Says once, in the preview of the command that will do it, that the `import` option takes over an
 * existing object: not in the update phase of the same `pulumi up` (it would repeat), and not on
 * later commands once the resource is in state (its id is then known at preview).
 */
export function announceImport(resource: pulumi.CustomResource, message: string): void {
  if (!pulumi.runtime.isDryRun()) return;
  // Output's isKnown is not in its typings, but every SDK version has it; without it, say it anyway.
  const isKnown = (resource.id as unknown as { isKnown?: Promise<boolean> }).isKnown;
  void Promise.resolve(isKnown ?? false).then((known) => {
    if (!known) void pulumi.log.info(message, resource);
  });
}
