import {
  AppError,
  type ClockListQuery,
  type ClockPage,
  type ClockView,
  type FileClockRequest,
  type RequestIntermediateReport,
} from "@vigie/contracts";
import { type ClockWithCaseRow, clocksRepo, declarationsRepo, type Executor } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission, incidentScope } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { certAuthor } from "../cases/journal.ts";
import { assertCaseAccess, type CaseContext } from "../cases/read-case.ts";
import { snapshotOf } from "../declarations/snapshot.ts";
import { clockState, dueSoonUntil } from "./deadlines.ts";
import { recordClockEvent } from "./journal.ts";

export type ClockViewData = z.infer<typeof ClockView>;
export type ClockPageData = z.infer<typeof ClockPage>;

/** Lines per page of the CERT's list of clocks. */
export const CLOCKS_PAGE_SIZE = 50;

const iso = (value: Date | string | null): string | null => (value ? new Date(value).toISOString() : null);

/** A clock as the CERT sees it, its state at `now`. */
export function toClockView(row: ClockWithCaseRow, now: Date): ClockViewData {
  return {
    id: row.id,
    incidentId: row.incident_id,
    reference: row.reference,
    structureName: row.structure_name ?? "",
    kind: row.kind,
    awareAt: new Date(row.aware_at).toISOString(),
    dueAt: new Date(row.due_at).toISOString(),
    state: clockState(row, now),
    filedAt: iso(row.filed_at),
    filedBy: row.filed_by_label,
    filingReference: row.filing_reference,
    filingNote: row.filing_note,
  };
}

function invalid(field: string, message: string): never {
  throw new AppError("VALIDATION_FAILED", { message, fields: [{ field, message }] });
}

/** A case's regulatory clocks (cancelled ones included), by due date. */
export async function listCaseClocks(
  db: Executor,
  actor: Actor | null,
  incidentId: string,
  context: CaseContext,
): Promise<ClockViewData[]> {
  await assertCaseAccess(db, actor, incidentId, context);
  const rows = await clocksRepo.listForIncident(db, incidentId);
  return rows.map((row) => toClockView(row, context.now));
}

/**
 * The CERT records that a clock's report or notification was filed (when — now by default,
 * never in the future nor before the structure became aware — with the authority's reference
 * and a note), journaled and audited in one transaction. A clock already filed or cancelled is
 * refused (VALIDATION_FAILED).
 */
export async function fileClock(
  db: Executor,
  actor: Actor | null,
  incidentId: string,
  clockId: string,
  request: z.output<typeof FileClockRequest>,
  context: CaseContext,
): Promise<ClockViewData> {
  const handler = await assertCaseAccess(db, actor, incidentId, context);
  const { now } = context;
  const filedAt = request.filedAt ? new Date(request.filedAt) : now;
  if (filedAt.getTime() > now.getTime())
    invalid("filedAt", "La date du dépôt ne peut pas être dans le futur.");
  await db.transaction().execute(async (trx) => {
    const clock = await clocksRepo.lockClock(trx, incidentId, clockId);
    if (!clock) throw new AppError("NOT_FOUND", { message: "Échéance introuvable." });
    if (clock.filed_at) invalid("filedAt", "Ce dépôt est déjà enregistré pour cette échéance.");
    if (clock.cancelled_at) invalid("filedAt", "Cette échéance est annulée : aucun dépôt à enregistrer.");
    if (filedAt.getTime() < new Date(clock.aware_at).getTime()) {
      invalid("filedAt", "La date du dépôt ne peut pas précéder la prise de connaissance de l'incident.");
    }
    const author = await certAuthor(trx, handler);
    const filed = await clocksRepo.recordFiling(trx, clock.id, {
      filedAt,
      userId: handler.userId,
      label: author.label,
      reference: request.filingReference || null,
      note: request.filingNote || null,
    });
    if (!filed) throw new AppError("NOT_FOUND", { message: "Échéance introuvable." });
    await recordClockEvent(
      trx,
      filed,
      author,
      { what: "filed", filedAt, reference: filed.filing_reference },
      now,
    );
    await recordAudit(
      trx,
      {
        actor: handler,
        action: "clock.filed",
        objectType: "incident",
        objectId: incidentId,
        ip: context.ip ?? null,
        details: {
          clockId: clock.id,
          kind: clock.kind,
          filedAt: filedAt.toISOString(),
          late: filedAt.getTime() > new Date(clock.due_at).getTime(),
        },
      },
      now,
    );
  });
  const row = await clocksRepo.findClock(db, incidentId, clockId);
  if (!row) throw new AppError("NOT_FOUND", { message: "Échéance introuvable." });
  return toClockView(row, now);
}

