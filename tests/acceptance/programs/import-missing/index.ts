// The import option naming a namespace that does not exist: preview must refuse it.
import * as pulumi from "@pulumi/pulumi";
import { DispatchNamespace } from "pulumi-cloudflare-wfp";

const missing = new pulumi.Config().require("missing");
const tenants = new DispatchNamespace("tenants", { namespace: missing }, { import: missing });

export const namespaceId = tenants.namespaceId;
