/**
 * The lifecycle every Worker script resource shares (tenant scripts in a namespace, account-level
 * dispatchers): what `pulumi up`, `preview`, `refresh` and `destroy` do with one script.
 *
 * - check:  validates every input against Cloudflare's rules and builds the code, so the content
 *           hash (what `diff` compares) is known at preview.
 * - create/update: one multipart PUT with code, bindings, compatibility, tags and limits, then the
 *           kind's own extras (routes, workers.dev) only when those changed. An import whose code and
 *           configuration are already Cloudflare's sends nothing.
 * - diff:   its name → replace; where it lives, code, configuration, bindings → update (a move
 *           between namespaces is an upload there and a delete here; a renamed namespace costs nothing).
 * - read:   one GET; a different etag means the code was re-uploaded outside Pulumi (the next `up`
 *           restores it); a different modified_on triggers one settings GET to find what changed.
 * - delete: idempotent; a missing script (or namespace) is already deleted.
 */
import type * as pulumi from "@pulumi/pulumi";
import { type CredentialInputs, credentialsOf } from "../cloudflare/credentials";
import { scriptNameProblem } from "../cloudflare/names";
import { type Session, checkConnection, openSession } from "../cloudflare/session";
import type { ProviderContext } from "../context";
import type { ResourceMethods } from "../framework/resource-methods";
import { Failures, isNew, withoutNulls } from "../framework/check";
import { partially } from "../framework/partial-failure";
import { isUnknown } from "../framework/unknowns";
import { alreadyAsDeclared } from "./adopt";
import { compactManifest, describeAssetChanges } from "./asset-changes";
import { type AssetDirectory, AssetsError, type AssetsInputs, assetsConfigProblems, readAssetDirectory } from "./assets";
import { buildCode } from "./code";
import { type WorkerConfigInputs, withCamelCasedConfig } from "./config";
import { INHERITABLE_KEYS, isSetByChoice, reportedConfig } from "./reported";
import { checkedContentHash, isCodeKnown, scriptSpecProblems } from "./script-spec";
import { BOOKKEEPING_KEYS, UPLOAD_KEYS, changedKeys } from "./script-diff";
import {
  type ScriptAddress,
  type ScriptInfo,
  type ScriptSettings,
  deleteScript,
  describeAddress,
  getScript,
  getScriptSettings,
} from "./script-api";
import { applyEdits, editsInsteadOfUpload } from "./script-edits";
import { uploadWorker } from "./upload";

/** The inputs every script resource has. */
export interface ScriptInputs extends CredentialInputs, WorkerConfigInputs {
  /** The script's name (for a tenant: what `env.DISPATCHER.get(name)` takes). */
  scriptName: string;
  /** An inline ES-module script; exclusive with `entrypoint`. */
  content?: string;
  /** A file bundled with esbuild, relative to the Pulumi project; exclusive with `content`. */
  entrypoint?: string;
  /** false: the entrypoint's directory is uploaded as it is, one module per file. Default true. */
  bundle?: boolean;
  /** sha256 of the code modules, set by `check`. */
  contentHash?: string;
  /** Set by the sdk for the `import` option: the existing script's id, which must exist. */
  importFrom?: string;
  /** Static assets served with the script: a directory and how to serve it. */
  assets?: AssetsInputs;
  /** sha256 of the assets' manifest, set by `check`: an unchanged directory costs no asset request. */
  assetsHash?: string;
  /** Each file's path and short hash, compacted (./asset-changes.ts), set by `check`: what the next preview compares. */
  assetsManifest?: string;
  /** Set by `check`: which files this `up` changes, in one line, e.g. "1 of 3 files changed: /about.html". */
  assetsChanges?: string;
}

/** What state keeps for every script resource, besides its inputs (minus inline code, kept once as input). */
export interface ScriptOutputs {
  accountId: string;
  contentHash: string;
  /** Cloudflare's hash of the uploaded content; refresh compares it to spot outside re-uploads. */
  etag: string;
  createdOn: string;
  modifiedOn: string;
  /** The event handlers the script exports, e.g. ["fetch"]. */
  handlers: string[];
  tags: string[];
  /** Configuration taken over from Cloudflare at import because the program left it undeclared. */
  inherited?: string[];
  /** The etag Cloudflare reported at refresh when the code was re-uploaded outside Pulumi: the next `up` restores this program's code. */
  driftedEtag?: string;
  /** The tag of the last Durable Object migration Cloudflare applied to the script (`migrations` are sent until it is their `newTag`). */
  migrationTag?: string;
}

