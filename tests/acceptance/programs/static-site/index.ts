// A tenant that serves ./public as static assets and answers /api/* from its Worker.
import { DispatchNamespace, NamespacedWorkerScript } from "pulumi-cloudflare-wfp";

const namespace = new DispatchNamespace("sites", { namespace: "static-sites" });

export const scriptName = new NamespacedWorkerScript("site", {
  namespace,
  scriptName: "customer-site",
  content: `export default { fetch(request) { return Response.json({ api: new URL(request.url).pathname }); } };`,
  compatibilityDate: "2025-01-01",
  assets: {
    directory: "./public",
    config: { htmlHandling: "auto-trailing-slash", notFoundHandling: "404-page", runWorkerFirst: ["/api/*"] },
  },
}).scriptName;
