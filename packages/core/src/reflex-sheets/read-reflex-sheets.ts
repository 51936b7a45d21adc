import { AppError, type ReflexSheetListQuery, type ReflexSheetSuggestions } from "@vigie/contracts";
import { type Executor, reflexSheetsRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { findReadableDeclaration } from "../declarations/read-declarations.ts";
import {
  type ReflexSheetSummaryData,
  type ReflexSheetViewData,
  toReflexSheetSummary,
  toReflexSheetView,
} from "./present.ts";

/** The library, filtered by category, kind and words; archived sheets only on request. */
export async function listReflexSheets(
  db: Executor,
  actor: Actor | null,
  query: z.output<typeof ReflexSheetListQuery>,
): Promise<ReflexSheetSummaryData[]> {
  assertPermission(actor, "declarations:handle");
  const rows = await reflexSheetsRepo.listSheets(db, {
    categories: query.category ? [query.category] : undefined,
    kind: query.kind,
    text: query.q || undefined,
    includeArchived: query.archived,
  });
  return rows.map(toReflexSheetSummary);
}

/** A sheet and its history, or NOT_FOUND. Used inside the write use cases too. */
export async function loadReflexSheetView(db: Executor, id: string): Promise<ReflexSheetViewData> {
  const sheet = await reflexSheetsRepo.findSheetById(db, id);
  if (!sheet) throw new AppError("NOT_FOUND", { message: "Fiche réflexe introuvable." });
  return toReflexSheetView(sheet, await reflexSheetsRepo.listVersions(db, sheet.id));
}

/** One sheet with every version (archived sheets stay readable). */
export async function getReflexSheet(
  db: Executor,
  actor: Actor | null,
  id: string,
): Promise<ReflexSheetViewData> {
  assertPermission(actor, "declarations:handle");
  return loadReflexSheetView(db, id);
}

/**
 * Sheets for a declaration: those whose category is one of the types the declarant proposed
 * (malicious or not), then the general ones; with the versions already sent on it.
 */
export async function suggestReflexSheets(
  db: Executor,
  actor: Actor | null,
  incidentId: string,
  context: { now: Date; ip?: string | null },
): Promise<z.infer<typeof ReflexSheetSuggestions>> {
  assertPermission(actor, "declarations:handle");
  const incident = await findReadableDeclaration(db, actor, incidentId, context);
  const types = [
    ...new Set([...incident.proposed_malicious_types, ...incident.proposed_non_malicious_types]),
  ];
  const rows = await reflexSheetsRepo.listSheets(db, { categories: [...types, "general"] });
  const sendings = await reflexSheetsRepo.listSendingsForIncident(db, incident.id);
  const rank = (category: string) => (category === "general" ? types.length : types.indexOf(category));
  const items = rows
    .map((row) => ({
      sheet: toReflexSheetSummary(row),
      matchedTypes: types.filter((type) => type === row.category),
      sentVersions: [...new Set(sendings.filter((s) => s.sheet_id === row.id).map((s) => s.version))],
    }))
    // Stable sort: within a category, the repository's title order stays.
    .sort((a, b) => rank(a.sheet.category) - rank(b.sheet.category));
  return { types, items };
}
