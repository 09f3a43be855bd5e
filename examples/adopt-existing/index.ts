// Alchemy's "Adopt Existing Namespace" (examples/README.md): take over a namespace made outside Pulumi instead of failing.
import { DispatchNamespace } from "pulumi-cloudflare-wfp";

const existingNamespace = new DispatchNamespace("existing-namespace", {
  namespace: "my-existing-namespace",
  adopt: true,
});

// The same with Pulumi's idiom: the import resource option (the package turns it into an adoption,
// which fails if the namespace does not exist).
const imported = new DispatchNamespace("imported-namespace", { namespace: "my-imported-namespace" }, { import: "my-imported-namespace" });

export const adoptedId = existingNamespace.namespaceId;
export const importedId = imported.namespaceId;