/** A script resource's state: its inputs (inline code kept once, as input) and what Cloudflare reports. */
export type StateOf<I extends ScriptInputs> = Omit<I, "content" | "importFrom" | "contentHash" | "tags" | "accountId"> & ScriptOutputs;

/** What makes one kind of script resource different from another. */
export interface ScriptKind<I extends ScriptInputs, O extends ScriptOutputs> {
  addressOf(props: I | O): ScriptAddress;
  /** The properties that say where a script is, from its Pulumi id (what `get` gives). */
  locate(id: string): Partial<I>;
  /**
   * Inputs besides the name that say where the script lives. Changing them moves the script in
   * place (upload at the new address, delete at the old), unless `sameLocation` says the container
   * was only renamed (its scripts went with it): then nothing is sent.
   */
  locationKeys: readonly string[];
  sameLocation?(olds: O, news: I): boolean;
  /** Inputs of the kind's extras (routes, workers.dev): changing them calls `applyExtras`. */
  extraKeys: readonly string[];
  checkLocation(news: I, failures: Failures): void;
  /** At preview, once connected: rules that need Cloudflare's answer (e.g. a hostname against its zone). */
  checkWithSession?(session: Session, news: I, failures: Failures): Promise<void>;
  /** After an upload: make routes etc. match `news` (from `olds` on update); returns their outputs. */
  applyExtras?(session: Session, news: I, olds: O | undefined): Promise<Partial<O>>;
  /** Before the script is deleted (routes first, so nothing routes to a missing script). */
  removeExtras?(session: Session, props: O): Promise<void>;
  /** At refresh: the extras as Cloudflare has them now. */
  readExtras?(session: Session, props: O): Promise<Partial<O>>;
}

/** A script as Cloudflare has it after a create: uploaded, or taken over as it was. */
interface Adopted {
  session: Session;
  contentHash: string;
  script: ScriptInfo;
  /** The manifest hash of the assets uploaded with the script, when it has some. */
  assetsHash?: string;
}

/**
 * The dynamic provider of one script kind: one method per step the engine calls, the kind injected.
 * Methods are bound properties, so the engine (and a spec) may call them detached from the object.
 */
export class ScriptLifecycle<I extends ScriptInputs, O extends StateOf<ScriptInputs>> implements pulumi.dynamic.ResourceProvider {
  constructor(
    private readonly context: ProviderContext,
    private readonly kind: ScriptKind<I, O>,
  ) {}

  /** `pulumi preview` and `up`: every rule Cloudflare enforces, then the code built so a change shows as `contentHash`. */
  readonly check = async (olds: Partial<I>, given: I): Promise<pulumi.dynamic.CheckResult> => {
    const failures = new Failures();
    const news = withoutNulls(given);
    this.checkInputs(news, failures);
    if (failures.any) return { failures: failures.list };

    const accountId = await checkConnection(this.context, credentialsOf(news), failures);
    if (accountId && news.importFrom !== undefined && !isUnknown(news.importFrom) && isNew(olds))
      await this.checkImportable(news, accountId, failures);
    if (accountId && this.kind.checkWithSession && !failures.any)
      await this.kind.checkWithSession(await openSession(this.context, credentialsOf(news)), news, failures);
    const contentHash = await this.checkCode(news, failures);
    const assets = this.checkAssets(news, failures);
    if (failures.any) return { failures: failures.list };
    const inputs = { ...news };
    if (accountId) inputs.accountId = accountId;
    if (contentHash) inputs.contentHash = contentHash;
    else delete inputs.contentHash; // unknown until the code is: diff reports it as changing
    delete inputs.assetsHash;
    delete inputs.assetsManifest;
    delete inputs.assetsChanges;
    if (assets) {
      inputs.assetsHash = assets.manifestHash;
      inputs.assetsManifest = compactManifest(assets);
      const previous = isNew(olds) ? undefined : olds;
      inputs.assetsChanges = describeAssetChanges(previous?.assetsManifest, inputs.assetsManifest, previous?.assetsHash !== undefined);
    } else if (news.assets !== undefined) {
      inputs.assetsChanges = "files unknown until up"; // a directory computed by another resource
    }
    return { inputs };
  };

