/**
 * A dispatcher's cron triggers: the schedules on which Cloudflare runs its `scheduled` handler
 * (`PUT|GET /accounts/:a/workers/scripts/:s/schedules`, the whole list at once). Like routes, they live
 * apart from the upload and cost a call only when they change; a script that declares none costs none.
 */
import type { ScheduleGetResponse, ScheduleUpdateParams } from "cloudflare/resources/workers/scripts/schedules";
import { accountPath } from "../cloudflare/api";
import type { AccountScope } from "../cloudflare/endpoints/scope";
import { describeFailure, isNotFound } from "../cloudflare/errors";
import type { Session } from "../cloudflare/session";
import { type Failures } from "../framework/check";
import { isUnknown, isUnknownValue } from "../framework/unknowns";

export interface CronInputs {
  crons?: string[];
}

/**
 * The shape Cloudflare's cron triggers take (its docs: minute, hour, day of month, month, day of week): five
 * fields of digits, names, `*`, `,`, `-`, `/`, `L`, `W`, `#`. Which values each field allows Cloudflare decides.
 */
function looksLikeCron(value: string): boolean {
  const fields = value.trim().split(/\s+/);
  return fields.length === 5 && fields.every((f) => /^[0-9A-Za-z*,/#-]+$/.test(f));
}

export function checkCrons(inputs: CronInputs, failures: Failures): void {
  const crons = inputs.crons as unknown;
  if (crons === undefined || isUnknownValue(crons)) return;
  if (!Array.isArray(crons)) {
    failures.add("crons", 'crons must be a list of cron expressions, e.g. ["0 3 * * *"]');
    return;
  }
  const seen = new Set<string>();
  crons.forEach((cron: unknown, i) => {
    if (isUnknown(cron)) return;
    if (typeof cron !== "string" || !looksLikeCron(cron)) {
      failures.add(
        "crons",
        `crons[${i}] must be a cron expression of five fields (minute hour day-of-month month day-of-week), e.g. "*/15 * * * *", got ${JSON.stringify(cron)}`,
      );
    } else if (seen.has(cron.trim())) failures.add("crons", `crons[${i}]: '${cron}' is listed twice`);
    if (typeof cron === "string") seen.add(cron.trim());
  });
}

function schedulesPath(accountId: string, scriptName: string): string {
  return accountPath(accountId, "workers", "scripts", scriptName, "schedules");
}

async function putSchedules(at: AccountScope, scriptName: string, body: ScheduleUpdateParams["body"]): Promise<void> {
  await at.api.call({ method: "PUT", path: schedulesPath(at.accountId, scriptName), body });
}

async function getSchedules(at: AccountScope, scriptName: string): Promise<ScheduleGetResponse> {
  return at.api.call<ScheduleGetResponse>({ method: "GET", path: schedulesPath(at.accountId, scriptName) });
}

/** Makes the script's crons `news.crons` when they differ from `olds` (nothing on create without crons). */
export async function applyCrons(session: Session, scriptName: string, news: CronInputs, olds: CronInputs | undefined): Promise<void> {
  const wanted = news.crons ?? [];
  if (JSON.stringify(wanted) === JSON.stringify(olds?.crons ?? [])) return;
  try {
    await putSchedules(
      session,
      scriptName,
      wanted.map((cron) => ({ cron })),
    );
  } catch (error) {
    throw describeFailure(`setting the cron triggers of worker script '${scriptName}'`, error, "check the crons input");
  }
}

/** At refresh: the crons Cloudflare has, when the program declares some or Cloudflare has some. */
export async function readCrons(session: Session, scriptName: string, props: CronInputs): Promise<CronInputs> {
  if (props.crons === undefined) return {};
  try {
    const { schedules } = await getSchedules(session, scriptName);
    return { crons: schedules.map((s) => s.cron) };
  } catch (error) {
    if (isNotFound(error)) return { crons: [] };
    throw describeFailure(`reading the cron triggers of worker script '${scriptName}'`, error);
  }
}

/** Before the script is deleted: its crons, so none is left once the script is gone. */
export async function removeCrons(session: Session, scriptName: string, props: CronInputs): Promise<void> {
  if (!props.crons?.length) return;
  try {
    await putSchedules(session, scriptName, []);
  } catch (error) {
    if (!isNotFound(error)) throw describeFailure(`removing the cron triggers of worker script '${scriptName}'`, error);
  }
}
