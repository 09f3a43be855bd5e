/**
 * A resource kind's methods in one provider context: what the engine calls (as a dynamic
 * ResourceProvider, `delete` for `remove`) and what a spec calls on a context it built.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- the engine's ResourceProvider takes any; each kind types its own inputs */
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderContext } from "../context";

export interface ResourceMethods {
  check(olds: any, news: any): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult>;
  create(inputs: any): Promise<pulumi.dynamic.CreateResult>;
  read(id: string, props: any): Promise<pulumi.dynamic.ReadResult>;
  update(id: string, olds: any, news: any): Promise<pulumi.dynamic.UpdateResult>;
  remove(id: string, props: any): Promise<void>;
}

export function asResourceProvider(methods: ResourceMethods): pulumi.dynamic.ResourceProvider {
  const { remove, ...rest } = methods;
  return { ...rest, delete: remove };
}

/** A kind written as functions taking the context first (diff needs none). */
export interface ContextFunctions {
  check(context: ProviderContext, olds: any, news: any): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: any, news: any): Promise<pulumi.dynamic.DiffResult>;
  create(context: ProviderContext, inputs: any): Promise<pulumi.dynamic.CreateResult>;
  read(context: ProviderContext, id: string, props: any): Promise<pulumi.dynamic.ReadResult>;
  update(context: ProviderContext, id: string, olds: any, news: any): Promise<pulumi.dynamic.UpdateResult>;
  remove(context: ProviderContext, id: string, props: any): Promise<void>;
}

/** Those functions' methods in `context`. */
export function inContext(context: ProviderContext, f: ContextFunctions): ResourceMethods {
  return {
    check: (olds, news) => f.check(context, olds, news),
    diff: f.diff,
    create: (inputs) => f.create(context, inputs),
    read: (id, props) => f.read(context, id, props),
    update: (id, olds, news) => f.update(context, id, olds, news),
    remove: (id, props) => f.remove(context, id, props),
  };
}