/**
 * The CERT records that the authority asked a NIS 2 case for an intermediate report, due at a
 * future date: a clock of its own, journaled and audited in one transaction. Only a NIS 2 case
 * (qualified in scope, its structure OSE when it declared) may have one.
 */
export async function requestIntermediateReport(
  db: Executor,
  actor: Actor | null,
  incidentId: string,
  request: z.output<typeof RequestIntermediateReport>,
  context: CaseContext,
): Promise<ClockViewData> {
  const handler = await assertCaseAccess(db, actor, incidentId, context);
  const { now } = context;
  const dueAt = new Date(request.dueAt);
  if (dueAt.getTime() <= now.getTime()) {
    invalid("dueAt", "L'échéance du rapport intermédiaire doit être dans le futur.");
  }
  const id = await db.transaction().execute(async (trx) => {
    // The case locked: a qualification changing its clocks waits, and is seen whole.
    const incident = await declarationsRepo.lockIncident(trx, incidentId);
    if (!incident) throw new AppError("NOT_FOUND", { message: "Déclaration introuvable." });
    const nis2 =
      incident.qualified_at !== null && !incident.out_of_scope && snapshotOf(incident).ose === true;
    if (!nis2) {
      invalid(
        "dueAt",
        "Un rapport intermédiaire ne concerne qu'un cas soumis à NIS 2 (structure OSE, cas qualifié dans le périmètre).",
      );
    }
    const clock = await clocksRepo.insertClock(trx, {
      incident_id: incidentId,
      kind: "nis2_intermediate",
      aware_at: incident.detected_at ?? incident.declared_at,
      due_at: dueAt,
      created_at: now,
    });
    await recordClockEvent(trx, clock, await certAuthor(trx, handler), { what: "opened" }, now);
    await recordAudit(
      trx,
      {
        actor: handler,
        action: "clock.intermediate_requested",
        objectType: "incident",
        objectId: incidentId,
        ip: context.ip ?? null,
        details: { clockId: clock.id, dueAt: dueAt.toISOString() },
      },
      now,
    );
    return clock.id;
  });
  const row = await clocksRepo.findClock(db, incidentId, id);
  if (!row) throw new AppError("NOT_FOUND", { message: "Échéance introuvable." });
  return toClockView(row, now);
}

/**
 * The CERT's clocks across cases, by due date: open ones, those due within 12 hours, those past
 * due (open only), or all — within the actor's incident scope.
 */
export async function listRegulatoryClocks(
  db: Executor,
  actor: Actor | null,
  query: z.output<typeof ClockListQuery>,
  now: Date,
): Promise<ClockPageData> {
  assertPermission(actor, "declarations:handle");
  const page = query.page ?? 1;
  const { rows, total } = await clocksRepo.listClocks(db, incidentScope(actor), {
    state: query.state ?? "open",
    now,
    dueSoonUntil: dueSoonUntil(now),
    limit: CLOCKS_PAGE_SIZE,
    offset: (page - 1) * CLOCKS_PAGE_SIZE,
  });
  return { items: rows.map((row) => toClockView(row, now)), total, page, pageSize: CLOCKS_PAGE_SIZE };
}
