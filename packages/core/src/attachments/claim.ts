import { AppError, type AttachmentView } from "@vigie/contracts";
import { attachmentsRepo, type Executor } from "@vigie/db";
import type { z } from "zod";
import type { Actor } from "../access/policy.ts";
import { toAttachmentView } from "./attachment-view.ts";

/**
 * Moves every upload made under a declaration's idempotency key onto the new incident, in the
 * declaration's transaction. Returns them (possibly none).
 */
export async function claimPendingAttachments(
  trx: Executor,
  idempotencyKey: string,
  incidentId: string,
): Promise<z.infer<typeof AttachmentView>[]> {
  const rows = await attachmentsRepo.claimPending(trx, idempotencyKey, incidentId);
  rows.sort((a, b) => +new Date(a.uploaded_at) - +new Date(b.uploaded_at) || a.id.localeCompare(b.id));
  return rows.map((row) => toAttachmentView(row));
}

/**
 * Joins uploads to a message of an incident, in the message's transaction. Each id must still
 * be pending (not yet on any incident), and an upload made by a signed-in user may only be
 * joined by that user; otherwise VALIDATION_FAILED naming `attachmentIds[i]`.
 */
export async function attachToMessage(
  trx: Executor,
  attachmentIds: readonly string[],
  incidentId: string,
  messageId: string,
  actor: Actor | null,
): Promise<z.infer<typeof AttachmentView>[]> {
  const ids = [...new Set(attachmentIds)];
  if (ids.length === 0) return [];
  const pending = new Map((await attachmentsRepo.lockPendingByIds(trx, ids)).map((row) => [row.id, row]));
  const fields = attachmentIds.flatMap((id, index) => {
    const row = pending.get(id);
    if (!row) {
      return [{ field: `attachmentIds[${index}]`, message: "Pièce jointe introuvable ou déjà rattachée." }];
    }
    if (row.uploaded_by_user_id !== null && row.uploaded_by_user_id !== (actor?.userId ?? null)) {
      return [
        {
          field: `attachmentIds[${index}]`,
          message: "Cette pièce jointe a été déposée par une autre personne.",
        },
      ];
    }
    return [];
  });
  if (fields.length > 0) throw new AppError("VALIDATION_FAILED", { fields });
  const rows = await attachmentsRepo.attachPendingToMessage(trx, ids, incidentId, messageId);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toAttachmentView(row)] : [];
  });
}
