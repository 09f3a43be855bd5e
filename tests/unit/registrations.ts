/**
 * The property map each resource hands the Node SDK, by resource name, before the SDK serializes it
 * (serializing drops undefined values, so what the engine or a mock receives cannot show the keys
 * that cost the work). Call it after `pulumi.runtime.setMocks` and before loading the sdk, as a
 * program is loaded under the engine.
 */
export function recordRegistrations(): Map<string, Record<string, unknown>> {
  const handed = new Map<string, Record<string, unknown>>();

  const runtimeResource: typeof import("@pulumi/pulumi/runtime/resource") = require("@pulumi/pulumi/runtime/resource");
  const register = runtimeResource.registerResource;
  jest.spyOn(runtimeResource, "registerResource").mockImplementation((...args: Parameters<typeof register>) => {
    handed.set(args[3], { ...args[7] });
    return register(...args);
  });
  return handed;
}
