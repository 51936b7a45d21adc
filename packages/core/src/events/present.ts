import type { EventSummary, EventView } from "@vigie/contracts";
import type { EventRow, IncidentRow } from "@vigie/db";
import type { z } from "zod";
import { toDeclarationSummary } from "../declarations/present.ts";

export type EventSummaryData = z.infer<typeof EventSummary>;
export type EventViewData = z.infer<typeof EventView>;

/** An event's reference: EV-<Paris year>-<4 digits>. */
export function eventReferenceFormat(year: number): { prefix: string; width: number } {
  return { prefix: `EV-${year}-`, width: 4 };
}

/** A line of the events list. */
export function toEventSummary(row: EventRow, declarationCount: number): EventSummaryData {
  return {
    id: row.id,
    reference: row.reference,
    title: row.title,
    tlp: row.tlp as EventSummaryData["tlp"],
    status: row.status,
    declarationCount,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

/** An event's page: its analysis and the declarations linked to it. */
export function toEventView(row: EventRow, incidents: readonly IncidentRow[]): EventViewData {
  return {
    ...toEventSummary(row, incidents.length),
    analysis: row.analysis,
    declarations: incidents.map(toDeclarationSummary),
  };
}
