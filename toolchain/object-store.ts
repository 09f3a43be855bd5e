/**
 * An S3-compatible object store on loopback for Pulumi state behind an `s3://` backend URL: SeaweedFS's `weed server`
 * (master, volume, filer and S3 gateway in one process), built from its Go module by scripts/object-store.sh and
 * cached like the engine. Used by the sharded-fleet bench and the acceptance spec of sharded stacks.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { repoRoot } from "./repo-root";

/** scripts/object-store.sh links the cached build here (bin/weed). */
export const objectStoreRoot = path.join(repoRoot, ".object-store");

/** The `weed` binary, built first when the cache does not hold it (minutes, once per go.mod/go.sum). */
export function objectStoreBinary(): string {
  const weed = path.join(objectStoreRoot, "bin", "weed");
  if (fs.existsSync(weed)) return weed;
  return execFileSync("bash", [path.join(repoRoot, "scripts", "object-store.sh")], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
}

export interface ObjectStore {
  /** `http://127.0.0.1:<port>`: the S3 gateway. */
  readonly endpoint: string;
  /**
   * The backend URL of a bucket (created when missing) for `pulumi login` / PULUMI_BACKEND_URL: the engine's S3
   * client (gocloud.dev's s3blob on the AWS SDK v2) takes the endpoint as a URL, needs a region, and path-style
   * addressing for a server that is not virtual-hosted.
   */
  backendUrl(bucket: string): Promise<string>;
  /** The names of the objects directly below `folder` of `bucket` (read from the store's filer, not through S3). */
  list(bucket: string, folder: string): Promise<string[]>;
  /** What the Pulumi CLI needs beside the backend URL: the store's credentials, as AWS's SDK reads them. */
  readonly env: Record<"AWS_ACCESS_KEY_ID" | "AWS_SECRET_ACCESS_KEY" | "AWS_REGION", string>;
  /** Stops the server; its data directory is left to the caller. Idempotent. */
  close(): Promise<void>;
}

const REGION = "us-east-1";

/** A port nothing listens on now (the OS's pick). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(what: string, ready: () => Promise<boolean>, child: ChildProcess, log: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`weed exited (${child.exitCode}) before ${what}; its log: ${log}`);
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`weed: no ${what} within ${timeoutMs / 1000} s; its log: ${log}`);
}

/**
 * Starts `weed server` with its data in `dataDir`, every listener on 127.0.0.1 and on a free port, telemetry off, and
 * one admin identity whose keys are made up here (the S3 gateway takes them from AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY). Resolves once the S3 gateway answers.
 */
export async function startObjectStore(dataDir: string, options: { timeoutMs?: number } = {}): Promise<ObjectStore> {
  const weed = objectStoreBinary();
  fs.mkdirSync(dataDir, { recursive: true });
  // Every listener's port flag: HTTP and gRPC of each component.
  const ports: Record<string, number> = {};
  for (const component of ["master", "volume", "filer", "s3"]) {
    ports[`${component}.port`] = await freePort();
    ports[`${component}.port.grpc`] = await freePort();
  }
  const env = {
    AWS_ACCESS_KEY_ID: `wfp${randomBytes(8).toString("hex")}`,
    AWS_SECRET_ACCESS_KEY: randomBytes(24).toString("hex"),
    AWS_REGION: REGION,
  };
  const args = [
    "server",
    `-dir=${dataDir}`,
    "-ip=127.0.0.1",
    "-ip.bind=127.0.0.1",
    "-master.telemetry=false",
    "-s3",
    "-s3.port.iceberg=0",
    "-s3.port.lance=0",
    ...Object.entries(ports).map(([flag, port]) => `-${flag}=${port}`),
  ];
  const log = path.join(dataDir, "weed.log");
  const out = fs.openSync(log, "a");
  const child = spawn(weed, args, { env: { ...process.env, ...env }, stdio: ["ignore", out, out], detached: false });
  fs.closeSync(out);
  const endpoint = `http://127.0.0.1:${ports["s3.port"]}`;
  const filer = `http://127.0.0.1:${ports["filer.port"]}`;
  const timeoutMs = options.timeoutMs ?? 60_000;
  try {
    // The gateway answers an anonymous request (with an S3 error) once it is up; the filer holds the buckets.
    await waitFor("S3 gateway", async () => (await fetch(`${endpoint}/`)).status > 0, child, log, timeoutMs);
    await waitFor("filer", async () => (await fetch(`${filer}/`, { headers: { Accept: "application/json" } })).ok, child, log, timeoutMs);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  let closed: Promise<void> | undefined;
  return {
    endpoint,
    env,
    async backendUrl(bucket: string): Promise<string> {
      // A bucket is a folder under /buckets of the filer; creating it there needs no signed S3 request (409: it exists).
      const made = await fetch(`${filer}/buckets/${encodeURIComponent(bucket)}/`, { method: "POST" });
      if (!made.ok && made.status !== 409) throw new Error(`weed: creating bucket ${bucket} answered ${made.status}: ${await made.text()}`);
      // The server sends no checksum with an object: validate one only where S3 requires it (else the SDK warns on every read).
      return `s3://${bucket}?endpoint=${encodeURIComponent(endpoint)}&region=${REGION}&use_path_style=true&response_checksum_validation=when_required`;
    },
    async list(bucket: string, folder: string): Promise<string[]> {
      const listing = await fetch(`${filer}/buckets/${bucket}/${folder.replace(/^\/|\/$/g, "")}/`, {
        headers: { Accept: "application/json" },
      });
      if (!listing.ok) throw new Error(`weed: listing ${bucket}/${folder} answered ${listing.status}`);
      const { Entries } = (await listing.json()) as { Entries: Array<{ FullPath: string }> | null };
      return (Entries ?? []).map((entry) => path.posix.basename(entry.FullPath)).sort();
    },
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      });
      return closed;
    },
  };
}
