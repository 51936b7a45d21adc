import { AppError, type PostMessageRequest } from "@vigie/contracts";
import { attachmentsRepo, declarationsRepo, type Executor, type IncidentRow, usersRepo } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { attachToMessage } from "../attachments/claim.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { sha256 } from "../auth/secrets.ts";
import { answerComplementRequests, complementDueAt, openComplementRequest } from "../cases/complements.ts";
import { queueMail } from "../mail/queue-mail.ts";
import { certMessageMail, questionAskedMail } from "./mails.ts";
import { certLabel, type MessageViewData, toMessageView } from "./present.ts";
import { findReadableDeclaration, followAttachmentUrl } from "./read-declarations.ts";
import { isCertActor } from "./scope.ts";
import { type DeclarationSettings, followUrl } from "./settings.ts";
import { applyTransition, declarantContactOf } from "./status.ts";

type MessageRequest = z.output<typeof PostMessageRequest>;
type MessageKind = MessageRequest["kind"];

/** What each side of the thread may post. */
export const messageKindsBySide = {
  declarant: ["message", "answer"],
  cert: ["message", "question", "recommendation"],
} as const satisfies Record<"declarant" | "cert", readonly MessageKind[]>;

/** Context of a message. */
export interface MessageContext {
  now: Date;
  ip?: string | null;
  settings: DeclarationSettings;
}

interface Author {
  side: "declarant" | "cert";
  userId: string | null;
  name: string;
  actor: Actor | null;
}

/** The message that may never leave the CERT: written as an internal note instead. */
export const RED_MESSAGE_ERROR =
  "Un message TLP:RED ne quitte pas le CERT : enregistrez-le comme note interne.";

/**
 * The TLP of a new message: the declarant's takes the case's; the CERT's is the one chosen,
 * else the case's — but never TLP:RED, since it goes to the declarant (a case marked red gives
 * its messages TLP:AMBER+STRICT, the strictest marking that may leave the CERT).
 */
export function messageTlp(
  side: "declarant" | "cert",
  requested: MessageRequest["tlp"],
  caseTlp: string,
): string {
  if (side === "declarant") return caseTlp;
  if (requested === "red") {
    throw new AppError("VALIDATION_FAILED", {
      message: RED_MESSAGE_ERROR,
      fields: [{ field: "tlp", message: RED_MESSAGE_ERROR }],
    });
  }
  return requested ?? (caseTlp === "red" ? "amber_strict" : caseTlp);
}

function assertKind(side: Author["side"], kind: MessageKind): void {
  const allowed: readonly MessageKind[] = messageKindsBySide[side];
  if (allowed.includes(kind)) return;
  const message =
    side === "cert"
      ? "Le CERT peut envoyer un message, une question ou une recommandation."
      : "Vous pouvez envoyer un message ou une réponse à une question du CERT.";
  throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "kind", message }] });
}

/**
 * Runs in the caller's transaction when given one (a use case recording what the message
 * carries, such as a reflex sheet sending, commits with it), else in a new transaction.
 */
