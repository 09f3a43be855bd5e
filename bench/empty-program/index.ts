// No resources: the time of a no-op `pulumi up` of this program is what every Pulumi program pays here.
import * as pulumi from "@pulumi/pulumi";

export const stack = pulumi.getStack();