  /** A new name or account replaces the script; code, configuration and where it lives update it in place. */
  readonly diff = async (_id: string, stored: O, news: I): Promise<pulumi.dynamic.DiffResult> => {
    const olds = withCamelCasedConfig(stored);
    const replaces = changedKeys(["scriptName"], olds, news);
    if (news.accountId !== undefined && changedKeys(["accountId"], olds, news).length > 0) replaces.push("accountId");
    const uploads = changedKeys(UPLOAD_KEYS, olds, this.withInherited(olds, news));
    const others = changedKeys([...BOOKKEEPING_KEYS, ...this.kind.locationKeys, ...this.kind.extraKeys], olds, news);
    if (news.contentHash === undefined) uploads.push("contentHash"); // code computed by another resource
    if (news.assets !== undefined && news.assetsHash === undefined) uploads.push("assetsHash"); // directory known at `up` only
    if (olds.driftedEtag !== undefined) uploads.push("driftedEtag"); // re-uploaded outside Pulumi: restore ours
    return { changes: replaces.length + uploads.length + others.length > 0, replaces, deleteBeforeReplace: false };
  };

  /** One upload (after taking the existing script over, for the import option), then the kind's extras. */
  readonly create = async (inputs: I): Promise<pulumi.dynamic.CreateResult> => {
    let effective = inputs;
    let inherited: string[] | undefined;
    let adopted: Adopted | undefined;
    let appliedTag: string | undefined;
    if (inputs.importFrom !== undefined) {
      const takeover = await this.takeOver(inputs);
      ({ effective, inherited, appliedTag } = takeover);
      adopted = await this.adopted(effective, takeover.settings);
    }
    const { session, contentHash, script, assetsHash }: Adopted = adopted ?? (await this.uploaded(effective, appliedTag));
    const id = this.importIdOf(inputs);
    const outs = this.toOutputs(effective, session.accountId, contentHash, script, inherited, assetsHash);
    // An imported script's extras start from what Cloudflare has (routes already there stay untouched).
    const current =
      inputs.importFrom !== undefined && this.kind.readExtras ? ((await this.kind.readExtras(session, outs)) as O) : undefined;
    const extras = this.kind.applyExtras ? await partially(id, outs, () => this.kind.applyExtras!(session, effective, current)) : {};
    return { id, outs: { ...outs, ...extras } };
  };

  /**
   * `pulumi refresh` (and `get`): one GET; a new etag means the code was re-uploaded outside Pulumi
   * (kept in `driftedEtag`, so the next `up` restores it); a new modified_on costs one settings GET.
   */
  readonly read = async (id: string, given: O): Promise<pulumi.dynamic.ReadResult> => {
    // `get` gives only the id: where the script is comes from it, and everything else from Cloudflare.
    const isGet = given.scriptName === undefined;
    const props = withCamelCasedConfig(isGet ? { ...given, ...this.kind.locate(id) } : given);
    const session = await openSession(this.context, credentialsOf(props));
    const address = this.kind.addressOf(props);
    const script = await getScript(session, address);
    if (!script) return {}; // deleted outside Pulumi (or its namespace was): the engine drops it

    const observed: O = {
      ...props,
      accountId: props.accountId ?? session.accountId,
      etag: script.etag ?? props.etag,
      createdOn: props.createdOn ?? script.created_on,
      modifiedOn: script.modified_on ?? props.modifiedOn,
      handlers: props.handlers ?? script.handlers ?? [],
      tags: script.tags ?? [],
    };
    if (props.etag && script.etag && script.etag !== props.etag) observed.driftedEtag = script.etag;
    if (script.migration_tag) observed.migrationTag = script.migration_tag;
    else delete observed.migrationTag;
    if (this.kind.readExtras) Object.assign(observed, await this.kind.readExtras(session, observed));
    if (script.modified_on !== props.modifiedOn) {
      // Something changed since our last upload; the settings say what (one more GET, only then).
      const settings = await getScriptSettings(session, address);
      if (!settings) return {};
      const reported = reportedConfig(settings, props.secretBindings) as Record<string, unknown>;
      for (const key of INHERITABLE_KEYS) {
        const declared = (props as unknown as Record<string, unknown>)[key];
        const now = reported[key];
        if (declared !== undefined || (isSetByChoice(key, now) && (isGet || key !== "compatibilityDate"))) {
          (observed as unknown as Record<string, unknown>)[key] = now;
        }
      }
    }
    const { etag: _e, createdOn: _c, modifiedOn: _m, handlers: _h, inherited: _i, migrationTag: _t, ...inputs } = observed;
    return { id, props: observed, inputs };
  };