function inTransaction<T>(db: Executor, work: (trx: Executor) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/**
 * Adds a message to a declaration's thread, in one transaction with its attachments, the
 * status it implies (a CERT question waits for the declarant; the declarant's answer puts the
 * declaration back in progress), the audit entry and the e-mail to the declarant.
 */
async function postMessage(
  db: Executor,
  incidentId: string,
  author: Author,
  request: MessageRequest,
  context: MessageContext,
  presentAttachmentUrl?: (id: string) => string,
): Promise<MessageViewData> {
  assertKind(author.side, request.kind);
  const { now, settings } = context;
  return inTransaction(db, async (trx) => {
    const incident = await declarationsRepo.lockIncident(trx, incidentId);
    if (!incident) throw new AppError("NOT_FOUND", { message: "Déclaration introuvable." });
    if (request.kind === "question" && (incident.status === "closed" || incident.status === "resolved")) {
      const message = `La déclaration est ${incident.status === "closed" ? "clôturée" : "résolue"} : rouvrez-la avant de poser une question.`;
      throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "kind", message }] });
    }
    const tlp = messageTlp(author.side, request.tlp, incident.tlp);
    const asksComplements = author.side === "cert" && request.kind === "question";
    if (request.dueAt !== undefined && !asksComplements) {
      const message = "Une échéance ne s'indique que pour une question du CERT.";
      throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "dueAt", message }] });
    }
    const dueAt = asksComplements ? complementDueAt(request.dueAt, now, settings) : null;
    const message = await declarationsRepo.insertMessage(trx, {
      incident_id: incident.id,
      author_user_id: author.userId,
      author_kind: author.side,
      author_name: author.name,
      kind: request.kind,
      body: request.body,
      tlp,
      created_at: now,
    });
    await attachToMessage(trx, request.attachmentIds, incident.id, message.id, author.actor);

    const by = {
      userId: author.userId,
      label: author.side === "cert" ? certLabel(author.name) : author.name,
    };
    // Requests for complements (decision 0008): a question opens one, any post of the declarant answers them.
    if (dueAt) await openComplementRequest(trx, incident.id, { messageId: message.id, dueAt }, by, now);
    if (author.side === "declarant")
      await answerComplementRequests(trx, incident.id, { messageId: message.id }, by, now);
    let statusTo: IncidentRow["status"] | null = null;
    if (request.kind === "question" && incident.status !== "waiting_declarant")
      statusTo = "waiting_declarant";
    if (request.kind === "answer" && incident.status === "waiting_declarant") statusTo = "in_progress";
    if (statusTo) await applyTransition(trx, incident, statusTo, by, null, now);

    await recordAudit(
      trx,
      {
        actor: author.actor,
        actorLabel: author.actor ? undefined : `lien de suivi (${declarantContactOf(incident).email})`,
        action: "declaration.message_posted",
        objectType: "incident",
        objectId: incident.id,
        ip: context.ip ?? null,
        details: {
          reference: incident.reference,
          messageId: message.id,
          kind: request.kind,
          side: author.side,
          attachments: request.attachmentIds.length,
          tlp,
          ...(dueAt ? { dueAt: dueAt.toISOString() } : {}),
          ...(statusTo ? { statusFrom: incident.status, statusTo } : {}),
        },
      },
      now,
    );
    if (author.side === "cert") {
      const contact = declarantContactOf(incident);
      const link = followUrl(incident, settings);
      const mail =
        request.kind === "question"
          ? questionAskedMail({ fullName: contact.fullName, reference: incident.reference, link })
          : certMessageMail({
              fullName: contact.fullName,
              reference: incident.reference,
              recommendation: request.kind === "recommendation",
              link,
            });
      await queueMail(trx, { to: contact.email, ...mail }, now);
    }
    const attachments = (await attachmentsRepo.listForIncident(trx, incident.id)).filter(
      (a) => a.message_id === message.id,
    );
    return toMessageView(message, attachments, {
      audience: author.side,
      ...(presentAttachmentUrl ? { downloadUrl: (row) => presentAttachmentUrl(row.id) } : {}),
    });
  });
}

/** A signed-in user writes on a declaration within their scope (the CERT, or the declarant's side). */
export async function postDeclarationMessage(
  db: Executor,
  actor: Actor | null,
  incidentId: string,
  request: MessageRequest,
  context: MessageContext,
): Promise<MessageViewData> {
  assertPermission(actor, "declarations:message");
  await findReadableDeclaration(db, actor, incidentId, context);
  const user = await usersRepo.findUserById(db, actor.userId);
  return postMessage(
    db,
    incidentId,
    {
      side: isCertActor(actor) ? "cert" : "declarant",
      userId: actor.userId,
      name: user?.full_name ?? actor.email,
      actor,
    },
    request,
    context,
  );
}

/** The holder of a declaration's follow-up link writes to the CERT (message or answer). */
export async function postFollowMessage(
  db: Executor,
  token: string,
  request: MessageRequest,
  context: MessageContext,
): Promise<MessageViewData> {
  const incident = await declarationsRepo.findIncidentByFollowTokenHash(db, sha256(token));
  if (!incident) {
    throw new AppError("NOT_FOUND", {
      message: "Ce lien de suivi est invalide. Vérifiez l'adresse reçue par courriel.",
    });
  }
  return postMessage(
    db,
    incident.id,
    { side: "declarant", userId: null, name: declarantContactOf(incident).fullName, actor: null },
    request,
    context,
    (id) => followAttachmentUrl(token, id),
  );
}
