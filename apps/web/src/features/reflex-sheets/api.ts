import type { ReflexSheetSummary, ReflexSheetVersionView, ReflexSheetView } from "@vigie/contracts";
import {
  reflexSheetCategories,
  reflexSheetCategoryLabels,
  reflexSheetKindLabels,
  tlp,
} from "@vigie/contracts";
import type { z } from "zod";

export type SheetSummary = z.infer<typeof ReflexSheetSummary>;
export type SheetView = z.infer<typeof ReflexSheetView>;
export type SheetVersion = z.infer<typeof ReflexSheetVersionView>;

/** Where the library lives in the web app. */
export const LIBRARY_PATH = "/cert/fiches-reflexes";

/** Query keys: every list under ["reflex-sheets"], each sheet under ["reflex-sheet", id]. */
export const sheetKeys = {
  lists: ["reflex-sheets"] as const,
  list: (filters: Record<string, string>) => ["reflex-sheets", filters] as const,
  sheet: (id: string) => ["reflex-sheet", id] as const,
};

/** The French name of a category code (codes unknown to this version of the app shown as is). */
export function categoryLabel(code: string): string {
  return (reflexSheetCategoryLabels as Record<string, string>)[code] ?? code;
}

/** The categories, general first, then alphabetical by label. */
export const categoryOptions = [...reflexSheetCategories]
  .map((code) => ({ code, label: categoryLabel(code) }))
  .sort((a, b) =>
    a.code === "general" ? -1 : b.code === "general" ? 1 : a.label.localeCompare(b.label, "fr"),
  );

export const kindLabel = (kind: SheetSummary["kind"]) => reflexSheetKindLabels[kind];

/** "TLP:AMBER" out of "TLP:AMBER — diffusion limitée…". */
export const tlpShort = (code: SheetSummary["tlp"]) => tlp.labels[code].split(" — ")[0] ?? code;
