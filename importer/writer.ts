/**
 * ImportedPlatform → a Pulumi TypeScript project: Pulumi.yaml, package.json, tsconfig.json, index.ts
 * declaring every object with the `import` option, and each script's modules as files under their
 * own names (uploaded as they are, `bundle: false`). The program declares exactly what Cloudflare
 * has, so its first `pulumi up` changes nothing; whatever cannot be declared exactly is said in a
 * comment beside it and in `warnings`, never dropped.
 *
 * Decisions:
 * - KV namespaces bound by id become `KVNamespace` resources (imported, `retainOnDelete`): the
 *   binding then names the resource, as a person would write it. `retainOnDelete` rather than
 *   `protect`: a protected resource makes `pulumi destroy` refuse the whole stack at preview (unless
 *   the user knows `--exclude-protected`), while a retained one lets `destroy` remove the stack's
 *   Workers and namespace and forget the KV namespace, leaving it and its data in Cloudflare (the
 *   preview marks it `[retain]`). Data is never deleted by Pulumi, whether by `destroy`, by removing
 *   the declaration, or by a replacement. A KV namespace the account does not have (bound across
 *   accounts) stays a plain id.
 * - Secret values never leave Cloudflare: each secret is a `config.requireSecret` to set first.
 * - With `fleet`, the namespace's scripts become one `TenantFleet` (fleet-layout.ts decides which,
 *   what the tenants share, and each distinct code once). It has no `import` option: its first `up`
 *   adopts each script already as declared without an upload. Its tenants' bindings are written in
 *   Cloudflare's own shape (plain data, which the fleet encodes at once) rather than with the helpers.
 *   Dispatchers stay `WorkerScript`s: a fleet holds a namespace's tenants only.
 * - The zones the dispatchers route on bring their Cloudflare for SaaS objects: the fallback origin as a
 *   `FallbackOrigin` (imported by the zone's id) and each custom hostname as a `CustomHostname` (imported by
 *   its id), declared as Cloudflare has them (metadata, origin server, a validation method other than the
 *   default), so their first `up` adopts them, verification and all, without a write.
 */
import * as path from "node:path";
import type { BindingSpec, BindingType } from "../provider/workers/bindings";
import { listed } from "../provider/framework/summary";
import { REPORTED_KEYS } from "../provider/workers/script-diff";
import { isRepresentable } from "../provider/workers/unbundled";
import { type FleetLayout, fleetLayout } from "./fleet-layout";
import { NameAllocator, camelCase } from "./identifiers";
import type { ImportedDispatcher, ImportedPlatform, ImportedScript, ImportedZone } from "./model";
import { code, literal } from "./typescript";

export interface WriterOptions {
  /** This package's dependency spec in the project's package.json: a git URL, a `file:` path or a range. */
  packageSpec: string;
  /** The command line that generated it, quoted in the program's first comment. */
  command: string;
  /** The namespace's scripts as one `TenantFleet` (those it can take) instead of a resource each. */
  fleet?: boolean;
}

/** A secret the user must set before `pulumi up`. */
export interface SecretToSet {
  configKey: string;
  scriptName: string;
  binding: string;
}

export interface GeneratedProject {
  /** Path relative to the project → content. */
  files: Map<string, string | Uint8Array>;
  secrets: SecretToSet[];
  /** What could not be declared exactly; each is also a comment in index.ts. */
  warnings: string[];
}

/**
 * The configuration keys in the order a person lists them (Cloudflare's reported settings, in the
 * provider's order; secret bindings are written inside `bindings`); keys the provider adds later follow, sorted.
 */
const CONFIG_ORDER: readonly string[] = REPORTED_KEYS.filter((key) => key !== "secretBindings");

/** Binding types whose value Cloudflare never returns, and how a program gives one. */
const SECRET_TYPES: Partial<Record<BindingType, string>> = { secret_text: "bindings.secret" };

/** Names the program itself uses, which no variable may take. */
const PROGRAM_NAMES = [
  "pulumi",
  "config",
  "bindings",
  "CustomHostname",
  "DispatchNamespace",
  "FallbackOrigin",
  "KVNamespace",
  "NamespacedWorkerScript",
  "TenantFleet",
  "WorkerScript",
];

/** A module path that stays inside the script's folder and that `bundle: false` reads back (no hidden files). */
function isSafeModulePath(name: string): boolean {
  const parts = name.split("/");
  return !path.isAbsolute(name) && !name.includes("\\") && parts.every((p) => p !== "" && p !== ".." && !p.startsWith("."));
}

