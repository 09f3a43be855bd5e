/**
 * A user's Pulumi project: a program copied into its own folder below the shared install (so Node
 * resolves the installed package as it would in the user's project), its own stack on a local file
 * backend, and the `pulumi` CLI run in it with the emulator's credentials in the environment.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { engineEnv } from "../../../toolchain/engine-env";
import { cli, startCli, type CliResult, type CliRun } from "../../harness/pulumi-cli";
import { acceptanceRoot, backendsDir, projectsDir } from "./paths";

export interface ProjectOptions {
  /** Folder holding Pulumi.yaml and the program (an example, or a program of this tier). */
  source: string;
  /** Files written over the copy, by path relative to the project. */
  files?: Record<string, string>;
  /** The emulator's CLOUDFLARE_* variables, and any provider setting. */
  env: Record<string, string>;
  /** An install other than the shared one to run against (its node_modules), e.g. another @pulumi/pulumi. */
  installDir?: string;
  /** The bin directory of the `node` the program and the provider run on (default: Node 24, the primary runtime). */
  nodeBinDir?: string;
  /**
   * Type-check the program when `pulumi` runs it, as it does by default. Default: false, because every
   * program of this tier is type-checked by `npm run typecheck:examples` before any spec runs, and ts-node's
   * check costs about six seconds on the first run in each new folder. The specs of what a user copies
   * (the README's programs, a git install, the oldest supported @pulumi/pulumi) turn it on, so the installed
   * package's type declarations are still checked the way a user's `pulumi preview` checks them.
   */
  typeCheck?: boolean;
}

export const STACK = "dev";
let counter = 0;

export class UserProject {
  private constructor(
    readonly dir: string,
    readonly env: Record<string, string>,
    /** The file backend's folder (what PULUMI_BACKEND_URL points at). */
    readonly backendDir: string,
  ) {}

  static async create(options: ProjectOptions): Promise<UserProject> {
    const id = `${path.basename(options.source)}-${process.pid}-${++counter}`;
    const dir = path.join(options.installDir === undefined ? projectsDir : path.join(options.installDir, "projects"), id);
    const backendDir = path.join(backendsDir, id);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(options.source, dir, { recursive: true, filter: (src) => path.basename(src) !== "node_modules" });
    for (const [file, text] of Object.entries(options.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    fs.rmSync(backendDir, { recursive: true, force: true });
    fs.mkdirSync(backendDir, { recursive: true });
    const env = {
      ...engineEnv({
        backendDir,
        pulumiHome: path.join(acceptanceRoot, ".pulumi-home"),
        passphrase: "acceptance",
        nodeBinDir: options.nodeBinDir,
        checkProgramTypes: options.typeCheck ?? false,
      }),
      ...options.env,
    };
    const project = new UserProject(dir, env, backendDir);
    await project.must(["stack", "init", STACK]);
    return project;
  }

  pulumi(...args: string[]): Promise<CliResult> {
    return cli(args, { cwd: this.dir, env: this.env });
  }

  /** Starts a command without waiting for it (to kill it mid-way). */
  start(...args: string[]): CliRun {
    return startCli(args, { cwd: this.dir, env: this.env });
  }

  /** The version of the `node` the language host finds on the project's PATH, the one programs and providers run on. */
  nodeVersion(): string {
    return execFileSync("node", ["--version"], { cwd: this.dir, env: { ...process.env, ...this.env }, encoding: "utf8" }).trim();
  }

  /** Runs a command that must succeed (set-up steps); throws with its output otherwise. */
  async must(args: string[]): Promise<CliResult> {
    const result = await this.pulumi(...args);
    if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.output}`);
    return result;
  }

  async setConfig(key: string, value: string, options: { secret?: boolean } = {}): Promise<void> {
    await this.must(["config", "set", key, value, ...(options.secret ? ["--secret"] : [])]);
  }

  /** The stack's checkpoint, as `pulumi stack export` gives it (secrets decrypted only when asked). */
  async deployment(options: { showSecrets?: boolean } = {}): Promise<Deployment> {
    const args = ["stack", "export", ...(options.showSecrets ? ["--show-secrets"] : [])];
    return (JSON.parse((await this.must(args)).stdout) as { deployment: Deployment }).deployment;
  }

  async outputs(): Promise<Record<string, unknown>> {
    return JSON.parse((await this.must(["stack", "output", "--json", "--show-secrets"])).stdout) as Record<string, unknown>;
  }

  /**
   * Removes the project and its file backend's folder: what `pulumi stack rm --force` removes (it destroys
   * nothing in Cloudflare either), without a CLI start. A stack on another backend (an `s3://` URL) goes
   * with that backend.
   */
  async dispose(): Promise<void> {
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.rmSync(this.backendDir, { recursive: true, force: true });
  }
}

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}

export interface Deployment {
  resources?: StateResource[];
  pending_operations?: { resource: StateResource; type: string }[];
}
