import { DeclarationSort } from "@vigie/contracts";

// The queue's filters as the URL holds them. The URL uses the API's own parameters
// (`GET /api/declarations`), so a saved view is the query string itself, checked by the server
// with the same schema, and a shared link shows the same declarations to a colleague.

/** Filters that take several values (repeated in the URL: `status=new&status=triage`). */
export const listKeys = ["status", "structureType", "region", "origin", "type", "impact", "channel"] as const;
/** Yes/no filters (`true` or `false`; absent: both). */
export const booleanKeys = ["overdue", "qualified", "supportRequested", "outOfHours"] as const;
/** Single-valued filters. */
export const textKeys = ["q", "assignee", "event", "declaredFrom", "declaredTo", "sort"] as const;

export type ListKey = (typeof listKeys)[number];
export type BooleanKey = (typeof booleanKeys)[number];
export type TextKey = (typeof textKeys)[number];
/** "" (either), "true" or "false". */
export type Tristate = "" | "true" | "false";

export type QueueFilters = Record<ListKey, string[]> & Record<BooleanKey, Tristate> & Record<TextKey, string>;

/** Orders offered, from the contract (a new order shows up by itself). */
export const sortValues: readonly string[] = DeclarationSort.options;
export const DEFAULT_SORT = "declared_desc";

export const emptyFilters: QueueFilters = {
  status: [],
  structureType: [],
  region: [],
  origin: [],
  type: [],
  impact: [],
  channel: [],
  overdue: "",
  qualified: "",
  supportRequested: "",
  outOfHours: "",
  q: "",
  assignee: "",
  event: "",
  declaredFrom: "",
  declaredTo: "",
  sort: "",
};

/** Reads the filters from a query string; repeated or comma-separated lists, unknown keys ignored. */
export function filtersFromParams(params: URLSearchParams): QueueFilters {
  const filters: QueueFilters = structuredClone(emptyFilters);
  for (const key of listKeys) {
    const values = params
      .getAll(key)
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter((v) => v !== "");
    filters[key] = [...new Set(values)];
  }
  for (const key of booleanKeys) {
    const value = params.get(key);
    filters[key] = value === "true" || value === "false" ? value : "";
  }
  for (const key of textKeys) filters[key] = (params.get(key) ?? "").trim();
  if (filters.sort === DEFAULT_SORT) filters.sort = "";
  return filters;
}

/** The query string of the filters (no page), keys in a stable order, defaults left out. */
export function paramsFromFilters(filters: QueueFilters): URLSearchParams {
  const params = new URLSearchParams();
  const q = filters.q.trim();
  if (q) params.set("q", q);
  for (const key of listKeys) for (const value of filters[key]) params.append(key, value);
  for (const key of booleanKeys) if (filters[key]) params.set(key, filters[key]);
  for (const key of ["assignee", "event", "declaredFrom", "declaredTo"] as const) {
    if (filters[key]) params.set(key, filters[key]);
  }
  if (filters.sort && filters.sort !== DEFAULT_SORT) params.set("sort", filters.sort);
  return params;
}

/** How many filters are set (search words and order included, as they narrow or change the list). */
export function activeFilterCount(filters: QueueFilters, keys: readonly (keyof QueueFilters)[]): number {
  let count = 0;
  for (const key of keys) {
    const value = filters[key];
    if (Array.isArray(value) ? value.length > 0 : value !== "") count += 1;
  }
  return count;
}

/** The page number of the URL (1 when absent or invalid). */
export function pageFromParams(params: URLSearchParams): number {
  const page = Number(params.get("page") ?? "1");
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

/** A query string with a page (left out for page 1). */
export function withPage(params: URLSearchParams, page: number): URLSearchParams {
  const next = new URLSearchParams(params);
  next.delete("page");
  if (page > 1) next.set("page", String(page));
  return next;
}
