import type { ReflexSheetSummary, ReflexSheetVersionView, ReflexSheetView } from "@vigie/contracts";
import type { ReflexSheetListRow, ReflexSheetRow, ReflexSheetVersionWithAuthor } from "@vigie/db";
import type { z } from "zod";

export type ReflexSheetSummaryData = z.infer<typeof ReflexSheetSummary>;
export type ReflexSheetViewData = z.infer<typeof ReflexSheetView>;
type VersionViewData = z.infer<typeof ReflexSheetVersionView>;

const iso = (value: Date | string): string => new Date(value).toISOString();

/** A sheet of the library, as listed. */
export function toReflexSheetSummary(row: ReflexSheetListRow): ReflexSheetSummaryData {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    category: row.category,
    kind: row.kind,
    currentVersion: row.current_version,
    tlp: row.tlp,
    updatedAt: iso(row.updated_at),
    archivedAt: row.archived_at ? iso(row.archived_at) : null,
  };
}

/** One version of a sheet. */
export function toReflexSheetVersionView(row: ReflexSheetVersionWithAuthor): VersionViewData {
  return {
    version: row.version,
    title: row.title,
    body: row.body,
    tlp: row.tlp,
    createdAt: iso(row.created_at),
    createdBy: row.created_by_name ?? "système",
    changeNote: row.change_note,
  };
}

/** A sheet with its history (versions newest first). */
export function toReflexSheetView(
  sheet: ReflexSheetRow,
  versions: readonly ReflexSheetVersionWithAuthor[],
): ReflexSheetViewData {
  const current = versions.find((v) => v.version === sheet.current_version);
  if (!current) throw new Error(`fiche ${sheet.id} sans sa version courante ${sheet.current_version}`);
  return {
    ...toReflexSheetSummary({ ...sheet, tlp: current.tlp }),
    versions: versions.map(toReflexSheetVersionView),
  };
}
