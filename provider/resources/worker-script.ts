/**
 * WorkerScript: an account-level Worker, typically the dispatcher in front of a dispatch namespace.
 * The lifecycle is the one every script shares (../workers/script-lifecycle.ts); a dispatcher adds
 * its triggers: zone routes and workers.dev, applied after the upload and removed before the delete.
 */
import { ScriptInputs, ScriptLifecycle, StateOf } from "../workers/script-lifecycle";
import { TriggerInputs, TriggerOutputs, applyTriggers, checkTriggers, readTriggers, removeTriggers } from "../workers/triggers";

export interface WorkerScriptInputs extends ScriptInputs, TriggerInputs {}

export type WorkerScriptOutputs = StateOf<WorkerScriptInputs> & TriggerOutputs;

export const workerScriptProvider = new ScriptLifecycle<WorkerScriptInputs, WorkerScriptOutputs>({
  addressOf: (props) => ({ scriptName: props.scriptName }),
  locate: (id) => ({ scriptName: id }),
  locationKeys: [],
  extraKeys: ["routes", "workersDev"],
  checkLocation: checkTriggers,
  applyExtras: (session, news, olds) => applyTriggers(session, news.scriptName, news, olds),
  removeExtras: (session, props) => removeTriggers(session, props),
  readExtras: (session, props) => readTriggers(session, props.scriptName, props),
});

export const { check, diff, create, read, update } = workerScriptProvider as Required<typeof workerScriptProvider>;
export const remove = workerScriptProvider.delete!;
