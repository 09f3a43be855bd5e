/**
 * The dynamic provider objects the engine serializes into state (`__provider`), one per resource kind.
 *
 * Each method only loads the implementation by package name inside the provider process and calls it,
 * so it captures no client, socket or credential, and `refresh`/`delete` (which run the copy stored in
 * state, pulumi/pulumi#6490) use the implementation of the package version installed now.
 *
 * Each kind's shim is the whole export of its own module (./<kind>.ts). When the package is installed
 * under node_modules, the Node SDK's closure serializer then stores `require("<that module>")` instead
 * of the functions' text: a few hundred bytes rather than about three thousand, in a text the engine
 * keeps twice per resource and rewrites after every step. Where the package is not under node_modules
 * (this repository's own examples), the functions are stored by value and the fallback path is used.
 *
 * That stored path is a contract with every existing stack: these modules stay at
 * dist/sdk/provider-shims/<kind>.js, exported by that path in package.json (tests/engine/upgrade.test.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ResourceKind } from "../../provider";

/** This package's provider in the program's own installation: the fallback for projects that do not install it (its own examples). */
const installedProvider = require.resolve("../../provider");

export function makeShim(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
  // Runs in the provider process, whose cwd is the Pulumi project: load the package installed there,
  // else the one the program ran with.
  const fallback = installedProvider;
  const load = (): typeof import("../../provider") => {
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
