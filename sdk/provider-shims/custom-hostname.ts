// The CustomHostname provider shim as this module's whole export, so state stores a require of it (./shim.ts).
import { makeShim } from "./shim";
export = makeShim("CustomHostname");
