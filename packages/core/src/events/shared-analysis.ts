import type { SharedEventAnalysis } from "@vigie/contracts";
import type { EventRow } from "@vigie/db";
import type { z } from "zod";

export type SharedEventAnalysisData = z.infer<typeof SharedEventAnalysis>;

/**
 * What the declarants of the linked declarations see of an event: its analysis, unless there is
 * none or the event is TLP:RED (nothing red leaves the CERT).
 */
export function sharedAnalysisOf(
  event: Pick<EventRow, "reference" | "title" | "analysis" | "tlp"> | undefined,
): SharedEventAnalysisData | null {
  if (!event || event.tlp === "red" || event.analysis.trim() === "") return null;
  return { reference: event.reference, title: event.title, analysis: event.analysis };
}