  /** One upload when code or configuration changed (at the new address first, for a move), the extras when theirs did. */
  readonly update = async (id: string, stored: O, given: I): Promise<pulumi.dynamic.UpdateResult> => {
    const olds = withCamelCasedConfig(stored);
    const driftedEtag = olds.driftedEtag;
    delete olds.driftedEtag; // the upload below restores this program's code
    const news = withoutNulls(given);
    const effective = this.withInherited(olds, news);
    const moved = changedKeys(this.kind.locationKeys, olds, news).length > 0 && !(this.kind.sameLocation?.(olds, news) ?? false);
    const assetsUnknown = effective.assets !== undefined && effective.assetsHash === undefined;
    const needsUpload =
      moved ||
      driftedEtag !== undefined ||
      changedKeys(UPLOAD_KEYS, olds, effective).length > 0 ||
      effective.contentHash === undefined ||
      assetsUnknown;
    const needsExtras = changedKeys(this.kind.extraKeys, olds, news).length > 0;
    const { content: _content, importFrom: _importFrom, ...kept } = effective;
    let outs = { ...olds, ...kept } as O;
    if (effective.assets === undefined) {
      delete outs.assets; // removed from the program: the upload below sends none
      delete outs.assetsHash;
      delete outs.assetsManifest;
      delete outs.assetsChanges;
    }
    let session: Session | undefined;
    // Tags and secrets alone have their own calls: the code is not sent again.
    const edits =
      needsUpload && !moved && driftedEtag === undefined && !assetsUnknown && effective.contentHash !== undefined
        ? editsInsteadOfUpload(this.kind.addressOf(effective), olds, effective)
        : undefined;
    let edited = false;
    if (edits) {
      session = await openSession(this.context, credentialsOf(effective));
      edited = await applyEdits(session, this.kind.addressOf(effective), edits);
    }
    if (needsUpload && !edited) {
      // A script moved to another namespace starts there without Durable Objects: its migrations go again.
      // Cloudflare still has this script's files unless it moved or was re-uploaded outside Pulumi.
      const keptAssetsHash = moved || driftedEtag !== undefined ? undefined : olds.assetsHash;
      session ??= await openSession(this.context, credentialsOf(effective));
      const uploaded = await uploadWorker(session, this.kind.addressOf(effective), effective, {
        appliedTag: moved ? undefined : olds.migrationTag,
        keptAssetsHash,
      });
      outs = {
        ...outs,
        ...this.toOutputs(effective, session.accountId, uploaded.bundle.contentHash, uploaded.script, olds.inherited, uploaded.assetsHash),
      };
      // After the upload: never without a copy. Under the same name (a namespace re-created), nothing to delete.
      if (moved && describeAddress(this.kind.addressOf(olds)) !== describeAddress(this.kind.addressOf(effective))) {
        await deleteScript(session, this.kind.addressOf(olds));
      }
    }
    if (needsExtras && this.kind.applyExtras) {
      const open = session ?? (await openSession(this.context, credentialsOf(news)));
      outs = { ...outs, ...(await partially(id, outs, () => this.kind.applyExtras!(open, effective, olds))) };
    }
    return { outs };
  };

  /** The kind's extras first (routes: nothing may route to a missing script), then the script; idempotent. */
  readonly delete = async (_id: string, props: O): Promise<void> => {
    const session = await openSession(this.context, credentialsOf(props));
    if (this.kind.removeExtras) await this.kind.removeExtras(session, props);
    await deleteScript(session, this.kind.addressOf(props));
  };

  /** The rules that need no request: names, code source, configuration, bindings, the import id. */
  private checkInputs(news: I, failures: Failures): void {
    this.kind.checkLocation(news, failures);
    const scriptName = failures.requireString(news, "scriptName");
    if (scriptName !== undefined) {
      const problem = scriptNameProblem(scriptName);
      if (problem) failures.add("scriptName", `scriptName ${problem}`);
    }
    for (const p of scriptSpecProblems(news)) failures.add(p.property, p.reason);
    if (news.importFrom !== undefined && !isUnknown(news.importFrom) && !failures.any && news.importFrom !== this.importIdOf(news)) {
      failures.add("scriptName", `the import id '${news.importFrom}' must name this script: '${this.importIdOf(news)}'`);
    }
  }

  /** The import option on a resource not yet in state: the script must exist, said at preview. */
  private async checkImportable(news: I, accountId: string, failures: Failures): Promise<void> {
    const session = await openSession(this.context, credentialsOf(news));
    if (!(await getScriptSettings(session, this.kind.addressOf(news)))) {
      failures.add(
        "import",
        `the import option names ${describeAddress(this.kind.addressOf(news))}, which does not exist in account ${accountId} (remove the option to create it, or fix the id)`,
      );
    }
  }

  /** Reads the assets' directory for its manifest (and Cloudflare's limits); undefined without assets or while unknown. */
  private checkAssets(news: I, failures: Failures): AssetDirectory | undefined {
    const problems = assetsConfigProblems(news.assets);
    for (const reason of problems) failures.add("assets", reason);
    if (news.assets === undefined || isUnknown(news.assets) || isUnknown(news.assets.directory) || problems.length > 0) return undefined;
    try {
      return readAssetDirectory(news.assets.directory);
    } catch (error) {
      if (!(error instanceof AssetsError)) throw error;
      failures.add("assets", error.message);
      return undefined;
    }
  }

