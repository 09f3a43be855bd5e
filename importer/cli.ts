#!/usr/bin/env node
/**
 * `pulumi-cloudflare-wfp import` — writes a Pulumi program that takes over an existing dispatch
 * namespace, its scripts and the account-level Workers bound to it:
 *
 *   npx pulumi-cloudflare-wfp import --namespace customer-workers [--fleet] [--out dir] [--account-id <32hex>] [--force]
 *
 * Credentials come from the environment variables the provider reads. `main(argv, io, context)` is
 * exported so specs can run it in-process, in a context of their own.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { AccountResolutionError } from "../provider/cloudflare/account";
import { MissingCredentialsError } from "../provider/cloudflare/credentials";
import { openSession } from "../provider/cloudflare/session";
import { ProviderContext } from "../provider/context";
import { packageSource } from "./package-source";
import { NamespaceNotFoundError, readPlatform } from "./reader";
import { writeProgram } from "./writer";

export interface CliIO {
  out(line: string): void;
  err(line: string): void;
}

export const USAGE = `Usage: pulumi-cloudflare-wfp import --namespace <name> [options]

Writes a Pulumi TypeScript program (Pulumi.yaml, package.json, tsconfig.json, index.ts and each
script's modules) declaring the dispatch namespace, every script in it and the account-level Workers
bound to it, each with the import option: its first \`pulumi up\` changes nothing in Cloudflare.

Options:
  --namespace <name>  the dispatch namespace to import (required)
  --fleet             declare the namespace's scripts as one TenantFleet (what all share in its
                      defaults, each distinct code written once) instead of a resource per script;
                      scripts a fleet tenant cannot be yet (static assets, Durable Object migrations,
                      secrets) stay NamespacedWorkerScripts beside it, and dispatchers WorkerScripts
  --out <dir>         where to write the program (default: ./<namespace>); must be empty unless --force
  --account-id <hex>  the account (default: CLOUDFLARE_ACCOUNT_ID, or the only account the credentials see)
  --force             write into a folder that is not empty, replacing files of the same names
  -h, --help          show this help

Credentials: CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL), as for the provider;
CLOUDFLARE_BASE_URL points at another API endpoint.`;

interface ImportArgs {
  namespace: string;
  out: string;
  accountId?: string;
  force: boolean;
  fleet: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: string[]): ImportArgs | "help" {
  const [command, ...rest] = argv;
  if (command === "-h" || command === "--help" || command === "help") return "help";
  if (command !== "import") throw new UsageError(command === undefined ? "no command given" : `unknown command '${command}'`);
  const values: Record<string, string> = {};
  let force = false;
  let fleet = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "-h" || arg === "--help") return "help";
    if (arg === "--force") force = true;
    else if (arg === "--fleet") fleet = true;
    else if (["--namespace", "--out", "--account-id"].includes(arg)) {
      const value = rest[++i];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`${arg} needs a value`);
      values[arg] = value;
    } else throw new UsageError(`unknown option '${arg}'`);
  }
  const namespace = values["--namespace"];
  if (!namespace) throw new UsageError("--namespace is required");
  return { namespace, out: values["--out"] ?? namespace, accountId: values["--account-id"], force, fleet };
}

/** Runs the command; resolves to the exit code (0 done, 1 failed, 2 bad usage). */
export async function main(argv: string[], io: CliIO, context: ProviderContext = new ProviderContext()): Promise<number> {
  let args: ImportArgs | "help";
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`error: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (args === "help") {
    io.out(USAGE);
    return 0;
  }
  const out = path.resolve(args.out);
  if (fs.existsSync(out) && fs.readdirSync(out).length > 0 && !args.force) {
    io.err(`error: ${out} is not empty; choose another --out, or give --force to write into it`);
    return 1;
  }
  try {
    const session = await openSession(context, { accountId: args.accountId });
    const platform = await readPlatform(session, args.namespace, (line) => io.out(line));
    const command = `pulumi-cloudflare-wfp import --namespace ${args.namespace}${args.fleet ? " --fleet" : ""}`;
    const source = packageSource();
    const project = writeProgram(platform, { packageSpec: source.spec, command, fleet: args.fleet });
    for (const [file, content] of [...project.files].sort(([a], [b]) => a.localeCompare(b))) {
      const target = path.join(out, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
    io.out(`wrote ${project.files.size} files to ${out}`);
    if (source.known) io.out(`package.json installs pulumi-cloudflare-wfp from ${source.spec}, as this copy was (${source.from})`);
    else
      io.out(
        `package.json names pulumi-cloudflare-wfp ${source.spec} (${source.from}): until the package is on the npm registry, set it to the git URL or tarball you installed it from`,
      );
    for (const warning of project.warnings) io.out(`not exact: ${warning}`);
    if (project.secrets.length > 0) {
      io.out(`Cloudflare never returns secret values. Before \`pulumi up\`, set each to the value the script has:`);
      for (const s of project.secrets) io.out(`  pulumi config set --secret ${s.configKey} <value of ${s.binding} of ${s.scriptName}>`);
    }
    io.out(
      `next: cd ${path.relative(process.cwd(), out) || "."} && npm install && pulumi stack init && pulumi up (the first up changes nothing)`,
    );
    return 0;
  } catch (error) {
    if (error instanceof MissingCredentialsError) {
      io.err("error: no Cloudflare credentials: set CLOUDFLARE_API_TOKEN (or CLOUDFLARE_API_KEY and CLOUDFLARE_EMAIL)");
    } else if (error instanceof AccountResolutionError || error instanceof NamespaceNotFoundError) {
      io.err(`error: ${error.message}`);
    } else {
      io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    }
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), { out: (line) => console.log(line), err: (line) => console.error(line) }).then((code) => {
    process.exitCode = code;
  });
}
