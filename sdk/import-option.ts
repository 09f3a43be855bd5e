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
