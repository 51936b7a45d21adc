import { AppError, type EventListQuery, type EventPage } from "@vigie/contracts";
import { type EventRow, type Executor, eventsRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { normaliseSearchText } from "../directory/search-text.ts";
import { type EventViewData, toEventSummary, toEventView } from "./present.ts";

/** Lines per page of the events list. */
export const EVENTS_PAGE_SIZE = 20;

/**
 * The CERT's events: searched on their reference and title (accents and case ignored, each word
 * beginning a word), filtered by status, open ones first then newest first, one page.
 */
export async function listEvents(
  db: Executor,
  actor: Actor | null,
  query: z.output<typeof EventListQuery>,
): Promise<z.infer<typeof EventPage>> {
  assertPermission(actor, "declarations:handle");
  const page = query.page ?? 1;
  const phrase = query.q ? normaliseSearchText(query.q) : "";
  const { rows, total } = await eventsRepo.listEvents(db, {
    words: phrase === "" ? undefined : phrase.split(" "),
    status: query.status,
    limit: EVENTS_PAGE_SIZE,
    offset: (page - 1) * EVENTS_PAGE_SIZE,
  });
  return {
    items: rows.map((row) => toEventSummary(row, row.declaration_count)),
    total,
    page,
    pageSize: EVENTS_PAGE_SIZE,
  };
}

/** The event, or NOT_FOUND. */
export async function findEvent(db: Executor, id: string, lock = false): Promise<EventRow> {
  const event = lock ? await eventsRepo.lockEvent(db, id) : await eventsRepo.findEventById(db, id);
  if (!event) throw new AppError("NOT_FOUND", { message: "Évènement introuvable." });
  return event;
}

/** An event's page with its linked declarations. */
export async function presentEvent(db: Executor, event: EventRow): Promise<EventViewData> {
  return toEventView(event, await eventsRepo.listEventIncidents(db, event.id));
}

/** One event's page. */
export async function getEvent(db: Executor, actor: Actor | null, id: string): Promise<EventViewData> {
  assertPermission(actor, "declarations:handle");
  return presentEvent(db, await findEvent(db, id));
}
