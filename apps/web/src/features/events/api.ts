import type { EventPage, EventSummary, EventView } from "@vigie/contracts";
import type { z } from "zod";

export type EventSummaryData = z.infer<typeof EventSummary>;
export type EventViewData = z.infer<typeof EventView>;
export type EventPageData = z.infer<typeof EventPage>;
export type EventStatus = EventSummaryData["status"];

/** Where the CERT's events live in the web app. */
export const EVENTS_PATH = "/cert/evenements";
export const eventPath = (id: string) => `${EVENTS_PATH}/${encodeURIComponent(id)}`;

export const eventStatusLabels: Record<EventStatus, string> = {
  open: "Ouvert",
  closed: "Clos",
};

/** "1 déclaration", "3 déclarations". */
export function declarationsCount(n: number): string {
  return `${n.toLocaleString("fr-FR")} déclaration${n > 1 ? "s" : ""}`;
}

/** The references typed in a field, separated by commas, semicolons or new lines. */
export function splitReferences(text: string): string[] {
  return text
    .split(/[,;\n]+/)
    .map((part) => part.trim())
    .filter((part) => part !== "");
}