class ProgramWriter {
  private readonly variables = new NameAllocator(PROGRAM_NAMES);
  private readonly configKeys = new NameAllocator();
  private readonly resourceNames = new Map<string, NameAllocator>();
  private readonly kvVariables = new Map<string, string>();
  private readonly files = new Map<string, string | Uint8Array>();
  private readonly secrets: SecretToSet[] = [];
  private readonly warnings: string[] = [];
  private readonly imports = new Set<string>(["DispatchNamespace"]);
  private usesBindingsHelpers = false;
  private namespaceVariable = "";

  constructor(
    private readonly platform: ImportedPlatform,
    private readonly options: WriterOptions,
  ) {}

  write(): GeneratedProject {
    const body: string[] = [];
    if (this.platform.kvNamespaces.length > 0) {
      body.push(
        "// KV namespaces the workers bind, kept in Cloudflare with their data whatever Pulumi does (retainOnDelete):",
        "// `pulumi destroy` deletes the Workers and the dispatch namespace and only forgets these.",
      );
      for (const kv of this.platform.kvNamespaces) {
        const variable = this.variables.take(camelCase(kv.title, "kv"));
        this.kvVariables.set(kv.id, variable);
        this.imports.add("KVNamespace");
        body.push(
          `const ${variable} = new KVNamespace(${JSON.stringify(this.resourceName("KVNamespace", kv.title))}, { title: ${JSON.stringify(kv.title)} }, { import: ${JSON.stringify(kv.id)}, retainOnDelete: true });`,
        );
      }
      body.push("");
    }
    const ns = this.platform.namespace;
    this.namespaceVariable = this.variables.take(camelCase(ns.name, "namespace"));
    const nsArgs: Record<string, unknown> = { namespace: ns.name };
    if (ns.trustedWorkers) nsArgs.trustedWorkers = true;
    body.push(
      `const ${this.namespaceVariable} = new DispatchNamespace(${JSON.stringify(this.resourceName("DispatchNamespace", ns.name))}, ${literal(nsArgs)}, { import: ${JSON.stringify(ns.name)} });`,
    );
    body.push("");
    if (this.options.fleet) body.push(...this.fleet(fleetLayout(this.platform.tenants)));
    else if (this.platform.tenants.length > 0) {
      const count = this.platform.tenants.length;
      body.push(
        `// The ${count === 1 ? "script" : `${count} scripts`} of '${ns.name}', uploaded as ${count === 1 ? "its" : "their"} files are (bundle: false).`,
      );
      for (const tenant of this.platform.tenants)
        body.push(...this.script("NamespacedWorkerScript", tenant, `workers/${tenant.scriptName}`), "");
    }
    if (this.platform.dispatchers.length > 0) {
      this.imports.add("WorkerScript");
      body.push(`// Account-level Workers bound to '${ns.name}'.`);
      for (const dispatcher of this.platform.dispatchers)
        body.push(...this.script("WorkerScript", dispatcher, `dispatchers/${dispatcher.scriptName}`), "");
    }
    for (const zone of this.platform.zones) body.push(...this.saasZone(zone));
    this.files.set("index.ts", this.program(body));
    this.writeProjectFiles();
    return { files: this.files, secrets: this.secrets, warnings: this.warnings };
  }

  /** A zone's fallback origin and custom hostnames, each with the import option; nothing for a zone without them. */
  private saasZone(zone: ImportedZone): string[] {
    if (!zone.fallbackOrigin && zone.customHostnames.length === 0) return [];
    const body = [`// Cloudflare for SaaS on zone ${zone.name}, which the dispatchers route on: its customers' domains.`];
    if (zone.fallbackOrigin) {
      this.imports.add("FallbackOrigin");
      const args = { zoneId: zone.zoneId, origin: zone.fallbackOrigin };
      body.push(
        `new FallbackOrigin(${JSON.stringify(this.resourceName("FallbackOrigin", zone.name))}, ${literal(args)}, { import: ${JSON.stringify(zone.zoneId)} });`,
      );
    }
    for (const { id, inputs } of zone.customHostnames) {
      this.imports.add("CustomHostname");
      body.push(
        `new CustomHostname(${JSON.stringify(this.resourceName("CustomHostname", inputs.hostname))}, ${literal(inputs)}, { import: ${JSON.stringify(id)} });`,
      );
    }
    return [...body, ""];
  }

  private resourceName(type: string, name: string): string {
    if (!this.resourceNames.has(type)) this.resourceNames.set(type, new NameAllocator([]));
    return this.resourceNames.get(type)!.take(name);
  }

