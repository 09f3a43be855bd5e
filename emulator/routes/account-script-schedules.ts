/**
 * Cron triggers of an account-level Worker (SOURCES.md §5.11), `/accounts/:a/workers/scripts/:s/schedules`:
 *   PUT  body `[{ cron }]`: replaces the Worker's schedules as a whole (`[]` removes them) → `{ schedules }`
 *   GET  → `{ schedules: [{ cron, created_on, modified_on }] }`
 * A missing Worker is 404 / 10007; a malformed cron 400 / 10100 [INF].
 */
import type { RequestContext } from "../context";
import { errors, ok, type ApiResult } from "../envelope";
import { cfTimestamp } from "../ids";
import type { RouteDefinition } from "../router";
import { isCron, type ScheduleRecord } from "../workers/schedules";
import { accountHost, requireScript } from "./script-host";

const SCHEDULES = "/accounts/:accountId/workers/scripts/:script/schedules";

function schedulesOf(ctx: RequestContext): Record<string, ScheduleRecord[]> {
  const account = ctx.state.getAccount(ctx.params.accountId)!;
  return (account.schedules ??= {});
}

function putSchedules(ctx: RequestContext): ApiResult {
  const script = requireScript(ctx, accountHost);
  const body = ctx.json();
  if (!Array.isArray(body) || body.some((s) => s === null || typeof s !== "object" || typeof (s as { cron?: unknown }).cron !== "string")) {
    throw errors.invalidRequestBody("expected a list of { cron }");
  }
  const crons = (body as Array<{ cron: string }>).map((s) => s.cron.trim());
  const bad = crons.find((cron) => !isCron(cron));
  if (bad !== undefined) throw errors.invalidCron(bad);
  const before = new Map((schedulesOf(ctx)[script.name] ?? []).map((s) => [s.cron, s]));
  const now = cfTimestamp();
  const schedules = [...new Set(crons)].map((cron) => before.get(cron) ?? { cron, created_on: now, modified_on: now });
  ctx.state.mutate(() => {
    const all = schedulesOf(ctx);
    if (schedules.length) all[script.name] = schedules;
    else delete all[script.name];
  });
  return ok({ schedules: schedules.map((s) => ({ ...s })) });
}

function getSchedules(ctx: RequestContext): ApiResult {
  const script = requireScript(ctx, accountHost);
  const account = ctx.state.getAccount(ctx.params.accountId)!;
  return ok({ schedules: (account.schedules?.[script.name] ?? []).map((s) => ({ ...s })) });
}

export const accountScriptScheduleRoutes: RouteDefinition[] = [
  { method: "PUT", pattern: SCHEDULES, handler: putSchedules },
  { method: "GET", pattern: SCHEDULES, handler: getSchedules },
];
