/**
 * The benchmark's scenarios, in the order they run against one stack: each says how to prepare the
 * project (stack config, a source edit), which engine operation to run, and the least Cloudflare
 * traffic it needs. One account-verification GET per provider process is part of every floor: each
 * command starts a new provider, and checking the credentials at preview is a feature.
 */
import type { BenchProject } from "./workspace";
import type { Operation } from "./pulumi-cli";

export type { Operation };

export interface Scenario {
  id: string;
  title: string;
  operation: Operation;
  /** Stack config set before the operation (numbers as strings). */
  config?: Record<string, string>;
  /** A source edit made before the operation. */
  edit?: (project: BenchProject) => void;
  /** Minimum requests for N tenants (plus the namespace and the dispatcher). */
  floorRequests(n: number): number;
  /** Minimum writes: what a perfect provider sends. */
  floorWrites(n: number): number;
}

/** One GET /accounts/:id per provider process. */
const ACCOUNT_CHECK = 1;

export function scenarios(setSharedVersion: (project: BenchProject, version: number) => void): Scenario[] {
  return [
    {
      id: "first-up",
      title: "first up",
      operation: "up",
      config: { codeVersion: "0", sharedVersion: "1" },
      // N uploads, the namespace's POST, the dispatcher's upload.
      floorRequests: (n) => ACCOUNT_CHECK + n + 2,
      floorWrites: (n) => n + 2,
    },
    { id: "noop-up", title: "no-op up", operation: "up", floorRequests: () => ACCOUNT_CHECK, floorWrites: () => 0 },
    { id: "preview", title: "preview", operation: "preview", floorRequests: () => ACCOUNT_CHECK, floorWrites: () => 0 },
    {
      id: "one-tenant",
      title: "1 tenant's code changed, up",
      operation: "up",
      config: { codeVersion: "1" },
      floorRequests: () => ACCOUNT_CHECK + 1,
      floorWrites: () => 1,
    },
    {
      id: "shared-module",
      title: "shared module changed, up",
      operation: "up",
      config: { sharedVersion: "2" },
      edit: (project) => setSharedVersion(project, 2),
      // Tenant 0 has its own inline code by now: the other N-1 import the shared module.
      floorRequests: (n) => ACCOUNT_CHECK + n - 1,
      floorWrites: (n) => n - 1,
    },
    { id: "refresh", title: "refresh", operation: "refresh", floorRequests: (n) => ACCOUNT_CHECK + n + 2, floorWrites: () => 0 },
    { id: "destroy", title: "destroy", operation: "destroy", floorRequests: (n) => ACCOUNT_CHECK + n + 2, floorWrites: (n) => n + 2 },
  ];
}
