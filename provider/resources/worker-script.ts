/**
 * WorkerScript: an account-level Worker, typically the dispatcher in front of a dispatch namespace.
 * The lifecycle is the one every script shares (../workers/script-lifecycle.ts); a dispatcher adds
 * how requests reach it: zone routes, workers.dev and custom domains, and its cron triggers, applied
 * after the upload and removed before the delete.
 */
import type { ProviderContext } from "../context";
import type { ResourceMethods } from "../framework/resource-methods";
import { type ScriptInputs, type ScriptKind, type StateOf, scriptResource } from "../workers/script-lifecycle";
import {
  type CustomDomainInputs,
  type CustomDomainOutputs,
  applyCustomDomains,
  checkCustomDomainZones,
  checkCustomDomains,
  readCustomDomains,
  removeCustomDomains,
} from "../workers/custom-domains";
import { type CronInputs, applyCrons, checkCrons, readCrons, removeCrons } from "../workers/crons";
import { type TriggerInputs, type TriggerOutputs, applyTriggers, checkTriggers, readTriggers, removeTriggers } from "../workers/triggers";

export interface WorkerScriptInputs extends ScriptInputs, TriggerInputs, CustomDomainInputs, CronInputs {}

export type WorkerScriptOutputs = StateOf<WorkerScriptInputs> & TriggerOutputs & CustomDomainOutputs;

const kind: ScriptKind<WorkerScriptInputs, WorkerScriptOutputs> = {
  addressOf: (props) => ({ scriptName: props.scriptName }),
  locate: (id) => ({ scriptName: id }),
  locationKeys: [],
  extraKeys: ["routes", "workersDev", "customDomains", "crons"],
  checkLocation(news, failures) {
    checkTriggers(news, failures);
    checkCustomDomains(news, failures);
    checkCrons(news, failures);
  },
  checkWithSession: (session, news, failures) => checkCustomDomainZones(session, news, failures),
  async applyExtras(session, news, olds) {
    const outputs = {
      ...(await applyTriggers(session, news.scriptName, news, olds)),
      ...(await applyCustomDomains(session, news.scriptName, news, olds)),
    };
    await applyCrons(session, news.scriptName, news, olds);
    return outputs;
  },
  async removeExtras(session, props) {
    await removeCrons(session, props.scriptName, props);
    await removeTriggers(session, props);
    await removeCustomDomains(session, props.scriptName, props);
  },
  readExtras: async (session, props) => ({
    ...(await readTriggers(session, props.scriptName, props)),
    ...(await readCustomDomains(session, props.scriptName, props)),
    ...(await readCrons(session, props.scriptName, props)),
  }),
};

/** This kind's methods in `context` (provider/index.ts makes the engine's provider of them). */
export function workerScriptResource(context: ProviderContext): ResourceMethods {
  return scriptResource(context, kind);
}
