// A dispatcher reached through a custom domain; config `hostname` names it, so changing it moves the
// domain (Cloudflare detaches the old hostname and attaches the new one).
import * as pulumi from "@pulumi/pulumi";
import { WorkerScript } from "pulumi-cloudflare-wfp";

const hostname = new pulumi.Config().get("hostname") ?? "app.example.com";

const front = new WorkerScript("front", {
  scriptName: "moving-front",
  content: `export default { fetch(request) { return new Response("front on " + new URL(request.url).hostname); } };`,
  compatibilityDate: "2025-01-01",
  customDomains: [{ hostname }],
});

export const customDomainIds = front.customDomainIds;
