import { AppError, certStatusLabels } from "@vigie/contracts";
import { casesRepo, declarationsRepo, type Executor, usersRepo } from "@vigie/db";
import type { Actor } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { statusChangedMail } from "../declarations/mails.ts";
import { certLabel } from "../declarations/present.ts";
import type { DeclarationSettings } from "../declarations/settings.ts";
import { followUrl } from "../declarations/settings.ts";
import { applyTransition, declarantContactOf } from "../declarations/status.ts";
import { queueMail } from "../mail/queue-mail.ts";
import { recordFieldChanges } from "./journal.ts";
import { assertCaseAccess, type CaseContext, type CaseViewData, loadCase, presentCase } from "./read-case.ts";

/**
 * The CERT takes a new case in hand: `new` → `triage`, assigned to the reader when nobody has
 * it yet; the status history, the journal (assignment), the audit log and the declarant's
 * e-mail commit together. Refused once the case has left `new`.
 */
export async function acknowledgeCase(
  db: Executor,
  actor: Actor | null,
  id: string,
  context: CaseContext & { settings: DeclarationSettings },
): Promise<CaseViewData> {
  const handler = await assertCaseAccess(db, actor, id, context);
  const { now } = context;
  await db.transaction().execute(async (trx) => {
    const current = await declarationsRepo.lockIncident(trx, id);
    if (!current) throw new AppError("NOT_FOUND", { message: "Déclaration introuvable." });
    if (current.status !== "new") {
      const message = `Le cas a déjà été pris en compte (statut « ${certStatusLabels[current.status]} »).`;
      throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "status", message }] });
    }
    const user = await usersRepo.findUserById(trx, handler.userId);
    const fullName = user?.full_name ?? handler.email;
    const author = { userId: handler.userId, label: certLabel(fullName) };
    await applyTransition(trx, current, "triage", author, null, now);
    const assigned = current.assignee_user_id === null;
    if (assigned) {
      await casesRepo.updateCase(trx, id, { assignee_user_id: handler.userId }, now);
      await recordFieldChanges(
        trx,
        id,
        author,
        [{ field: "assignee", from: null, to: { id: handler.userId, fullName } }],
        now,
      );
    }
    await recordAudit(
      trx,
      {
        actor: handler,
        action: "case.acknowledged",
        objectType: "incident",
        objectId: id,
        ip: context.ip ?? null,
        details: {
          reference: current.reference,
          from: current.status,
          to: "triage",
          ...(assigned ? { assigneeId: handler.userId } : {}),
        },
      },
      now,
    );
    const contact = declarantContactOf(current);
    const mail = statusChangedMail({
      fullName: contact.fullName,
      reference: current.reference,
      to: "triage",
      comment: null,
      link: followUrl(current, context.settings),
    });
    await queueMail(trx, { to: contact.email, ...mail }, now);
  });
  return presentCase(db, await loadCase(db, id), now);
}
