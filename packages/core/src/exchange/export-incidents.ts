import { AppError, regionCodes } from "@vigie/contracts";
import { type ExchangeCursor, type Executor, exchangeRepo } from "@vigie/db";
import type { Actor } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { parisStartOfDay } from "../time/paris-time.ts";
import { rowToRecord } from "./canonical.ts";

/** Which incidents an export writes: a year (Paris local time of `declared_at`), one region or all. */
export interface IncidentExportQuery {
  year: number;
  /** INSEE code of the region of the structure's snapshot; all regions when absent. */
  region?: string | null | undefined;
}

/** Rows read per query; each page is written as one chunk of lines. */
const PAGE_SIZE = 2000;

function checkQuery(query: IncidentExportQuery): void {
  const fields = [];
  if (!Number.isInteger(query.year) || query.year < 1900 || query.year > 2999) {
    fields.push({ field: "year", message: "Indiquez une année sur 4 chiffres (par exemple 2023)." });
  }
  if (query.region && !(regionCodes as readonly string[]).includes(query.region)) {
    fields.push({
      field: "region",
      message: `Code région INSEE « ${query.region} » inconnu : attendu l'un des 18 codes (${regionCodes.join(", ")}).`,
    });
  }
  if (fields.length > 0) throw new AppError("VALIDATION_FAILED", { fields });
}

/**
 * The incidents of a year as `vigie.incident/1` JSON Lines, ordered by `declared_at` then
 * reference: the effective values (what the statistics count, decision 0010), the structure as
 * it was at declaration time. Yields chunks of whole lines, each ending with `\n`, page by page
 * (memory stays flat whatever the year's size).
 */
export async function* exportIncidents(db: Executor, query: IncidentExportQuery): AsyncGenerator<string> {
  checkQuery(query);
  const filter = {
    from: parisStartOfDay(`${query.year}-01-01`),
    to: parisStartOfDay(`${query.year + 1}-01-01`),
    region: query.region ?? null,
  };
  let cursor: ExchangeCursor | null = null;
  for (;;) {
    const rows = await exchangeRepo.listExchangeRows(db, filter, cursor, PAGE_SIZE);
    if (rows.length === 0) return;
    let chunk = "";
    for (const row of rows) chunk += `${JSON.stringify(rowToRecord(row))}\n`;
    yield chunk;
    if (rows.length < PAGE_SIZE) return;
    const last = rows[rows.length - 1] as (typeof rows)[number];
    cursor = { declaredAt: last.cursor_at, reference: last.reference };
  }
}

/** The whole export as one string (tests, small years). */
export async function exportIncidentsText(db: Executor, query: IncidentExportQuery): Promise<string> {
  let text = "";
  for await (const chunk of exportIncidents(db, query)) text += chunk;
  return text;
}

/** An export ready to stream: its file name and its chunks of lines. */
export interface IncidentExportRun {
  fileName: string;
  chunks: AsyncGenerator<string>;
}

/**
 * Starts an export for someone (`observatory:manage` for the API; the command line has no
 * actor): checks the query, records the audit entry (a year's incidents leave the platform),
 * and returns the lines to stream.
 */
export async function startIncidentExport(
  db: Executor,
  query: IncidentExportQuery,
  options: {
    actor?: Pick<Actor, "userId" | "email"> | null;
    actorLabel?: string;
    ip?: string | null;
    now?: Date;
  } = {},
): Promise<IncidentExportRun> {
  checkQuery(query);
  await recordAudit(
    db,
    {
      actor: options.actor ?? null,
      actorLabel: options.actorLabel ?? "système",
      action: "incidents.export",
      objectType: "incident",
      ip: options.ip ?? null,
      details: { year: query.year, region: query.region ?? null },
    },
    options.now ?? new Date(),
  );
  return {
    fileName: `incidents-${query.year}${query.region ? `-${query.region}` : ""}.jsonl`,
    chunks: exportIncidents(db, query),
  };
}
