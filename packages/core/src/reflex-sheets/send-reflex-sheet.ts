import { AppError, reflexSheetKindLabels, type SendReflexSheetRequest, tlp } from "@vigie/contracts";
import { type Executor, type ReflexSheetRow, type ReflexSheetVersionRow, reflexSheetsRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { type MessageContext, postDeclarationMessage } from "../declarations/post-message.ts";
import type { MessageViewData } from "../declarations/present.ts";
import { findReadableDeclaration } from "../declarations/read-declarations.ts";

/** A sheet sent on a declaration's thread. */
export interface ReflexSheetSendingData {
  incidentId: string;
  sheetId: string;
  version: number;
  sentAt: string;
  message: MessageViewData;
}

/** The thread message carrying a sheet: its title, its body and a line naming the sheet and version. */
export function reflexSheetMessageBody(sheet: ReflexSheetRow, version: ReflexSheetVersionRow): string {
  // The label carries the FIRST marking, e.g. "TLP:AMBER — diffusion limitée…".
  const marking = version.tlp === "clear" ? [] : [tlp.labels[version.tlp], ""];
  return [
    ...marking,
    version.title,
    "",
    version.body,
    "",
    "—",
    `${reflexSheetKindLabels[sheet.kind]} du CERT Santé « ${version.title} » (${sheet.slug}), version ${version.version}.`,
  ].join("\n");
}

/**
 * Sends a sheet (its current version unless one is named) to a declarant as a recommendation on
 * the declaration's thread — the thread's own use case records the message, e-mails the
 * declarant and audits it — and records which version was sent, all in one transaction.
 * An archived sheet, or a TLP:RED version, is never sent.
 */
export async function sendReflexSheet(
  db: Executor,
  actor: Actor | null,
  incidentId: string,
  request: z.output<typeof SendReflexSheetRequest>,
  context: MessageContext,
): Promise<ReflexSheetSendingData> {
  assertPermission(actor, "declarations:handle");
  const { now } = context;
  await findReadableDeclaration(db, actor, incidentId, context);
  const sheet = await reflexSheetsRepo.findSheetById(db, request.sheetId);
  if (!sheet) {
    const message = "Fiche réflexe introuvable.";
    throw new AppError("NOT_FOUND", { message, fields: [{ field: "sheetId", message }] });
  }
  if (sheet.archived_at) {
    const message = "Cette fiche est archivée : elle ne peut plus être envoyée.";
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "sheetId", message }] });
  }
  const number = request.version ?? sheet.current_version;
  const version = await reflexSheetsRepo.findVersion(db, sheet.id, number);
  if (!version) {
    const message = `Cette fiche n'a pas de version ${number} (version actuelle : ${sheet.current_version}).`;
    throw new AppError("NOT_FOUND", { message, fields: [{ field: "version", message }] });
  }
  if (version.tlp === "red") {
    const message =
      "Cette version de la fiche est classée TLP:RED : elle est réservée au CERT et n'est jamais " +
      "transmise à un déclarant.";
    const field = request.version === undefined ? "sheetId" : "version";
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field, message }] });
  }

  return db.transaction().execute(async (trx) => {
    const message = await postDeclarationMessage(
      trx,
      actor,
      incidentId,
      { kind: "recommendation", body: reflexSheetMessageBody(sheet, version), attachmentIds: [] },
      context,
    );
    const sending = await reflexSheetsRepo.insertSending(trx, {
      incident_id: incidentId,
      sheet_id: sheet.id,
      version: version.version,
      message_id: message.id,
      sent_by_user_id: actor.userId,
      sent_at: now,
    });
    await recordAudit(
      trx,
      {
        actor,
        action: "reflex_sheet.sent",
        objectType: "incident",
        objectId: incidentId,
        ip: context.ip ?? null,
        details: { sheetId: sheet.id, slug: sheet.slug, version: version.version, messageId: message.id },
      },
      now,
    );
    return {
      incidentId,
      sheetId: sheet.id,
      version: sending.version,
      sentAt: new Date(sending.sent_at).toISOString(),
      message,
    };
  });
}
