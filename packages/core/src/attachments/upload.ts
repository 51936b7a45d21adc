import { createHash } from "node:crypto";
import { AppError, type AttachmentView, attachmentLimits, type RejectedAttachment } from "@vigie/contracts";
import { attachmentsRepo, type Executor } from "@vigie/db";
import type { z } from "zod";
import type { Actor } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { AttachmentCipher } from "../crypto/attachment-cipher.ts";
import { toAttachmentView } from "./attachment-view.ts";
import { checkFileContent } from "./file-checks.ts";
import { sanitizeFileName } from "./file-name.ts";

/** One file as received: its name as sent, its bytes, and whether it went past the size limit. */
export interface ReceivedFile {
  /** Where it was in the request, e.g. `files[2]`, to name it in errors. */
  field: string;
  fileName: string;
  data: Uint8Array;
  /** True when the upload was cut at `maxFileBytes` (the file is too large). */
  truncated: boolean;
}

/** What happened to one file. */
export type UploadOutcome =
  | { ok: true; item: z.infer<typeof AttachmentView> }
  | { ok: false; rejected: z.infer<typeof RejectedAttachment> };

const MB = 1024 * 1024;

/**
 * Checks, encrypts and stores one uploaded file under a pending key (a declaration's
 * idempotency key, or a message draft's id). A refused file comes back with a French reason
 * and never affects the others. Limits (files and total size) count what is already pending
 * under the key, under a lock so parallel uploads cannot exceed them together.
 */
export async function storePendingAttachment(
  db: Executor,
  cipher: AttachmentCipher,
  input: { pendingKey: string; actor: Actor | null; file: ReceivedFile; ip?: string | null },
  now: Date,
): Promise<UploadOutcome> {
  const { file, pendingKey, actor } = input;
  const fileName = sanitizeFileName(file.fileName);
  const reject = async (
    code: z.infer<typeof RejectedAttachment>["code"],
    reason: string,
  ): Promise<UploadOutcome> => {
    await recordAudit(
      db,
      {
        actor,
        actorLabel: "déclarant anonyme",
        action: "attachment.rejected",
        outcome: "denied",
        objectType: "attachment",
        ip: input.ip ?? null,
        details: { pendingKey, fileName, code },
      },
      now,
    );
    return { ok: false, rejected: { field: file.field, fileName, code, reason } };
  };

  if (file.truncated || file.data.byteLength > attachmentLimits.maxFileBytes) {
    return reject(
      "FILE_TOO_LARGE",
      `« ${fileName} » : fichier trop volumineux (${attachmentLimits.maxFileBytes / MB} Mo au maximum par fichier).`,
    );
  }
  if (file.data.byteLength === 0) return reject("FILE_EMPTY", `« ${fileName} » : le fichier est vide.`);
  const check = await checkFileContent(fileName, file.data);
  if (!check.ok) return reject("FILE_TYPE_REFUSED", check.reason);

  const sha256 = createHash("sha256").update(file.data).digest("hex");
  // Encrypt before opening the transaction: it is the slow part and needs no lock.
  const blob = cipher.encrypt(file.data);
  const stored = await db.transaction().execute(async (trx) => {
    await attachmentsRepo.lockPendingKey(trx, pendingKey);
    const totals = await attachmentsRepo.pendingTotals(trx, pendingKey);
    if (totals.count >= attachmentLimits.maxFiles) {
      return {
        kind: "limit",
        message: `« ${fileName} » : ${attachmentLimits.maxFiles} fichiers au maximum par déclaration.`,
      } as const;
    }
    if (totals.bytes + file.data.byteLength > attachmentLimits.maxTotalBytes) {
      const left = Math.max(0, attachmentLimits.maxTotalBytes - totals.bytes);
      return {
        kind: "limit",
        message:
          `« ${fileName} » : ${attachmentLimits.maxTotalBytes / MB} Mo au maximum au total par déclaration ` +
          `(reste ${(left / MB).toFixed(1).replace(".", ",")} Mo).`,
      } as const;
    }
    const row = await attachmentsRepo.insertAttachment(
      trx,
      { key_id: blob.keyId, iv: blob.iv, auth_tag: blob.authTag, ciphertext: blob.ciphertext },
      {
        pending_key: pendingKey,
        incident_id: null,
        message_id: null,
        file_name: fileName,
        content_type: check.contentType,
        size_bytes: file.data.byteLength,
        sha256,
        uploaded_by_user_id: actor?.userId ?? null,
        uploaded_at: now,
      },
    );
    await recordAudit(
      trx,
      {
        actor,
        actorLabel: "déclarant anonyme",
        action: "attachment.uploaded",
        objectType: "attachment",
        objectId: row.id,
        ip: input.ip ?? null,
        details: { pendingKey, fileName, size: row.size_bytes, sha256 },
      },
      now,
    );
    return { kind: "stored", row } as const;
  });
  if (stored.kind === "limit") return reject("ATTACHMENT_LIMIT_REACHED", stored.message);
  return { ok: true, item: toAttachmentView(stored.row) };
}

/**
 * Removes an upload that is still pending, only with the key it was uploaded under (whoever
 * holds the form). NOT_FOUND otherwise, attached or not: the key is the only credential.
 */
export async function deletePendingAttachment(
  db: Executor,
  input: { id: string; pendingKey: string; actor: Actor | null; ip?: string | null },
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const removed = await attachmentsRepo.deletePending(trx, input.id, input.pendingKey);
    if (!removed) throw new AppError("NOT_FOUND", { message: "Pièce jointe introuvable ou déjà envoyée." });
    await recordAudit(
      trx,
      {
        actor: input.actor,
        actorLabel: "déclarant anonyme",
        action: "attachment.deleted",
        objectType: "attachment",
        objectId: input.id,
        ip: input.ip ?? null,
        details: { pendingKey: input.pendingKey },
      },
      now,
    );
  });
}

/** How long an upload may wait for its declaration or message before it is purged. */
export const PENDING_ATTACHMENT_TTL_MS = 48 * 3600 * 1000;

/** Deletes uploads still pending after 48 hours (abandoned forms); returns how many. */
export async function purgeStalePendingAttachments(db: Executor, now: Date): Promise<number> {
  return attachmentsRepo.purgePendingBefore(db, new Date(now.getTime() - PENDING_ATTACHMENT_TTL_MS));
}
