import {
  AppError,
  type EventInput,
  type LinkDeclarationsRequest,
  type UpdateEventRequest,
} from "@vigie/contracts";
import { declarationsRepo, type EventRow, type Executor, eventsRepo, type IncidentRow } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission, incidentScope } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { certAuthor, recordJournalEntry } from "../cases/journal.ts";
import { canSeeDeclaration } from "../declarations/scope.ts";
import { findTypedReference } from "../declarations/typed-reference.ts";
import { parisLocalTime } from "../time/paris-time.ts";
import { type EventViewData, eventReferenceFormat } from "./present.ts";
import { findEvent, presentEvent } from "./read-events.ts";

/** Context of a change. */
export interface EventContext {
  now: Date;
  ip?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Creates an event with the next reference of the year (EV-2026-0001), in one transaction with its audit entry. */
export async function createEvent(
  db: Executor,
  actor: Actor | null,
  input: z.output<typeof EventInput>,
  context: EventContext,
): Promise<EventViewData> {
  assertPermission(actor, "declarations:handle");
  const { now } = context;
  return db.transaction().execute(async (trx) => {
    const year = parisLocalTime(now).year;
    const event = await eventsRepo.insertEventWithReference(
      trx,
      {
        title: input.title,
        analysis: input.analysis,
        tlp: input.tlp,
        createdByUserId: actor.userId,
        at: now,
      },
      year,
      eventReferenceFormat(year),
    );
    await recordAudit(
      trx,
      {
        actor,
        action: "event.created",
        objectType: "event",
        objectId: event.id,
        ip: context.ip ?? null,
        details: { reference: event.reference, title: event.title, tlp: event.tlp },
      },
      now,
    );
    return presentEvent(trx, event);
  });
}

/** Changes an event's title, analysis, TLP or status (open or closed); audited with what changed. */
export async function updateEvent(
  db: Executor,
  actor: Actor | null,
  id: string,
  request: z.output<typeof UpdateEventRequest>,
  context: EventContext,
): Promise<EventViewData> {
  assertPermission(actor, "declarations:handle");
  const { now } = context;
  return db.transaction().execute(async (trx) => {
    const event = await findEvent(trx, id, true);
    const changes: Partial<Pick<EventRow, "title" | "analysis" | "tlp" | "status">> = {};
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const field of ["title", "analysis", "tlp", "status"] as const) {
      const value = request[field];
      if (value === undefined || value === event[field]) continue;
      Object.assign(changes, { [field]: value });
      // The analysis can be long: the audit says it changed, not what it says.
      changed[field] =
        field === "analysis"
          ? { from: event.analysis.length, to: value.length }
          : { from: event[field], to: value };
    }
    if (Object.keys(changes).length === 0) return presentEvent(trx, event);
    const updated = await eventsRepo.updateEvent(trx, event.id, { ...changes, updated_at: now });
    await recordAudit(
      trx,
      {
        actor,
        action: "event.updated",
        objectType: "event",
        objectId: event.id,
        ip: context.ip ?? null,
        details: { reference: event.reference, changes: changed },
      },
      now,
    );
    return presentEvent(trx, updated);
  });
}

function invalidDeclarations(message: string): AppError {
  return new AppError("VALIDATION_FAILED", { message, fields: [{ field: "declarations", message }] });
}

const list = (values: readonly string[]) => values.join(", ");

/**
 * Links declarations (by id or reference) to an open event: each one's `event_id` is set and a
 * journal line written on it, with one audit entry, in one transaction. Unknown declarations,
 * and declarations already linked to another event (unlink them first), refuse the whole request,
 * naming them. Declarations already linked to this event are left as they are.
 */
