/**
 * The dynamic provider objects the engine serializes into state (`__provider`), one per resource kind.
 *
 * Each method only loads the implementation by package name inside the provider process and calls it.
 * So the stored text is a few hundred bytes per resource whatever the tenant count, it captures no
 * client, socket or credential, and `refresh`/`delete` (which run the copy stored in state,
 * pulumi/pulumi#6490) use the implementation of the package version installed now.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../provider";

function makeShim(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  // Runs in the provider process. Resolve from the Pulumi project (the process's cwd), where the user
  // installed this package; inside this package's own repository (its examples), find it upwards.
  const load = (): typeof import("../provider") => {
    const entry = "pulumi-cloudflare-wfp/provider";
    try {
      return require(require.resolve(entry, { paths: [process.cwd()] }));
    } catch (notInstalled) {
      const path: typeof import("node:path") = require("node:path");
      const fs: typeof import("node:fs") = require("node:fs");
      for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
        const manifest = path.join(dir, "package.json");
        if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, "utf8")).name === "pulumi-cloudflare-wfp") {
          return require(path.join(dir, "dist", "provider", "index.js"));
        }
        if (path.dirname(dir) === dir) break;
      }
      throw new Error(
        `cannot load ${entry} in the Pulumi provider process (cwd ${process.cwd()}): install ` +
          `pulumi-cloudflare-wfp in the Pulumi project (npm install pulumi-cloudflare-wfp). Cause: ${notInstalled}`,
      );
    }
  };
  const impl = () => load().providers[kind];
  return {
    configure: (req) => load().configure(req),
    check: (olds, news) => impl().check!(olds, news),
    diff: (id, olds, news) => impl().diff!(id, olds, news),
    create: (inputs) => impl().create(inputs),
    read: (id, props) => impl().read!(id, props),
    update: (id, olds, news) => impl().update!(id, olds, news),
    delete: (id, props) => impl().delete!(id, props),
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
