import type * as pulumi from "@pulumi/pulumi";

/**
 * The property map a resource registers: the inputs that have a value, plus every output its class
 * declares (as `undefined`, so the Node SDK gives the instance that Output property).
 *
 * Inputs left undefined are dropped because the Node SDK does work for every key it is handed: four
 * promises per key, each with a stack trace formatted through ts-node's source maps. At a thousand
 * tenants that was most of the program's time (bench/README.md). The engine sees the same inputs
 * either way: undefined values are never sent to it.
 */
export function registrationProps(inputs: pulumi.Inputs, outputs: readonly string[]): pulumi.Inputs {
  const props: pulumi.Inputs = {};
  for (const [key, value] of Object.entries(inputs)) if (value !== undefined) props[key] = value;
  for (const key of outputs) if (!(key in props)) props[key] = undefined;
  return props;
}
