/** Every Cloudflare API route the emulator serves. A new API slice adds its module here. */
import type { RouteDefinition } from "../router";
import { accountRoutes } from "./accounts";
import { dispatchNamespaceRoutes } from "./dispatch-namespaces";
import { namespaceScriptSecretRoutes } from "./namespace-script-secrets";
import { namespaceScriptTagRoutes } from "./namespace-script-tags";
import { namespaceScriptRoutes } from "./namespace-scripts";
import { userRoutes } from "./user";

export const allRoutes: readonly RouteDefinition[] = [
  ...accountRoutes,
  ...userRoutes,
  ...dispatchNamespaceRoutes,
  ...namespaceScriptRoutes,
  ...namespaceScriptSecretRoutes,
  ...namespaceScriptTagRoutes,
];
