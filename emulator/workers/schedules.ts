/**
 * Cron triggers of account-level Workers (SOURCES.md §5.11): a Worker's schedules, replaced as a whole by
 * `PUT …/scripts/:s/schedules`, kept per account by Worker name and dropped with the Worker.
 */

/** `{ cron, created_on, modified_on }` (SDK `ScheduleGetResponse.Schedule`). */
export interface ScheduleRecord {
  cron: string;
  created_on: string;
  modified_on: string;
}

/** One cron field: `*`, a number, a range, a list or a step, or (day-of-week and month fields) names such as MON or JAN. */
const FIELD = /^(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?)*$/;

/**
 * [INF] A cron expression Cloudflare accepts: five space-separated fields (minute, hour, day of month, month,
 * day of week; DOCS workers/configuration/cron-triggers "Supported cron expressions"), `L`, `W` and `#` allowed
 * in the day fields as those docs list them.
 */
export function isCron(value: string): boolean {
  const fields = value.trim().split(/\s+/);
  return fields.length === 5 && fields.every((f, i) => FIELD.test(i === 2 || i === 4 ? f.replace(/[LW#]/g, "") || "*" : f));
}
