/**
 * `EnvOf<typeof bindings>`: the Worker's `env`, typed from the bindings a program gives it. These
 * specs are checked by the compiler (`npm run typecheck`, which `npm test` and `npm run test:unit` run first): a wrong mapping fails the run.
 */
import type * as cf from "@cloudflare/workers-types";
import * as pulumi from "@pulumi/pulumi";
import * as wfp from "../../sdk";

/** Compiles only when A and B are the same type. */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const same = <A, B>(verdict: Equals<A, B>) => verdict;

declare const tenants: wfp.DispatchNamespace;
declare const data: wfp.KVNamespace;
declare const auth: wfp.WorkerScript;

/** A program's bindings (only their type is needed here: nothing is registered). */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- only its type is used
const programBindings = () => ({
  GREETING: "hello",
  FROM_CONFIG: pulumi.output("computed"),
  API_KEY: wfp.secret("k"),
  CONFIG: wfp.json({ plan: "pro", seats: 3 }),
  TENANTS: tenants,
  DATA: data,
  AUTH: auth,
  CACHE: wfp.kvNamespace("0f2ac74b498b48028cb68387c421e279"),
  BUCKET: wfp.r2Bucket("files"),
  DB: wfp.d1Database("a1b2c3d4-0000-4000-8000-000000000001"),
  JOBS: wfp.queue("jobs"),
  OTHERS: wfp.dispatchNamespace("other-ns"),
  AI: wfp.ai(),
  LIMITER: wfp.rateLimit("1001", { limit: 100, period: 60 }),
  VERSION: wfp.versionMetadata(),
  ASSETS: wfp.assets(),
});
type Env = wfp.EnvOf<ReturnType<typeof programBindings>>;

describe("EnvOf", () => {
  it("types text and secrets as strings, and a json binding as its value", () => {
    expect(same<Env["GREETING"], string>(true)).toBe(true);
    expect(same<Env["FROM_CONFIG"], string>(true)).toBe(true);
    expect(same<Env["API_KEY"], string>(true)).toBe(true);
    expect(same<Env["CONFIG"], { plan: string; seats: number }>(true)).toBe(true);
  });

  it("types resources of this package and the helpers' bindings as the Workers runtime's objects", () => {
    expect(same<Env["TENANTS"], cf.DispatchNamespace>(true)).toBe(true);
    expect(same<Env["OTHERS"], cf.DispatchNamespace>(true)).toBe(true);
    expect(same<Env["DATA"], cf.KVNamespace>(true)).toBe(true);
    expect(same<Env["CACHE"], cf.KVNamespace>(true)).toBe(true);
    expect(same<Env["AUTH"], cf.Fetcher>(true)).toBe(true);
    expect(same<Env["BUCKET"], cf.R2Bucket>(true)).toBe(true);
    expect(same<Env["DB"], cf.D1Database>(true)).toBe(true);
    expect(same<Env["JOBS"], cf.Queue>(true)).toBe(true);
    expect(same<Env["AI"], cf.Ai>(true)).toBe(true);
    expect(same<Env["LIMITER"], cf.RateLimit>(true)).toBe(true);
    expect(same<Env["VERSION"], cf.WorkerVersionMetadata>(true)).toBe(true);
    expect(same<Env["ASSETS"], cf.Fetcher>(true)).toBe(true);
    // @ts-expect-error a KV namespace is not a dispatch namespace
    expect(same<Env["DATA"], cf.DispatchNamespace>(true)).toBe(true);
  });

  it("has exactly the bound names", () => {
    expect(same<keyof Env, keyof ReturnType<typeof programBindings>>(true)).toBe(true);
  });
});
