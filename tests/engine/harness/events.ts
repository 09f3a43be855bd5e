/**
 * `pulumi up` with the engine's event log kept: every event the engine emitted (diagnostics,
 * resource steps with their inputs and outputs, the summary), as the Automation API delivers them.
 * Diagnostics come once each here, whereas the text output repeats them in its summary.
 */
import type { EngineEvent, UpResult } from "@pulumi/pulumi/automation";
import type { TestStack } from "./test-stack";

export interface RecordedUp extends UpResult {
  output: string;
  events: EngineEvent[];
  /** The message of every diagnostic event (provider stderr included), in order. */
  diagnostics: string[];
}

export async function upRecordingEvents(stack: TestStack): Promise<RecordedUp> {
  let output = "";
  const events: EngineEvent[] = [];
  const result = await stack.stack.up({ onOutput: (s) => (output += s), onEvent: (e) => events.push(e), color: "never" });
  const diagnostics = events.flatMap((e) => (e.diagnosticEvent ? [e.diagnosticEvent.message] : []));
  return { ...result, output, events, diagnostics };
}
