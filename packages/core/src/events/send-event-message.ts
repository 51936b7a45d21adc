import { AppError, type EventMessageRequest, type EventMessageResult } from "@vigie/contracts";
import { type Executor, eventsRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { type MessageContext, postDeclarationMessage } from "../declarations/post-message.ts";
import { findEvent } from "./read-events.ts";

/**
 * Writes to every declarant of an event at once: one message (or recommendation) on the thread
 * of each linked declaration, marked with the event, each with the usual e-mail to its declarant,
 * all in one transaction with one audit entry for the event. Never TLP:RED.
 */
export async function sendEventMessage(
  db: Executor,
  actor: Actor | null,
  id: string,
  request: z.output<typeof EventMessageRequest>,
  context: MessageContext,
): Promise<z.infer<typeof EventMessageResult>> {
  assertPermission(actor, "declarations:handle");
  if (request.tlp === "red") {
    const message =
      "Un message aux déclarants ne peut pas être classé TLP:RED : rien de TLP:RED ne sort du CERT.";
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "tlp", message }] });
  }
  const { now } = context;
  return db.transaction().execute(async (trx) => {
    const event = await findEvent(trx, id, true);
    const incidents = await eventsRepo.listEventIncidents(trx, event.id);
    if (incidents.length === 0) {
      const message = `Aucune déclaration n'est rattachée à l'évènement ${event.reference} : le message n'a pas été envoyé.`;
      throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "body", message }] });
    }
    // Oldest first, so the threads and the mails follow the order the declarations came in.
    for (const incident of [...incidents].reverse()) {
      const message = await postDeclarationMessage(
        trx,
        actor,
        incident.id,
        { kind: request.kind, body: request.body, tlp: request.tlp, attachmentIds: [] },
        context,
      );
      await eventsRepo.markMessageSentThroughEvent(trx, message.id, event.id, request.tlp);
    }
    await recordAudit(
      trx,
      {
        actor,
        action: "event.message_sent",
        objectType: "event",
        objectId: event.id,
        ip: context.ip ?? null,
        details: {
          reference: event.reference,
          kind: request.kind,
          tlp: request.tlp,
          declarations: incidents.map((incident) => incident.reference),
        },
      },
      now,
    );
    return { sent: incidents.length };
  });
}
