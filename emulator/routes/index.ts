/** Every Cloudflare API route the emulator serves. A new API slice adds its module here. */
import type { RouteDefinition } from "../router";
import { accountScriptSettingRoutes } from "./account-script-settings";
import { assetUploadRoutes } from "./assets-upload";
import { accountScriptRoutes } from "./account-scripts";
import { accountScriptReferenceRoutes } from "./account-script-references";
import { accountScriptRouteRoutes } from "./account-script-routes";
import { accountScriptScheduleRoutes } from "./account-script-schedules";
import { accountScriptVersionRoutes } from "./account-script-versions";
import { accountServiceRoutes } from "./account-services";
import { accountWorkerRoutes } from "./account-workers";
import { accountRoutes } from "./accounts";
import { customHostnameRoutes } from "./custom-hostnames";
import { dispatchNamespaceRoutes } from "./dispatch-namespaces";
import { kvNamespaceRoutes } from "./kv-namespaces";
import { kvValueRoutes } from "./kv-values";
import { namespaceScriptTagRoutes } from "./namespace-script-tags";
import { namespaceScriptRoutes } from "./namespace-scripts";
import { namespaceHost } from "./script-host";
import { scriptSecretRoutes } from "./script-secrets";
import { userRoutes } from "./user";
import { workerDomainRoutes } from "./worker-domains";
import { workersSubdomainRoutes } from "./workers-subdomain";
import { zoneWorkerRoutes } from "./zone-worker-routes";
import { zoneRoutes } from "./zones";

export const allRoutes: readonly RouteDefinition[] = [
  ...accountRoutes,
  ...userRoutes,
  ...dispatchNamespaceRoutes,
  ...namespaceScriptRoutes,
  ...scriptSecretRoutes(namespaceHost),
  ...namespaceScriptTagRoutes,
  ...accountScriptRoutes,
  ...accountScriptVersionRoutes,
  ...accountScriptRouteRoutes,
  ...accountScriptScheduleRoutes,
  ...accountScriptReferenceRoutes,
  ...accountServiceRoutes,
  ...accountWorkerRoutes,
  ...accountScriptSettingRoutes,
  ...workersSubdomainRoutes,
  ...workerDomainRoutes,
  ...zoneRoutes,
  ...zoneWorkerRoutes,
  ...customHostnameRoutes,
  ...kvNamespaceRoutes,
  ...kvValueRoutes,
  ...assetUploadRoutes,
];
