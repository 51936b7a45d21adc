import {
  type AlertTarget,
  AppError,
  type DismissAlertRequest,
  type SendAlertRequest,
} from "@vigie/contracts";
import { alertingRepo, declarationsRepo, type Executor, type IncidentRow } from "@vigie/db";
import type { z } from "zod";
import type { Actor } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { certAuthor, type JournalAuthor, recordJournalEntry } from "../cases/journal.ts";
import { assertCaseAccess, type CaseContext } from "../cases/read-case.ts";
import { queueMails } from "../mail/queue-mail.ts";
import { codedFacts } from "./facts.ts";
import {
  type AlertCase,
  type AlertNotificationViewData,
  arrayOf,
  loadAlertCase,
  type PreparedAlert,
  prepareAlert,
  presentNotifications,
  RED_CASE_REASON,
  targetLabel,
} from "./proposals.ts";
import { type SendableTlp, withMarking } from "./templates.ts";

/** Who decides: the journal's author, and the actor for the audit log when a user acts. */
interface Decider {
  author: JournalAuthor;
  actor: Pick<Actor, "userId" | "email"> | null;
  ip: string | null;
}

function redCaseRefused(): AppError {
  return new AppError("VALIDATION_FAILED", {
    message: RED_CASE_REASON,
    fields: [{ field: "tlp", message: RED_CASE_REASON }],
  });
}

function noAddress(alertCase: AlertCase, target: AlertTarget): AppError {
  const label = targetLabel(alertCase, target);
  const message =
    target === "ars" && alertCase.facts.regionCode === null
      ? "Aucune adresse n'est enregistrée pour l'ARS : la région de la structure n'est pas connue."
      : `Aucune adresse n'est enregistrée pour ${label}. Ajoutez-en une dans les destinataires des alertes.`;
  return new AppError("VALIDATION_FAILED", { message, fields: [{ field: "target", message }] });
}

/** Locks the case for a decision on its alerts, NOT_FOUND if it is gone. */
async function lockCase(trx: Executor, id: string): Promise<IncidentRow> {
  const row = await declarationsRepo.lockIncident(trx, id);
  if (!row) throw new AppError("NOT_FOUND", { message: "Déclaration introuvable." });
  return row;
}

/**
 * Stores a sent notification and queues one e-mail per recipient, with its journal line and
 * audit entry, in the caller's transaction.
 */
async function storeSent(
  trx: Executor,
  alertCase: AlertCase,
  prepared: PreparedAlert,
  message: { subject: string; body: string },
  options: { automatic: boolean; comment: string | null; by: Decider; now: Date },
): Promise<string> {
  const { row } = alertCase;
  const { by, now } = options;
  const mailIds = await queueMails(
    trx,
    prepared.recipients.map((to) => ({ to, subject: message.subject, text: message.body })),
    now,
  );
  const version = alertCase.current.version;
  const notification = await alertingRepo.insertNotification(trx, {
    incident_id: row.id,
    authority: prepared.target,
    region_code: prepared.regionCode,
    status: "sent",
    rule_set_version: version,
    rule_ids: prepared.rules.map((r) => r.id),
    automatic: options.automatic,
    recipients: prepared.recipients,
    subject: message.subject,
    body: message.body,
    facts: codedFacts(alertCase.facts),
    tlp: row.tlp as SendableTlp,
    mail_ids: mailIds,
    decided_by_user_id: by.author.userId,
    decided_by_label: by.author.label,
    decided_at: now,
    comment: options.comment,
  });
  const label = targetLabel(alertCase, prepared.target);
  await recordJournalEntry(
    trx,
    row.id,
    by.author,
    {
      kind: "alert",
      body: `${options.automatic ? "Alerte automatique envoyée" : "Alerte envoyée"} à ${label} (${prepared.recipients.join(", ")}) — règles v${version}`,
      tlp: row.tlp,
      refId: notification.id,
      value: { notificationId: notification.id, target: prepared.target, ruleSetVersion: version },
    },
    now,
  );
  await recordAudit(
    trx,
    {
      ...(by.actor ? { actor: by.actor } : { actorLabel: by.author.label }),
      action: "alert.sent",
      objectType: "incident",
      objectId: row.id,
      ip: by.ip,
      details: {
        reference: row.reference,
        notificationId: notification.id,
        target: prepared.target,
        regionCode: prepared.regionCode,
        ruleSetVersion: version,
        ruleIds: prepared.rules.map((r) => r.id),
        recipients: prepared.recipients.length,
        automatic: options.automatic,
      },
    },
    now,
  );
  return notification.id;
}

