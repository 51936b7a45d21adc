import { createHash } from "node:crypto";
import { AppError } from "@vigie/contracts";
import { type AttachmentRow, attachmentsRepo, type Executor } from "@vigie/db";
import { type Actor, incidentScope } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { AttachmentCipher } from "../crypto/attachment-cipher.ts";

/** A decrypted, verified attachment ready to be sent. */
export interface AttachmentContent {
  id: string;
  fileName: string;
  contentType: string;
  sha256: string;
  data: Buffer;
}

const notFound = () => new AppError("NOT_FOUND", { message: "Pièce jointe introuvable." });

/**
 * Decrypts an attachment for a signed-in actor who may see its incident. Anything else —
 * unknown, still pending, or out of scope — is the same NOT_FOUND (an existing one is audited
 * as `permission.denied`). Every download is audited.
 */
export async function readAttachment(
  db: Executor,
  cipher: AttachmentCipher,
  input: { id: string; actor: Actor; ip?: string | null },
  now: Date,
): Promise<AttachmentContent> {
  const { actor, id } = input;
  const row = await attachmentsRepo.findVisibleAttachment(db, id, incidentScope(actor));
  if (!row) {
    if (await attachmentsRepo.findAttachment(db, id)) {
      await recordAudit(
        db,
        {
          actor,
          action: "permission.denied",
          outcome: "denied",
          objectType: "attachment",
          objectId: id,
          ip: input.ip ?? null,
          details: { reason: "attachment_out_of_scope" },
        },
        now,
      );
    }
    throw notFound();
  }
  return decryptAndAudit(db, cipher, row, { actor, ip: input.ip ?? null, via: "session" }, now);
}

/**
 * Decrypts an attachment of the incident a follow-up link opened (the caller has checked the
 * link and resolved its incident). NOT_FOUND when the attachment is not on that incident.
 */
export async function readAttachmentForFollowToken(
  db: Executor,
  cipher: AttachmentCipher,
  input: { id: string; incidentId: string; ip?: string | null },
  now: Date,
): Promise<AttachmentContent> {
  const row = await attachmentsRepo.findAttachmentOfIncident(db, input.id, input.incidentId);
  if (!row) throw notFound();
  return decryptAndAudit(db, cipher, row, { actor: null, ip: input.ip ?? null, via: "follow_link" }, now);
}

async function decryptAndAudit(
  db: Executor,
  cipher: AttachmentCipher,
  row: AttachmentRow,
  who: { actor: Actor | null; ip: string | null; via: "session" | "follow_link" },
  now: Date,
): Promise<AttachmentContent> {
  const blob = await attachmentsRepo.findBlob(db, row.blob_id);
  let data: Buffer | null = null;
  let failure: unknown = null;
  try {
    if (!blob) throw new Error("contenu chiffré absent");
    data = cipher.decrypt({
      keyId: blob.key_id,
      iv: blob.iv,
      authTag: blob.auth_tag,
      ciphertext: blob.ciphertext,
    });
    if (createHash("sha256").update(data).digest("hex") !== row.sha256)
      throw new Error("empreinte SHA-256 différente");
  } catch (error) {
    failure = error;
  }
  if (failure || !data) {
    // Never serve bytes that fail authentication: record it, then fail as an internal error (logged).
    await recordAudit(
      db,
      {
        actor: who.actor,
        actorLabel: "lien de suivi",
        action: "attachment.integrity_failed",
        outcome: "failure",
        objectType: "attachment",
        objectId: row.id,
        ip: who.ip,
        details: { incidentId: row.incident_id, keyId: blob?.key_id ?? null },
      },
      now,
    );
    throw new Error(`Pièce jointe ${row.id} illisible : ${(failure as Error)?.message ?? "inconnue"}`, {
      cause: failure,
    });
  }
  await recordAudit(
    db,
    {
      actor: who.actor,
      actorLabel: "lien de suivi",
      action: "attachment.downloaded",
      objectType: "attachment",
      objectId: row.id,
      ip: who.ip,
      details: { incidentId: row.incident_id, fileName: row.file_name, via: who.via },
    },
    now,
  );
  return { id: row.id, fileName: row.file_name, contentType: row.content_type, sha256: row.sha256, data };
}