  /** `where` names the script(s) concerned; the returned comment goes beside the declaration. */
  private warn(where: string, problem: string): string {
    this.warnings.push(`${where}: ${problem}`);
    return `// NOTE: ${problem}`;
  }

  /** The script's modules written under `folder` (`where` names who runs them); a NOTE for each that cannot be exact. */
  private writeModules(script: ImportedScript, folder: string, where: string): string[] {
    const notes: string[] = [];
    for (const module of script.modules) {
      if (!isSafeModulePath(module.name)) {
        notes.push(
          this.warn(
            where,
            `module '${module.name}' cannot be written as a file of its own folder; it is left out, so the first \`pulumi up\` uploads this code without it`,
          ),
        );
        continue;
      }
      if (!isRepresentable(module.name, module.contentType)) {
        notes.push(
          this.warn(
            where,
            `module '${module.name}' is ${module.contentType}, which bundle: false does not upload for that file name; the first \`pulumi up\` uploads it with the type its extension gives`,
          ),
        );
      }
      this.files.set(`${folder}/${module.name}`, module.content);
    }
    return notes;
  }

  /** What the import does not read of a script: said beside it, never dropped silently. */
  private unreadNotes(script: ImportedScript): string[] {
    const notes: string[] = [];
    if (script.hasAssets) {
      notes.push(
        this.warn(
          script.scriptName,
          "it serves static assets, which the import does not read: declare `assets` (their directory) before changing this script, or an upload goes without them",
        ),
      );
    }
    if (script.migrationTag !== undefined) {
      notes.push(
        this.warn(
          script.scriptName,
          `its Durable Object migrations (last tag '${script.migrationTag}') are not declared: its classes stay as Cloudflare has them; declare \`migrations\` to run new ones`,
        ),
      );
    }
    return notes;
  }

  /** The configuration keys of `config` in writing order (bindings where any binding is). */
  private configOrder(config: Record<string, unknown>): string[] {
    return [
      ...CONFIG_ORDER.filter((k) => k in config || (k === "bindings" && "secretBindings" in config)),
      ...Object.keys(config)
        .filter((k) => !CONFIG_ORDER.includes(k) && k !== "secretBindings")
        .sort(),
    ];
  }

  /** One script resource; its modules written under `folder`. */
  private script(kind: "NamespacedWorkerScript" | "WorkerScript", script: ImportedScript, folder: string): string[] {
    if (kind === "NamespacedWorkerScript") this.imports.add(kind);
    const variable = this.variables.take(camelCase(script.scriptName, "script"));
    const notes = [...this.unreadNotes(script), ...this.writeModules(script, folder, script.scriptName)];
    const kept = new Set<BindingType>();
    const args: Record<string, unknown> = {};
    if (kind === "NamespacedWorkerScript") args.namespace = code(this.namespaceVariable);
    args.scriptName = script.scriptName;
    args.entrypoint = `${folder}/${script.mainModule}`;
    args.bundle = false;
    const config = script.config as Record<string, unknown>;
    for (const key of this.configOrder(config)) {
      if (key === "bindings") {
        const bound = this.bindings(script, variable, notes, kept, "helpers");
        if (Object.keys(bound).length > 0) args.bindings = bound;
      } else args[key] = config[key];
    }
    if (kept.size > 0) args.keepBindings = [...kept].sort();
    if (kind === "WorkerScript") {
      const { routes, crons } = script as ImportedDispatcher;
      if (routes.length > 0) args.routes = routes;
      if (crons?.length) args.crons = crons;
    }
    const importId = kind === "NamespacedWorkerScript" ? `${this.platform.namespace.name}/${script.scriptName}` : script.scriptName;
    const resourceName = this.resourceName(kind, script.scriptName);
    return [...notes, `new ${kind}(${JSON.stringify(resourceName)}, ${literal(args)}, { import: ${JSON.stringify(importId)} });`];
  }