async function notificationView(
  db: Executor,
  incidentId: string,
  id: string,
): Promise<AlertNotificationViewData> {
  const row = await alertingRepo.findNotification(db, incidentId, id);
  if (!row) throw new AppError("NOT_FOUND", { message: "Alerte introuvable." });
  const [view] = await presentNotifications(db, [row]);
  if (!view) throw new AppError("NOT_FOUND", { message: "Alerte introuvable." });
  return view;
}

/**
 * An analyst sends the alert of a case to a target: the proposal's message (or the analyst's
 * edit, which keeps the TLP marking), one e-mail per address of the target, the notification
 * stored with the coded facts, the rule version and ids, a journal line and the audit entry —
 * one transaction. Refused for a TLP:RED case and when the target has no address.
 */
export async function sendAlert(
  db: Executor,
  actor: Actor | null,
  incidentId: string,
  request: z.output<typeof SendAlertRequest>,
  context: CaseContext,
): Promise<AlertNotificationViewData> {
  const handler = await assertCaseAccess(db, actor, incidentId, context);
  const { now } = context;
  const id = await db.transaction().execute(async (trx) => {
    const row = await lockCase(trx, incidentId);
    if (row.tlp === "red") throw redCaseRefused();
    const alertCase = await loadAlertCase(trx, row);
    const prepared = await prepareAlert(trx, alertCase, request.target);
    if (prepared.recipients.length === 0) throw noAddress(alertCase, request.target);
    const message = withMarking(
      {
        subject: request.subject ?? prepared.message.subject,
        body: request.body ?? prepared.message.body,
      },
      row.tlp as SendableTlp,
    );
    return storeSent(trx, alertCase, prepared, message, {
      automatic: false,
      comment: request.comment || null,
      by: { author: await certAuthor(trx, handler), actor: handler, ip: context.ip ?? null },
      now,
    });
  });
  return notificationView(db, incidentId, id);
}

/**
 * An analyst decides not to send the alert the rules propose to a target, saying why: recorded
 * (status dismissed, no e-mail) with a journal line and the audit entry, in one transaction.
 */
export async function dismissAlert(
  db: Executor,
  actor: Actor | null,
  incidentId: string,
  request: z.output<typeof DismissAlertRequest>,
  context: CaseContext,
): Promise<AlertNotificationViewData> {
  const handler = await assertCaseAccess(db, actor, incidentId, context);
  const { now } = context;
  const id = await db.transaction().execute(async (trx) => {
    const row = await lockCase(trx, incidentId);
    // Nothing of a red case can be sent, so there is nothing to dismiss either.
    if (row.tlp === "red") throw redCaseRefused();
    const alertCase = await loadAlertCase(trx, row);
    const prepared = await prepareAlert(trx, alertCase, request.target);
    const author = await certAuthor(trx, handler);
    const version = alertCase.current.version;
    const notification = await alertingRepo.insertNotification(trx, {
      incident_id: row.id,
      authority: request.target,
      region_code: prepared.regionCode,
      status: "dismissed",
      rule_set_version: version,
      rule_ids: prepared.rules.map((r) => r.id),
      automatic: false,
      recipients: [],
      subject: prepared.message.subject,
      body: prepared.message.body,
      facts: codedFacts(alertCase.facts),
      tlp: row.tlp as SendableTlp,
      mail_ids: [],
      decided_by_user_id: author.userId,
      decided_by_label: author.label,
      decided_at: now,
      comment: request.comment,
    });
    await recordJournalEntry(
      trx,
      row.id,
      author,
      {
        kind: "alert",
        body: `Alerte à ${targetLabel(alertCase, request.target)} non envoyée : ${request.comment} — règles v${version}`,
        tlp: row.tlp,
        refId: notification.id,
        value: {
          notificationId: notification.id,
          target: request.target,
          ruleSetVersion: version,
          dismissed: true,
        },
      },
      now,
    );
    await recordAudit(
      trx,
      {
        actor: handler,
        action: "alert.dismissed",
        objectType: "incident",
        objectId: row.id,
        ip: context.ip ?? null,
        details: {
          reference: row.reference,
          notificationId: notification.id,
          target: request.target,
          ruleSetVersion: version,
        },
      },
      now,
    );
    return notification.id;
  });
  return notificationView(db, incidentId, id);
}

