import { createHash } from "node:crypto";
import { AppError, AUDIT_PERIOD_DAYS, type ExposureAuditSummary } from "@vigie/contracts";
import { type Executor, exposureAuditsRepo as repo } from "@vigie/db";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { nextDay, parisStartOfDay } from "../time/paris-time.ts";
import { resolveInventoryStructure } from "../watch/assets/access.ts";
import { parisToday } from "./perimeter.ts";
import { presentAuditSummary } from "./present.ts";

const DAY_MS = 86_400_000;
const PERIOD_MS = AUDIT_PERIOD_DAYS * DAY_MS;
/** A failed audit is tried again a day later, not at every run. */
export const AUDIT_RETRY_AFTER_MS = DAY_MS;

/**
 * Where in the period a structure's first audit falls, in milliseconds after its authorisation:
 * derived from the structure id (SHA-256), so audits of many structures authorised together
 * spread over the `AUDIT_PERIOD_DAYS` instead of all starting on the same day.
 */
export function firstAuditOffsetMs(structureId: string): number {
  const digest = createHash("sha256").update(structureId).digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(PERIOD_MS));
}

/** When the next audit of a structure is due, or null when it would fall after the authorisation's end. */
export function nextAuditAt(input: {
  structureId: string;
  grantedAt: Date;
  validUntil: string;
  lastSucceededAt: Date | null;
  lastFailedAt: Date | null;
  now: Date;
}): Date | null {
  let at = input.lastSucceededAt
    ? new Date(input.lastSucceededAt.getTime() + PERIOD_MS)
    : new Date(input.grantedAt.getTime() + firstAuditOffsetMs(input.structureId));
  if (input.lastFailedAt)
    at = new Date(Math.max(at.getTime(), input.lastFailedAt.getTime() + AUDIT_RETRY_AFTER_MS));
  if (at < input.now) at = input.now;
  // the authorisation covers its last day, Paris time
  const end = parisStartOfDay(nextDay(input.validUntil));
  return at < end ? at : null;
}

export interface ScheduleReport {
  scheduled: number;
  /** Structures whose next audit would fall after the end of their authorisation. */
  beyondAuthorisation: number;
}

/**
 * Plans the next audit of every structure with an authorisation in force and no audit waiting
 * or running: `AUDIT_PERIOD_DAYS` after its last succeeded audit, or, for a first audit, at an
 * offset of the period derived from the structure (spread); a day after a failure at the
 * earliest; never after the authorisation's end. Runs daily (`audits.schedule`).
 */
export async function scheduleAudits(db: Executor, now: Date = new Date()): Promise<ScheduleReport> {
  const report: ScheduleReport = { scheduled: 0, beyondAuthorisation: 0 };
  const rows = await repo.listSchedulable(db, parisToday(now));
  for (const row of rows) {
    const at = nextAuditAt({
      structureId: row.structure_id,
      grantedAt: row.granted_at,
      validUntil: row.valid_until,
      lastSucceededAt: row.last_succeeded_at,
      lastFailedAt: row.last_failed_at,
      now,
    });
    if (!at) {
      report.beyondAuthorisation++;
      continue;
    }
    const id = await repo.insertScheduledAudit(db, {
      structure_id: row.structure_id,
      authorisation_id: row.authorisation_id,
      scheduled_for: at,
      requested_by_user_id: null,
      created_at: now,
    });
    if (id) report.scheduled++;
  }
  return report;
}

/**
 * The CERT asks for an audit now (`watch:handle`): the structure's waiting audit is moved to
 * now, or a new one is scheduled for now. Refused without an authorisation in force, or while
 * an audit of the structure is running.
 */
export async function launchAuditNow(
  db: Executor,
  actor: Actor | null,
  structureRef: string,
  context: { now: Date; ip?: string | null; actorLabel?: string },
): Promise<ExposureAuditSummary> {
  if (actor) assertPermission(actor, "watch:handle");
  const structure = await resolveInventoryStructure(db, actor, structureRef, "structureId");
  return db.transaction().execute(async (trx) => {
    const authorisation = await repo.findAuthorisationInForce(trx, structure.id, parisToday(context.now));
    if (!authorisation) {
      const message =
        "Aucune autorisation d'audit en vigueur pour cette structure : validez d'abord son périmètre.";
      throw new AppError("CONFLICT", { message, fields: [{ field: "structureId", message }] });
    }
    const pending = await repo.findPendingAudit(trx, structure.id);
    let id: string | undefined;
    if (pending?.status === "running") {
      throw new AppError("CONFLICT", { message: "Un audit de cette structure est déjà en cours." });
    }
    if (pending) {
      await repo.rescheduleAudit(trx, pending.id, context.now, actor?.userId ?? null);
      id = pending.id;
    } else {
      id = await repo.insertScheduledAudit(trx, {
        structure_id: structure.id,
        authorisation_id: authorisation.id,
        scheduled_for: context.now,
        requested_by_user_id: actor?.userId ?? null,
        created_at: context.now,
      });
    }
    if (!id) throw new AppError("CONFLICT", { message: "Un audit de cette structure est déjà prévu." });
    await recordAudit(
      trx,
      {
        actor,
        actorLabel: context.actorLabel,
        action: "exposure_audit.launched",
        objectType: "exposure_audit",
        objectId: id,
        ip: context.ip ?? null,
        details: { structureId: structure.id, authorisationId: authorisation.id },
      },
      context.now,
    );
    const row = await repo.findAudit(trx, id);
    if (!row) throw new AppError("INTERNAL");
    return presentAuditSummary(row);
  });
}
