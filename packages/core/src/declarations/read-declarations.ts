import { AppError, type DeclarationListQuery, type DeclarationPage } from "@vigie/contracts";
import {
  attachmentsRepo,
  declarationsRepo,
  type Executor,
  eventsRepo,
  type IncidentListRow,
  type IncidentRow,
} from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission, incidentScope } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { sha256 } from "../auth/secrets.ts";
import { isOverdue } from "../cases/deadlines.ts";
import { normaliseSearchText } from "../directory/search-text.ts";
import { nextDay, parisStartOfDay } from "../time/paris-time.ts";
import {
  type DeclarationSummaryData,
  type DeclarationViewData,
  type PresentationOptions,
  toDeclarationSummary,
  toDeclarationView,
} from "./present.ts";
import { canSeeDeclaration, isCertActor } from "./scope.ts";
import type { DeclarationSettings } from "./settings.ts";
import { findTypedReference } from "./typed-reference.ts";

/** Lines per page of the declarations list. */
export const DECLARATIONS_PAGE_SIZE = 20;

/** The CERT's handling of a line of the queue (assignee, deadlines, qualification, event, TLP). */
export function handlingOf(row: IncidentListRow, now: Date): NonNullable<DeclarationSummaryData["handling"]> {
  return {
    assignee:
      row.assignee_user_id && row.assignee_name
        ? { id: row.assignee_user_id, fullName: row.assignee_name }
        : null,
    overdue: isOverdue(row, now),
    qualified: row.qualified_at !== null,
    outOfScope: row.qualified_at !== null && row.out_of_scope,
    event: row.event_id && row.event_reference ? { id: row.event_id, reference: row.event_reference } : null,
    tlp: row.tlp as NonNullable<DeclarationSummaryData["handling"]>["tlp"],
  };
}

/**
 * The declarations within the actor's scope (the CERT's queue for its analysts): filtered,
 * searched (accents and case ignored, thread included), sorted, one page, with the counts per
 * status within the same filters except the status one. The scope is always applied first.
 * For the CERT's readers only: the handling filters (assignee, overdue at `now`, qualified,
 * event — ignored for the others), each line's handling and the counters (overdue, unassigned,
 * mine among the open cases).
 */
export async function listDeclarations(
  db: Executor,
  actor: Actor | null,
  query: z.output<typeof DeclarationListQuery>,
  now: Date = new Date(),
): Promise<z.infer<typeof DeclarationPage>> {
  assertPermission(actor, "declarations:read");
  const cert = isCertActor(actor);
  const page = query.page ?? 1;
  // A reference in the search box is looked up as such; the other words search the documents.
  const typedReference = query.q ? findTypedReference(query.q) : undefined;
  const reference = typedReference?.reference;
  const rest = typedReference ? query.q?.replace(typedReference.typed, " ") : query.q;
  const phrase = rest ? normaliseSearchText(rest) : "";
  const impacts = query.impact?.flatMap((i) =>
    i === "care_affected" ? (["degraded_care", "care_interrupted"] as const) : [i],
  );
  const assignee = query.assignee === "me" ? actor.userId : query.assignee === "none" ? null : query.assignee;
  const { rows, total, counts, counters } = await declarationsRepo.listIncidents(db, incidentScope(actor), {
    statuses: query.status,
    words: phrase === "" ? undefined : phrase.split(" "),
    reference,
    structureTypes: query.structureType,
    regionCodes: query.region,
    origins: query.origin,
    types: query.type,
    operationalImpacts: impacts ? [...new Set(impacts)] : undefined,
    channels: query.channel,
    supportRequested: query.supportRequested,
    outOfHours: query.outOfHours,
    declaredFrom: query.declaredFrom ? parisStartOfDay(query.declaredFrom) : undefined,
    declaredBefore: query.declaredTo ? parisStartOfDay(nextDay(query.declaredTo)) : undefined,
    ...(cert
      ? {
          assigneeId: assignee,
          overdue: query.overdue,
          qualified: query.qualified,
          eventId: query.event,
          countersFor: actor.userId,
        }
      : {}),
    sort: !cert && query.sort === "due" ? "declared_desc" : query.sort,
    now,
    limit: DECLARATIONS_PAGE_SIZE,
    offset: (page - 1) * DECLARATIONS_PAGE_SIZE,
  });
  const items = rows.map((row) =>
    cert ? { ...toDeclarationSummary(row), handling: handlingOf(row, now) } : toDeclarationSummary(row),
  );
  return {
    items,
    total,
    page,
    pageSize: DECLARATIONS_PAGE_SIZE,
    counts,
    ...(cert && counters ? { counters } : {}),
  };
}