  /**
   * The namespace's scripts as one TenantFleet (what fleet-layout.ts gives it), each distinct code
   * written once, and the scripts it cannot take beside it as NamespacedWorkerScripts, each saying why.
   */
  private fleet(layout: FleetLayout): string[] {
    const ns = this.platform.namespace.name;
    const body: string[] = [];
    if (layout.tenants.length > 0) {
      this.imports.add("TenantFleet");
      const count = layout.tenants.length;
      body.push(
        `// The ${count === 1 ? "tenant script" : `${count} tenant scripts`} of '${ns}' as one TenantFleet, uploaded as their files are (bundle: false),`,
        "// each tenant merged over `defaults` (what every one of them has). No import option: the first `up`",
        "// finds each script already as declared and adopts it without an upload.",
      );
      const notes: string[] = [];
      for (const c of layout.codes) notes.push(...this.writeModules(c.script, c.folder, listed(c.tenants)));
      const shared = layout.codes.filter((c) => c.tenants.length > 1);
      if (shared.length > 0) {
        body.push("// Code several tenants run is written once:");
        for (const c of shared)
          body.push(`//   ${c.folder}/: ${c.tenants.length} tenants${c.folder === layout.defaultCode ? " (the defaults)" : ""}`);
      }
      const [first] = layout.tenants;
      const defaults: Record<string, unknown> = {};
      if (layout.defaultCode) defaults.entrypoint = `${layout.defaultCode}/${layout.codes[0].script.mainModule}`;
      defaults.bundle = false;
      const sharedNames = Object.keys(layout.sharedBindings);
      for (const key of this.configOrder({
        ...layout.sharedConfig,
        ...(sharedNames.length > 0 ? { bindings: layout.sharedBindings } : {}),
      })) {
        if (key !== "bindings") defaults[key] = layout.sharedConfig[key];
        else
          defaults.bindings = Object.fromEntries(
            sharedNames.sort().map((name) => [name, this.binding(first, "", name, layout.sharedBindings[name], notes, new Set(), "plain")]),
          );
      }
      const tenants = Object.fromEntries(layout.tenants.map((t) => [t.scriptName, this.tenantEntry(t, layout, notes)]));
      const args = { namespace: code(this.namespaceVariable), defaults, tenants };
      body.push(...notes, `new TenantFleet(${JSON.stringify(this.resourceName("TenantFleet", ns))}, ${literal(args)});`, "");
    }
    if (layout.standalone.length > 0) {
      body.push(`// Scripts of '${ns}' that cannot be TenantFleet tenants yet, each its own resource.`);
      for (const { script, reasons } of layout.standalone) {
        body.push(
          ...reasons.map((r) => `// ${script.scriptName}: ${r}.`),
          ...this.script("NamespacedWorkerScript", script, `workers/${script.scriptName}`),
          "",
        );
      }
    }
    return body;
  }

  /** A fleet tenant's entry: what it has that `defaults` does not give it. Its NOTEs (naming it) go to `notes`. */
  private tenantEntry(t: ImportedScript, layout: FleetLayout, notes: string[]): Record<string, unknown> {
    const entry: Record<string, unknown> = {};
    const folder = layout.codeFolder.get(t.scriptName)!;
    if (folder !== layout.defaultCode) entry.entrypoint = `${folder}/${t.mainModule}`;
    const own: string[] = [];
    const kept = new Set<BindingType>();
    const config = t.config as Record<string, unknown>;
    for (const key of this.configOrder(config)) {
      if (key === "bindings") {
        const bound = this.bindings(t, camelCase(t.scriptName, "tenant"), own, kept, "plain", layout.sharedBindings);
        if (Object.keys(bound).length > 0) entry.bindings = bound;
      } else if (!(key in layout.sharedConfig)) entry[key] = config[key];
    }
    if (kept.size > 0) entry.keepBindings = [...kept].sort();
    notes.push(...own.map((note) => note.replace("// NOTE: ", `// NOTE: ${t.scriptName}: `)));
    return entry;
  }

