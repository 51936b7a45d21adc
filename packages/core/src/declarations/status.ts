import {
  AppError,
  type ChangeStatusRequest,
  type DeclarationStatus,
  declarationStatusLabels,
  declarationTransitions,
} from "@vigie/contracts";
import { declarationsRepo, type Executor, type IncidentRow } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { certAuthor } from "../cases/journal.ts";
import { queueMail } from "../mail/queue-mail.ts";
import { statusChangedMail } from "./mails.ts";
import type { DeclarationViewData } from "./present.ts";
import { findReadableDeclaration, presentDeclaration } from "./read-declarations.ts";
import { type DeclarationSettings, followUrl } from "./settings.ts";

export type DeclarationStatusCode = z.infer<typeof DeclarationStatus>;

/** True when a declaration may go from one status to the other. */
export function canTransition(from: DeclarationStatusCode, to: DeclarationStatusCode): boolean {
  return declarationTransitions[from].includes(to);
}

/** Throws VALIDATION_FAILED naming `status` when the transition is not allowed. */
export function assertTransition(from: DeclarationStatusCode, to: DeclarationStatusCode): void {
  if (canTransition(from, to)) return;
  const message =
    from === to
      ? `La déclaration est déjà « ${declarationStatusLabels[to]} ».`
      : `Passage impossible de « ${declarationStatusLabels[from]} » à « ${declarationStatusLabels[to]} ».`;
  throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "status", message }] });
}

/** Why a case cannot be resolved yet. */
export const QUALIFICATION_REQUIRED_MESSAGE =
  "Qualifiez le cas (origine, types, impacts, résumé) avant de le déclarer résolu.";

/**
 * The handling times a transition sets or clears (decision 0008): leaving `new` for the first
 * time acknowledges the case; `resolved` needs a qualification and sets `resolved_at`; `closed`
 * sets `closed_at` (and `resolved_at` when it was never resolved); reopening clears both.
 */
export function transitionTimes(
  incident: Pick<IncidentRow, "status" | "acknowledged_at" | "qualified_at" | "resolved_at">,
  to: DeclarationStatusCode,
  now: Date,
): declarationsRepo.StatusTimes {
  assertTransition(incident.status, to);
  if (to === "resolved" && incident.qualified_at === null) {
    throw new AppError("QUALIFICATION_REQUIRED", {
      message: QUALIFICATION_REQUIRED_MESSAGE,
      fields: [{ field: "qualification", message: QUALIFICATION_REQUIRED_MESSAGE }],
    });
  }
  const times: declarationsRepo.StatusTimes = {};
  if (incident.acknowledged_at === null) times.acknowledged_at = now;
  if (to === "resolved") times.resolved_at = now;
  if (to === "closed") {
    times.closed_at = now;
    if (incident.resolved_at === null) times.resolved_at = now;
  }
  if (to === "in_progress" && (incident.status === "resolved" || incident.status === "closed")) {
    times.resolved_at = null;
    times.closed_at = null;
  }
  return times;
}

/**
 * Moves a declaration to a new status along the state machine, with its handling times, and
 * appends it to the history (in the caller's transaction, the incident row locked).
 */
export async function applyTransition(
  trx: Executor,
  incident: IncidentRow,
  to: DeclarationStatusCode,
  by: { userId: string | null; label: string },
  comment: string | null,
  now: Date,
): Promise<void> {
  const times = transitionTimes(incident, to, now);
  await declarationsRepo.updateIncidentStatus(trx, incident.id, to, now, times);
  await declarationsRepo.insertStatusChange(trx, {
    incident_id: incident.id,
    from_status: incident.status,
    to_status: to,
    changed_by_user_id: by.userId,
    changed_by_label: by.label,
    comment,
    changed_at: now,
  });
}

/** The declarant's contact as declared (name and address the CERT writes to). */
export function declarantContactOf(incident: IncidentRow): { fullName: string; email: string } {
  const raw = incident.declarant_contact;
  const contact = (typeof raw === "string" ? JSON.parse(raw) : raw) as { fullName?: string; email?: string };
  return { fullName: contact.fullName ?? "", email: contact.email ?? "" };
}

/**
 * The CERT changes a declaration's status (allowed transitions only), with an optional comment;
 * the change is recorded in the history and the audit log, and the declarant is told by e-mail.
 */
export async function changeDeclarationStatus(
  db: Executor,
  actor: Actor | null,
  id: string,
  request: z.output<typeof ChangeStatusRequest>,
  context: { now: Date; ip?: string | null; settings: DeclarationSettings },
): Promise<DeclarationViewData> {
  assertPermission(actor, "declarations:handle");
  const { now, settings } = context;
  await findReadableDeclaration(db, actor, id, context);
  const incident = await db.transaction().execute(async (trx) => {
    const current = await declarationsRepo.lockIncident(trx, id);
    if (!current) throw new AppError("NOT_FOUND", { message: "Déclaration introuvable." });
    const comment = request.comment ?? null;
    await applyTransition(trx, current, request.status, await certAuthor(trx, actor), comment, now);
    await recordAudit(
      trx,
      {
        actor,
        action: "declaration.status_changed",
        objectType: "incident",
        objectId: id,
        ip: context.ip ?? null,
        details: { reference: current.reference, from: current.status, to: request.status },
      },
      now,
    );
    const contact = declarantContactOf(current);
    const mail = statusChangedMail({
      fullName: contact.fullName,
      reference: current.reference,
      to: request.status,
      comment,
      link: followUrl(current, settings),
    });
    await queueMail(trx, { to: contact.email, ...mail }, now);
    return (await declarationsRepo.findIncidentById(trx, id)) as IncidentRow;
  });
  return presentDeclaration(db, incident, { audience: "cert" });
}