/** Context of a read. */
export interface ReadContext {
  now: Date;
  ip?: string | null;
  settings: DeclarationSettings;
}

/** Loads a declaration's thread, history and files and presents the page. */
export async function presentDeclaration(
  db: Executor,
  incident: IncidentRow,
  options: PresentationOptions,
): Promise<DeclarationViewData> {
  const messages = await declarationsRepo.listMessages(db, incident.id);
  const statusChanges = await declarationsRepo.listStatusChanges(db, incident.id);
  const attachments = await attachmentsRepo.listForIncident(db, incident.id);
  // The declaration's event (its shared analysis) and those its messages were sent through.
  const eventIds = [incident.event_id, ...messages.map((m) => m.event_id)].filter((id) => id !== null);
  const events = await eventsRepo.findEventsByIds(db, [...new Set(eventIds)]);
  return toDeclarationView({ incident, messages, statusChanges, attachments, events }, options);
}

/**
 * A declaration the actor may read, or NOT_FOUND — also when it exists out of scope (nothing
 * is confirmed about others' declarations), a denial then written to the audit log.
 */
export async function findReadableDeclaration(
  db: Executor,
  actor: Actor,
  id: string,
  context: { now: Date; ip?: string | null },
): Promise<IncidentRow> {
  const incident = await declarationsRepo.findIncidentById(db, id);
  if (!incident) throw new AppError("NOT_FOUND", { message: "Déclaration introuvable." });
  const structureIds = await declarationsRepo.incidentStructureIds(db, incident.id);
  if (!canSeeDeclaration(actor, incident, structureIds)) {
    await recordAudit(
      db,
      {
        actor,
        action: "permission.denied",
        outcome: "denied",
        objectType: "incident",
        objectId: incident.id,
        ip: context.ip ?? null,
        details: { permission: "declarations:read", reason: "déclaration hors du périmètre" },
      },
      context.now,
    );
    throw new AppError("NOT_FOUND", { message: "Déclaration introuvable." });
  }
  return incident;
}

/** One declaration's page for a signed-in reader within scope. */
export async function getDeclaration(
  db: Executor,
  actor: Actor | null,
  id: string,
  context: ReadContext,
): Promise<DeclarationViewData> {
  assertPermission(actor, "declarations:read");
  const incident = await findReadableDeclaration(db, actor, id, context);
  return presentDeclaration(db, incident, { audience: isCertActor(actor) ? "cert" : "declarant" });
}

/** The declaration a follow-up link opens, or NOT_FOUND (a wrong link says nothing more). */
export async function findFollowedDeclaration(db: Executor, token: string): Promise<IncidentRow> {
  const incident = await declarationsRepo.findIncidentByFollowTokenHash(db, sha256(token));
  if (!incident) {
    throw new AppError("NOT_FOUND", {
      message: "Ce lien de suivi est invalide. Vérifiez l'adresse reçue par courriel.",
    });
  }
  return incident;
}

/** Download link of an attachment for the holder of a follow-up link. */
export function followAttachmentUrl(token: string, attachmentId: string): string {
  return `/api/follow/${token}/attachments/${attachmentId}`;
}

/** The page of a declaration made without an account, for the holder of its secret link. */
export async function getFollowedDeclaration(
  db: Executor,
  token: string,
  _context: Pick<ReadContext, "now" | "settings">,
): Promise<DeclarationViewData> {
  const incident = await findFollowedDeclaration(db, token);
  return presentDeclaration(db, incident, {
    audience: "declarant",
    downloadUrl: (row) => followAttachmentUrl(token, row.id),
  });
}