  /**
   * The script's bindings, by name (those in `leaveOut` aside), each as a person writes it: with the
   * helpers, or in Cloudflare's own shape (`plain`, a fleet tenant's: plain data).
   */
  private bindings(
    script: ImportedScript,
    scriptVariable: string,
    notes: string[],
    kept: Set<BindingType>,
    style: "helpers" | "plain",
    leaveOut: object = {},
  ): Record<string, unknown> {
    const all: Record<string, BindingSpec> = { ...script.config.bindings, ...script.config.secretBindings };
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(all).sort()) {
      if (name in leaveOut) continue;
      const value = this.binding(script, scriptVariable, name, all[name], notes, kept, style);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  private binding(
    script: ImportedScript,
    scriptVariable: string,
    name: string,
    spec: BindingSpec,
    notes: string[],
    kept: Set<BindingType>,
    style: "helpers" | "plain",
  ): unknown {
    const b = spec as Record<string, unknown> & { type: BindingType };
    const helper = (text: string) => {
      if (style === "plain") return b;
      this.usesBindingsHelpers = true;
      return code(text);
    };
    switch (b.type) {
      case "plain_text":
        return b.text;
      case "json":
        return helper(`bindings.json(${literal(b.json)})`);
      case "kv_namespace": {
        const kv = this.kvVariables.get(b.namespace_id as string);
        return kv ? code(kv) : helper(`bindings.kvNamespace(${JSON.stringify(b.namespace_id)})`);
      }
      case "dispatch_namespace": {
        const target = b.namespace === this.platform.namespace.name ? this.namespaceVariable : JSON.stringify(b.namespace);
        const outbound = b.outbound as
          { worker?: { service?: string; environment?: string; entrypoint?: string }; params?: Array<{ name: string }> } | undefined;
        if (!outbound) return target === this.namespaceVariable ? code(target) : helper(`bindings.dispatchNamespace(${target})`);
        const worker = { ...outbound.worker, params: outbound.params?.map((p) => p.name) };
        return helper(`bindings.dispatchNamespace(${target}, { outbound: ${literal(worker)} })`);
      }
      case "service":
        return helper(
          `bindings.service(${JSON.stringify(b.service)}${b.environment || b.entrypoint ? `, ${literal({ environment: b.environment, entrypoint: b.entrypoint })}` : ""})`,
        );
      default:
        if (SECRET_TYPES[b.type]) {
          const configKey = this.configKeys.take(`${scriptVariable}${camelCase(name, "secret").replace(/^./, (c) => c.toUpperCase())}`);
          this.secrets.push({ configKey, scriptName: script.scriptName, binding: name });
          this.usesBindingsHelpers = true;
          return code(`${SECRET_TYPES[b.type]}(config.requireSecret(${JSON.stringify(configKey)}))`);
        }
        if (b.type === "secret_key") {
          notes.push(
            this.warn(
              script.scriptName,
              `${name} is a secret_key binding, whose key material Cloudflare never returns; it is not declared, and keepBindings keeps it at every upload (the first \`pulumi up\` may upload this script once)`,
            ),
          );
          kept.add("secret_key");
          return undefined;
        }
        return helper(`bindings.binding(${literal(b)})`);
    }
  }

  private program(body: string[]): string {
    const secretLines = this.secrets.map(
      (s) => `//   pulumi config set --secret ${s.configKey} <value of ${s.binding} of ${s.scriptName}>`,
    );
    const header = [
      `// The dispatch namespace '${this.platform.namespace.name}' of account ${this.platform.accountId}, as Cloudflare has it,`,
      `// written by \`${this.options.command}\`.`,
      this.options.fleet
        ? "// Every resource but the TenantFleet carries the import option, and the fleet adopts its scripts: the first `pulumi up` changes nothing."
        : "// Every resource carries the import option: the first `pulumi up` takes each over and changes nothing.",
      ...(secretLines.length > 0
        ? ["// Cloudflare never returns secret values: set each to the value the script has, before `pulumi up`:", ...secretLines]
        : []),
      ...(this.warnings.length > 0
        ? [`// ${this.warnings.length} thing(s) could not be declared exactly: see the NOTE comments below.`]
        : []),
    ];
    const imports = [...this.imports].sort();
    if (this.usesBindingsHelpers) imports.unshift("bindings");
    const usesConfig = this.secrets.length > 0;
    return [
      ...header,
      ...(usesConfig ? ['import * as pulumi from "@pulumi/pulumi";'] : []),
      `import { ${imports.join(", ")} } from "pulumi-cloudflare-wfp";`,
      "",
      ...(usesConfig ? ["const config = new pulumi.Config();", ""] : []),
      ...body,
    ]
      .join("\n")
      .replace(/\n+$/, "\n");
  }

  private writeProjectFiles(): void {
    const name = this.platform.namespace.name;
    this.files.set(
      "Pulumi.yaml",
      `name: ${name}\nruntime: nodejs\ndescription: The dispatch namespace '${name}' and its Workers, imported from Cloudflare.\n`,
    );
    const pkg = {
      name,
      private: true,
      main: "index.ts",
      dependencies: { "@pulumi/pulumi": "^3.139.0", "pulumi-cloudflare-wfp": this.options.packageSpec },
      devDependencies: { "@types/node": "^22.11.0", typescript: "^5.0.0" },
    };
    this.files.set("package.json", `${JSON.stringify(pkg, null, 2)}\n`);
    const tsconfig = {
      compilerOptions: {
        strict: true,
        target: "es2022",
        module: "commonjs",
        moduleResolution: "node",
        esModuleInterop: true,
        skipLibCheck: true,
        types: ["node"],
      },
      files: ["index.ts"],
    };
    this.files.set("tsconfig.json", `${JSON.stringify(tsconfig, null, 2)}\n`);
  }
}

/** The project for `platform`; pure (files are returned, not written). */
export function writeProgram(platform: ImportedPlatform, options: WriterOptions): GeneratedProject {
  return new ProgramWriter(platform, options).write();
}