  /** Builds the code for its hash; undefined while the code is unknown. */
  private async checkCode(news: I, failures: Failures): Promise<string | undefined> {
    if (!isCodeKnown(news) || failures.any) return undefined;
    const checked = await checkedContentHash(this.context.caches, news);
    if ("problem" in checked) {
      failures.add(checked.problem.property, checked.problem.reason);
      return undefined;
    }
    return checked.contentHash;
  }

  private importIdOf(props: I | O): string {
    const address = this.kind.addressOf(props);
    return address.namespace === undefined ? address.scriptName : `${address.namespace}/${address.scriptName}`;
  }

  /** Undeclared configuration that an import took over stays as Cloudflare had it. */
  private withInherited(olds: O, news: I): I {
    const effective = { ...news } as Record<string, unknown>;
    for (const key of olds.inherited ?? []) {
      if (effective[key] === undefined) effective[key] = (olds as unknown as Record<string, unknown>)[key];
    }
    return effective as I;
  }

  private toOutputs(inputs: I, accountId: string, contentHash: string, script: ScriptInfo, inherited?: string[], assetsHash?: string): O {
    const { content: _content, importFrom: _importFrom, ...kept } = inputs;
    const outputs = {
      ...kept,
      accountId,
      contentHash,
      etag: script.etag ?? "",
      createdOn: script.created_on ?? "",
      modifiedOn: script.modified_on ?? "",
      handlers: script.handlers ?? [],
      tags: script.tags ?? inputs.tags ?? [],
    } as unknown as O;
    if (inherited && inherited.length > 0) outputs.inherited = inherited;
    if (script.migration_tag) outputs.migrationTag = script.migration_tag;
    if (assetsHash !== undefined) outputs.assetsHash = assetsHash;
    return outputs;
  }

  private async uploaded(inputs: I, appliedTag: string | undefined): Promise<Adopted> {
    const session = await openSession(this.context, credentialsOf(inputs));
    const { bundle, script, assetsHash } = await uploadWorker(session, this.kind.addressOf(inputs), inputs, { appliedTag });
    return { session, contentHash: bundle.contentHash, script, assetsHash };
  }

  /** Import: the script must exist; configuration the program leaves undeclared is kept as Cloudflare has it. */
  private async takeOver(inputs: I): Promise<{ effective: I; inherited: string[]; settings: ScriptSettings; appliedTag?: string }> {
    const session = await openSession(this.context, credentialsOf(inputs));
    const address = this.kind.addressOf(inputs);
    const settings = await getScriptSettings(session, address);
    if (!settings) {
      throw new Error(
        `importing ${describeAddress(address)}: no such script in account ${session.accountId} (remove the import option to create it, or fix the name)`,
      );
    }
    const reported = reportedConfig(settings, undefined) as Record<string, unknown>;
    const effective = { ...inputs } as Record<string, unknown>;
    const inherited: string[] = [];
    for (const key of INHERITABLE_KEYS) {
      const value = reported[key];
      if (effective[key] === undefined && isSetByChoice(key, value)) {
        effective[key] = value;
        inherited.push(key);
      }
    }
    // Migrations the existing script already ran are not sent again.
    const appliedTag = inputs.migrations === undefined ? undefined : (await getScript(session, address))?.migration_tag;
    return { effective: effective as I, inherited, settings, appliedTag };
  }

  /** Import of a script the program declares exactly as Cloudflare has it: nothing to upload (./adopt.ts). */
  private async adopted(effective: I, settings: ScriptSettings): Promise<Adopted | undefined> {
    const session = await openSession(this.context, credentialsOf(effective));
    const bundle = await buildCode(this.context.caches.code, effective);
    const script = await alreadyAsDeclared(session, this.kind.addressOf(effective), effective, bundle, { explicitImport: true, settings });
    return script ? { session, contentHash: bundle.contentHash, script } : undefined;
  }
}

/** A script kind's methods in `context` (provider/index.ts makes the engine's provider of them). */
export function scriptResource<I extends ScriptInputs, O extends StateOf<ScriptInputs>>(
  context: ProviderContext,
  kind: ScriptKind<I, O>,
): ResourceMethods {
  const lifecycle = new ScriptLifecycle(context, kind);
  return {
    check: lifecycle.check,
    diff: lifecycle.diff,
    create: lifecycle.create,
    read: lifecycle.read,
    update: lifecycle.update,
    remove: lifecycle.delete,
  };
}
