/**
 * Cloudflare's page-number pagination (`?page=&per_page=` → `result_info { page, per_page, count,
 * total_count, total_pages }`), shared by `/accounts`, `/zones` and KV namespaces. A page past the
 * end is an empty array: the SDK's `V4PagePaginationArray` stops only on an empty page.
 */
import { ok, type ApiResult } from "./envelope";

export interface PageLimits {
  defaultPerPage: number;
  maxPerPage: number;
  /** Smallest accepted `per_page` (smaller values are raised to it); default 1. */
  minPerPage?: number;
}

/** One page of `items` (already filtered and ordered) as the API answers it; out-of-range values are clamped. */
export function pagedResult<T>(items: readonly T[], query: URLSearchParams, limits: PageLimits): ApiResult {
  const page = positiveInt(query.get("page"), 1);
  const requested = positiveInt(query.get("per_page"), limits.defaultPerPage);
  const perPage = Math.max(limits.minPerPage ?? 1, Math.min(limits.maxPerPage, requested));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  return ok(slice, {
    page,
    per_page: perPage,
    count: slice.length,
    total_count: items.length,
    total_pages: Math.ceil(items.length / perPage),
  });
}

/** `?direction=asc|desc` applied to a sort key; anything else keeps the given order. */
export function sortedByQuery<T>(items: readonly T[], direction: string | null, key: (item: T) => string): T[] {
  if (direction !== "asc" && direction !== "desc") return [...items];
  const sign = direction === "asc" ? 1 : -1;
  return [...items].sort((a, b) => sign * key(a).localeCompare(key(b)));
}

function positiveInt(raw: string | null, fallback: number): number {
  if (raw === null || !/^\d+$/.test(raw)) return fallback;
  const n = Number(raw);
  return n >= 1 ? n : fallback;
}
