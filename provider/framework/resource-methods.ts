/**
 * A resource kind's methods in one provider context: what the engine calls (as a dynamic
 * ResourceProvider, `delete` for `remove`) and what a spec calls on a context it built.
 */
import type * as pulumi from "@pulumi/pulumi";

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