/**
 * Puts the e-mails of a sent alert that failed back in the outbox queue (due now, attempts from
 * zero), with a journal line and the audit entry. Nothing to retry: the notification unchanged.
 */
export async function retryAlertDelivery(
  db: Executor,
  actor: Actor | null,
  incidentId: string,
  notificationId: string,
  context: CaseContext,
): Promise<AlertNotificationViewData> {
  const handler = await assertCaseAccess(db, actor, incidentId, context);
  const { now } = context;
  await db.transaction().execute(async (trx) => {
    const row = await lockCase(trx, incidentId);
    const notification = await alertingRepo.findNotification(trx, incidentId, notificationId);
    if (!notification) throw new AppError("NOT_FOUND", { message: "Alerte introuvable." });
    if (notification.status !== "sent") {
      const message = "Cette alerte n'a pas été envoyée : il n'y a rien à renvoyer.";
      throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "notificationId", message }] });
    }
    if (row.tlp === "red") throw redCaseRefused();
    const requeued = await alertingRepo.requeueFailedMails(trx, arrayOf(notification.mail_ids));
    if (requeued.length === 0) return;
    const alertCase = await loadAlertCase(trx, row);
    await recordJournalEntry(
      trx,
      row.id,
      await certAuthor(trx, handler),
      {
        kind: "alert",
        body: `Nouvel envoi de l'alerte à ${targetLabel(alertCase, notification.authority)} (${requeued.length} courriel${requeued.length > 1 ? "s" : ""})`,
        tlp: row.tlp,
        refId: notification.id,
        value: { notificationId: notification.id, target: notification.authority, retried: requeued.length },
      },
      now,
    );
    await recordAudit(
      trx,
      {
        actor: handler,
        action: "alert.retried",
        objectType: "incident",
        objectId: row.id,
        ip: context.ip ?? null,
        details: { reference: row.reference, notificationId: notification.id, mails: requeued.length },
      },
      now,
    );
  });
  return notificationView(db, incidentId, notificationId);
}

/**
 * After a qualification, in its transaction: the rules marked automatic send their alert to
 * each target not yet decided (sent or dismissed) for the case. A target without an address is
 * skipped, and the journal says the alert was proposed with no address; a TLP:RED case sends
 * nothing (the journal says it was blocked).
 */
export async function sendAutomaticAlerts(
  trx: Executor,
  incidentId: string,
  author: JournalAuthor,
  now: Date,
  options: { actor?: Pick<Actor, "userId" | "email"> | null; ip?: string | null } = {},
): Promise<string[]> {
  const row = await declarationsRepo.findIncidentById(trx, incidentId);
  if (!row) return [];
  const alertCase = await loadAlertCase(trx, row);
  const automatic = alertCase.matches.filter((m) => m.automatic);
  if (automatic.length === 0) return [];
  const decided = new Set((await alertingRepo.listNotifications(trx, incidentId)).map((n) => n.authority));
  const version = alertCase.current.version;
  const sent: string[] = [];
  for (const match of automatic) {
    if (decided.has(match.target)) continue;
    const label = targetLabel(alertCase, match.target);
    const ruleIds = match.rules.map((r) => r.id);
    if (row.tlp === "red") {
      await recordJournalEntry(
        trx,
        row.id,
        author,
        {
          kind: "alert",
          body: `Alerte automatique à ${label} bloquée : le cas est classé TLP:RED — règles v${version}`,
          tlp: row.tlp,
          value: { target: match.target, ruleSetVersion: version, ruleIds, blocked: "tlp_red" },
        },
        now,
      );
      continue;
    }
    const prepared = await prepareAlert(trx, alertCase, match.target);
    if (prepared.recipients.length === 0) {
      await recordJournalEntry(
        trx,
        row.id,
        author,
        {
          kind: "alert",
          body: `Alerte automatique à ${label} proposée, aucune adresse enregistrée — règles v${version}`,
          tlp: row.tlp,
          value: { target: match.target, ruleSetVersion: version, ruleIds, blocked: "no_address" },
        },
        now,
      );
      continue;
    }
    sent.push(
      await storeSent(trx, alertCase, prepared, prepared.message, {
        automatic: true,
        comment: null,
        by: { author, actor: options.actor ?? null, ip: options.ip ?? null },
        now,
      }),
    );
  }
  return sent;
}
