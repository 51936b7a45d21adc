import {
  AppError,
  FUTURE_TOLERANCE_MS,
  type SupportActionInput,
  type SupportActionView,
} from "@vigie/contracts";
import { declarationsRepo, type Executor, supportActionsRepo, usersRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { certLabel } from "../declarations/present.ts";
import { findReadableDeclaration } from "../declarations/read-declarations.ts";
import { recordJournalEntry } from "./journal.ts";

export type SupportActionViewData = z.infer<typeof SupportActionView>;
type SupportActionRow = supportActionsRepo.SupportActionRow;

/** A technical support record as the CERT sees it. */
export function toSupportActionView(row: SupportActionRow): SupportActionViewData {
  return {
    id: row.id,
    performedAt: new Date(row.performed_at).toISOString(),
    performedBy: row.performed_by_label,
    kind: row.kind,
    description: row.description,
    durationMinutes: row.duration_minutes,
    authoritiesInvolved: row.authorities_involved as SupportActionViewData["authoritiesInvolved"],
  };
}

/** The technical support records of a case within the CERT's scope, in the order performed. */
export async function listSupportActions(
  db: Executor,
  actor: Actor | null,
  incidentId: string,
  context: { now: Date; ip?: string | null },
): Promise<SupportActionViewData[]> {
  assertPermission(actor, "declarations:handle");
  const incident = await findReadableDeclaration(db, actor, incidentId, context);
  return (await supportActionsRepo.listForIncident(db, incident.id)).map(toSupportActionView);
}

/**
 * Records technical support given on a case (what, who, when — now unless said, never in the
 * future): the record, the case's `technical_support_provided` and `authorities_involved` (the
 * union over its records), the journal line and the audit entry, in one transaction.
 */
export async function recordSupportAction(
  db: Executor,
  actor: Actor | null,
  incidentId: string,
  input: z.output<typeof SupportActionInput>,
  context: { now: Date; ip?: string | null },
): Promise<SupportActionViewData> {
  assertPermission(actor, "declarations:handle");
  const { now } = context;
  const performedAt = input.performedAt ? new Date(input.performedAt) : now;
  if (performedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    const message = "La date de l'appui ne peut pas être dans le futur.";
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "performedAt", message }] });
  }
  await findReadableDeclaration(db, actor, incidentId, context);
  const user = await usersRepo.findUserById(db, actor.userId);
  const label = user?.full_name ?? actor.email;
  const authorities = [...new Set(input.authoritiesInvolved)].sort();
  const row = await db.transaction().execute(async (trx) => {
    const incident = await declarationsRepo.lockIncident(trx, incidentId);
    if (!incident) throw new AppError("NOT_FOUND", { message: "Déclaration introuvable." });
    const action = await supportActionsRepo.insertSupportAction(trx, {
      incident_id: incident.id,
      performed_at: performedAt,
      performed_by_user_id: actor.userId,
      performed_by_label: label,
      kind: input.kind,
      description: input.description,
      duration_minutes: input.durationMinutes ?? null,
      authorities_involved: authorities,
      created_at: now,
    });
    const union = await supportActionsRepo.refreshIncidentSupport(trx, incident.id, now);
    await recordJournalEntry(
      trx,
      incident.id,
      { userId: actor.userId, label: certLabel(label) },
      {
        kind: "support",
        body: input.description,
        refId: action.id,
        value: {
          kind: input.kind,
          authoritiesInvolved: authorities,
          performedAt: performedAt.toISOString(),
          durationMinutes: input.durationMinutes ?? null,
        },
      },
      now,
    );
    await recordAudit(
      trx,
      {
        actor,
        action: "case.support_recorded",
        objectType: "incident",
        objectId: incident.id,
        ip: context.ip ?? null,
        details: {
          reference: incident.reference,
          supportActionId: action.id,
          kind: input.kind,
          authoritiesInvolved: authorities,
          caseAuthoritiesInvolved: union,
          ...(incident.technical_support_provided ? {} : { technicalSupportProvided: true }),
        },
      },
      now,
    );
    return action;
  });
  return toSupportActionView(row);
}
