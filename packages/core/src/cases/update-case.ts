import { AppError, type UpdateCaseRequest } from "@vigie/contracts";
import { type CaseUpdate, casesRepo, declarationsRepo, type Executor } from "@vigie/db";
import type { z } from "zod";
import type { Actor } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { certAuthor, type FieldChange, changed as hasChanged, recordFieldChanges } from "./journal.ts";
import { assertCaseAccess, type CaseContext, type CaseViewData, loadCase, presentCase } from "./read-case.ts";

const iso = (value: Date | string | null): string | null => (value ? new Date(value).toISOString() : null);

/** The assignee named by an update: an active analyst or lead of the CERT, else VALIDATION_FAILED. */
export async function resolveAssignee(
  db: Executor,
  assigneeId: string,
): Promise<{ id: string; full_name: string }> {
  const assignee = await casesRepo.findActiveCertUser(db, assigneeId);
  if (assignee) return assignee;
  const message = "Choisissez un analyste actif du CERT (analyste ou responsable).";
  throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "assigneeId", message }] });
}

/**
 * The CERT changes a case's assignee, deadlines, TLP or "other sectors" risk (fields left out are
 * kept). Each changed field is journaled old → new, with the audit entry, in one transaction.
 */
export async function updateCase(
  db: Executor,
  actor: Actor | null,
  id: string,
  request: z.output<typeof UpdateCaseRequest>,
  context: CaseContext,
): Promise<CaseViewData> {
  const handler = await assertCaseAccess(db, actor, id, context);
  const { now } = context;
  await db.transaction().execute(async (trx) => {
    const current = await declarationsRepo.lockIncident(trx, id);
    if (!current) throw new AppError("NOT_FOUND", { message: "Déclaration introuvable." });
    const before = await loadCase(trx, id);
    const update: CaseUpdate = {};
    const changes: FieldChange[] = [];
    if (request.assigneeId !== undefined && request.assigneeId !== current.assignee_user_id) {
      const assignee = request.assigneeId === null ? null : await resolveAssignee(trx, request.assigneeId);
      update.assignee_user_id = assignee?.id ?? null;
      changes.push({
        field: "assignee",
        from: before.assignee_user_id
          ? { id: before.assignee_user_id, fullName: before.assignee_name }
          : null,
        to: assignee ? { id: assignee.id, fullName: assignee.full_name } : null,
      });
    }
    if (request.firstResponseDueAt !== undefined) {
      const due = request.firstResponseDueAt ? new Date(request.firstResponseDueAt) : null;
      update.first_response_due_at = due;
      changes.push({ field: "firstResponseDueAt", from: iso(current.first_response_due_at), to: iso(due) });
    }
    if (request.qualificationDueAt !== undefined) {
      const due = request.qualificationDueAt ? new Date(request.qualificationDueAt) : null;
      update.qualification_due_at = due;
      changes.push({ field: "qualificationDueAt", from: iso(current.qualification_due_at), to: iso(due) });
    }
    if (request.tlp !== undefined) {
      update.tlp = request.tlp;
      changes.push({ field: "tlp", from: current.tlp, to: request.tlp });
    }
    if (request.otherSectorsRisk !== undefined) {
      update.other_sectors_risk = request.otherSectorsRisk;
      changes.push({
        field: "otherSectorsRisk",
        from: current.other_sectors_risk,
        to: request.otherSectorsRisk,
      });
    }
    const changed = changes.filter((c) => hasChanged(c.from, c.to));
    if (changed.length === 0) return;
    await casesRepo.updateCase(trx, id, update, now);
    await recordFieldChanges(trx, id, await certAuthor(trx, handler), changed, now);
    await recordAudit(
      trx,
      {
        actor: handler,
        action: "case.updated",
        objectType: "incident",
        objectId: id,
        ip: context.ip ?? null,
        details: {
          reference: current.reference,
          changes: Object.fromEntries(changed.map((c) => [c.field, { from: c.from, to: c.to }])),
        },
      },
      now,
    );
  });
  return presentCase(db, await loadCase(db, id), now);
}
