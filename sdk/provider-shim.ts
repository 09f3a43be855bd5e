/**
 * The dynamic provider objects the engine serializes into state (`__provider`), one per resource kind.
 *
 * Each method only loads the implementation by package name inside the provider process and calls it.
 * So the stored text is small whatever the tenant count (the engine saves it twice per resource, and
 * rewrites the state after every step), it captures no client, socket or credential, and
 * `refresh`/`delete` (which run the copy stored in state, pulumi/pulumi#6490) use the implementation
 * of the package version installed now. The fallback path is only used where the project does not
 * install the package (this repository's examples); elsewhere the project's installation wins.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../provider";

/** This package's provider in the program's own installation: the fallback for projects that do not install it (its own examples). */
const installedProvider = require.resolve("../provider");

function makeShim(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  // Runs in the provider process, whose cwd is the Pulumi project: load the package installed there,
  // else the one the program ran with. Kept tiny: this text is stored twice per resource in state.
  const fallback = installedProvider;
  const load = (): typeof import("../provider") => {
    try {
      return require(require.resolve("pulumi-cloudflare-wfp/provider", { paths: [process.cwd()] }));
    } catch {
      return require(fallback);
    }
  };
  return {
    configure: (req) => load().configure(req),
    check: (olds, news) => load().providers[kind].check!(olds, news),
    diff: (id, olds, news) => load().providers[kind].diff!(id, olds, news),
    create: (inputs) => load().providers[kind].create(inputs),
    read: (id, props) => load().providers[kind].read!(id, props),
    update: (id, olds, news) => load().providers[kind].update!(id, olds, news),
    delete: (id, props) => load().providers[kind].delete!(id, props),
  };
}

const shims = new Map<ResourceKind, pulumi.dynamic.ResourceProvider>();

/** One shim object per kind: the engine caches dynamic providers by object identity. */
export function providerFor(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  let shim = shims.get(kind);
  if (!shim) {
    shim = makeShim(kind);
    shims.set(kind, shim);
  }
  return shim;
}