export async function linkDeclarations(
  db: Executor,
  actor: Actor | null,
  id: string,
  request: z.output<typeof LinkDeclarationsRequest>,
  context: EventContext,
): Promise<EventViewData> {
  assertPermission(actor, "declarations:handle");
  const { now } = context;
  const ids = new Set<string>();
  const references = new Map<string, string>();
  const unreadable: string[] = [];
  for (const raw of request.declarations) {
    const typed = raw.trim();
    // A reference typed alone (CS-2026-000123, cs 2026 123…), not within other words.
    const found = findTypedReference(typed);
    if (UUID.test(typed)) ids.add(typed.toLowerCase());
    else if (found && found.typed === typed) references.set(found.reference, typed);
    else unreadable.push(typed);
  }
  return db.transaction().execute(async (trx) => {
    const event = await findEvent(trx, id, true);
    if (event.status === "closed") {
      throw invalidDeclarations(
        `L'évènement ${event.reference} est clos : rouvrez-le avant d'y rattacher des déclarations.`,
      );
    }
    const rows = await eventsRepo.findIncidentsByIdsOrReferences(trx, [...ids], [...references.keys()]);
    const visibility = incidentScope(actor);
    const visible: IncidentRow[] = [];
    for (const row of rows) {
      if (
        visibility.kind === "all" ||
        canSeeDeclaration(actor, row, await declarationsRepo.incidentStructureIds(trx, row.id))
      ) {
        visible.push(row);
      }
    }
    const unknown = [
      ...unreadable,
      ...[...ids].filter((v) => !visible.some((row) => row.id === v)),
      ...[...references.keys()].filter((v) => !visible.some((row) => row.reference === v)),
    ];
    if (unknown.length > 0) {
      throw invalidDeclarations(
        unknown.length === 1
          ? `Déclaration introuvable : ${unknown[0]}.`
          : `Déclarations introuvables : ${list(unknown)}.`,
      );
    }
    const elsewhere = visible.filter((row) => row.event_id !== null && row.event_id !== event.id);
    if (elsewhere.length > 0) {
      const others = new Map(
        (await eventsRepo.findEventsByIds(trx, [...new Set(elsewhere.map((row) => row.event_id ?? ""))])).map(
          (e) => [e.id, e.reference],
        ),
      );
      const named = elsewhere.map((row) => `${row.reference} (${others.get(row.event_id ?? "") ?? "?"})`);
      throw invalidDeclarations(
        elsewhere.length === 1
          ? `La déclaration ${named[0]} est déjà rattachée à un autre évènement : détachez-la d'abord.`
          : `Ces déclarations sont déjà rattachées à un autre évènement : ${list(named)}. Détachez-les d'abord.`,
      );
    }
    const toLink = visible
      .filter((row) => row.event_id === null)
      .sort((a, b) => a.reference.localeCompare(b.reference));
    if (toLink.length === 0) return presentEvent(trx, event);

    await eventsRepo.setIncidentsEvent(
      trx,
      toLink.map((row) => row.id),
      event.id,
    );
    const author = await certAuthor(trx, actor);
    for (const row of toLink) {
      await recordJournalEntry(
        trx,
        row.id,
        author,
        { kind: "event_linked", refId: event.id, value: { reference: event.reference } },
        now,
      );
    }
    const updated = await eventsRepo.updateEvent(trx, event.id, { updated_at: now });
    await recordAudit(
      trx,
      {
        actor,
        action: "event.declarations_linked",
        objectType: "event",
        objectId: event.id,
        ip: context.ip ?? null,
        details: { reference: event.reference, declarations: toLink.map((row) => row.reference) },
      },
      now,
    );
    return presentEvent(trx, updated);
  });
}

/** Unlinks a declaration from an event (journaled on the declaration, audited). */
export async function unlinkDeclaration(
  db: Executor,
  actor: Actor | null,
  id: string,
  declarationId: string,
  context: EventContext,
): Promise<EventViewData> {
  assertPermission(actor, "declarations:handle");
  const { now } = context;
  return db.transaction().execute(async (trx) => {
    const event = await findEvent(trx, id, true);
    const incident = await declarationsRepo.lockIncident(trx, declarationId);
    if (!incident || incident.event_id !== event.id) {
      throw new AppError("NOT_FOUND", {
        message: `Cette déclaration n'est pas rattachée à l'évènement ${event.reference}.`,
      });
    }
    await eventsRepo.setIncidentsEvent(trx, [incident.id], null);
    await recordJournalEntry(
      trx,
      incident.id,
      await certAuthor(trx, actor),
      { kind: "event_unlinked", refId: event.id, value: { reference: event.reference } },
      now,
    );
    const updated = await eventsRepo.updateEvent(trx, event.id, { updated_at: now });
    await recordAudit(
      trx,
      {
        actor,
        action: "event.declaration_unlinked",
        objectType: "event",
        objectId: event.id,
        ip: context.ip ?? null,
        details: { reference: event.reference, declaration: incident.reference },
      },
      now,
    );
    return presentEvent(trx, updated);
  });
}
