import {
  type AlertNotificationView,
  type AlertRule,
  type AlertTarget,
  alertTargetLabels,
  type CaseAlerts,
} from "@vigie/contracts";
import {
  type AlertMailRow,
  type AuthorityNotificationRow,
  alertingRepo,
  type Executor,
  type IncidentRow,
  regionsRepo,
} from "@vigie/db";
import type { z } from "zod";
import type { Actor } from "../access/policy.ts";
import { assertCaseAccess, type CaseContext, loadCase } from "../cases/read-case.ts";
import { snapshotOf } from "../declarations/snapshot.ts";
import { MAX_MAIL_ATTEMPTS } from "../mail/deliver-outbox.ts";
import { type CaseFacts, caseFacts } from "./facts.ts";
import { type CurrentRules, currentRules } from "./rule-sets.ts";
import { evaluate, type TargetMatch } from "./rules.ts";
import { type AlertMessage, type AnyTlp, renderAlert } from "./templates.ts";

export type AlertNotificationViewData = z.infer<typeof AlertNotificationView>;
export type CaseAlertsData = z.infer<typeof CaseAlerts>;
type Delivery = AlertNotificationViewData["delivery"];

/** Why nothing of a TLP:RED case is sent. */
export const RED_CASE_REASON =
  "Ce cas est classé TLP:RED : rien n'en sort du CERT. Changez son TLP pour pouvoir alerter les autorités.";

/** A case as the alerting reads it: its row, facts, region, and the rules that apply now. */
export interface AlertCase {
  row: IncidentRow;
  facts: CaseFacts;
  regionName: string | null;
  /** The ARS's name for the region (« ARS Île-de-France »). */
  arsName: string | null;
  current: CurrentRules;
  matches: TargetMatch[];
}

/** Reads what the alerting needs of a case (in the caller's connection or transaction). */
export async function loadAlertCase(db: Executor, row: IncidentRow): Promise<AlertCase> {
  const facts = caseFacts(row);
  const region = facts.regionCode ? await regionsRepo.findRegion(db, facts.regionCode) : undefined;
  const current = await currentRules(db);
  return {
    row,
    facts,
    regionName: region?.name ?? null,
    arsName: region?.ars_name ?? null,
    current,
    matches: evaluate(current.rules, facts),
  };
}

/** A target's label, the ARS named by its region (« ARS Île-de-France »). */
export function targetLabel(alertCase: AlertCase, target: AlertTarget): string {
  if (target === "ars" && alertCase.arsName) return alertCase.arsName;
  return alertTargetLabels[target];
}

/** An alert to one target, prepared from the current rules: who receives it and what it says. */
export interface PreparedAlert {
  target: AlertTarget;
  /** The ARS's region; null for the national authorities. */
  regionCode: string | null;
  /** The rules that propose it (none when an analyst alerts a target the rules do not name). */
  rules: AlertRule[];
  automatic: boolean;
  recipients: string[];
  message: AlertMessage;
}

/** Prepares the alert of a case to a target (recipients from `authority_contacts`). */
export async function prepareAlert(
  db: Executor,
  alertCase: AlertCase,
  target: AlertTarget,
): Promise<PreparedAlert> {
  const { row, facts } = alertCase;
  const match = alertCase.matches.find((m) => m.target === target);
  const regionCode = target === "ars" ? facts.regionCode : null;
  const contacts =
    target === "ars" && regionCode === null ? [] : await alertingRepo.listContactsFor(db, target, regionCode);
  const rules = match?.rules ?? [];
  return {
    target,
    regionCode,
    rules,
    automatic: match?.automatic ?? false,
    recipients: contacts.map((c) => c.email),
    message: renderAlert({
      target,
      reference: row.reference,
      declaredAt: new Date(row.declared_at),
      qualifiedAt: row.qualified_at ? new Date(row.qualified_at) : null,
      facts,
      regionName: alertCase.regionName,
      structureName: snapshotOf(row).name,
      qualificationSummary: row.qualification_summary,
      tlp: row.tlp as AnyTlp,
      rules,
    }),
  };
}

/** True when an e-mail will not be sent any more without an analyst's retry. */
function mailFailed(mail: AlertMailRow): boolean {
  if (mail.sent_at) return false;
  return mail.attempts >= MAX_MAIL_ATTEMPTS || (mail.last_error !== null && mail.next_attempt_at === null);
}

/**
 * Delivery of a notification's e-mails, from their outbox rows: all sent → delivered; one given
 * up (attempts exhausted, or an error with no next attempt) or missing → failed; else pending.
 */
export function deliveryOf(mailIds: readonly string[], mails: ReadonlyMap<string, AlertMailRow>): Delivery {
  if (mailIds.length === 0) return "none";
  const rows = mailIds.map((id) => mails.get(id));
  if (rows.some((mail) => !mail || mailFailed(mail))) return "failed";
  if (rows.every((mail) => mail?.sent_at)) return "delivered";
  return "pending";
}

/** A uuid[] / text[] column (both drivers return arrays; a literal is parsed to be safe). */
export function arrayOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string" && value.startsWith("{")) {
    const inner = value.slice(1, -1);
    return inner === "" ? [] : inner.split(",").map((v) => v.replace(/^"|"$/g, ""));
  }
  return [];
}

/** Notifications as the case page shows them, with the delivery of their e-mails. */
export async function presentNotifications(
  db: Executor,
  rows: readonly AuthorityNotificationRow[],
): Promise<AlertNotificationViewData[]> {
  const mails = await alertingRepo.listAlertMails(
    db,
    rows.flatMap((r) => arrayOf(r.mail_ids)),
  );
  const byId = new Map(mails.map((m) => [m.id, m]));
  return rows.map((row) => ({
    id: row.id,
    target: row.authority,
    regionCode: row.region_code,
    status: row.status,
    ruleSetVersion: row.rule_set_version,
    ruleIds: arrayOf(row.rule_ids),
    automatic: row.automatic,
    recipients: arrayOf(row.recipients),
    subject: row.subject,
    body: row.body,
    tlp: row.tlp,
    decidedBy: row.decided_by_label,
    decidedAt: new Date(row.decided_at).toISOString(),
    comment: row.comment,
    delivery: deliveryOf(arrayOf(row.mail_ids), byId),
  }));
}

/**
 * The alerts of a case (GET /api/cases/:id/alerts): what the current rules propose, per target,
 * with its recipients and prepared message, whether it was already sent, the notifications
 * decided so far with their delivery, and why nothing can be sent (TLP:RED).
 */
export async function getCaseAlerts(
  db: Executor,
  actor: Actor | null,
  id: string,
  context: CaseContext,
): Promise<CaseAlertsData> {
  await assertCaseAccess(db, actor, id, context);
  const row = await loadCase(db, id);
  const alertCase = await loadAlertCase(db, row);
  const notifications = await alertingRepo.listNotifications(db, id);
  const sent = new Set(notifications.filter((n) => n.status === "sent").map((n) => n.authority));
  const proposals = [];
  for (const match of alertCase.matches) {
    const prepared = await prepareAlert(db, alertCase, match.target);
    proposals.push({
      target: match.target,
      regionCode: prepared.regionCode,
      ruleIds: prepared.rules.map((r) => r.id),
      ruleSetVersion: alertCase.current.version,
      automatic: prepared.automatic,
      recipients: prepared.recipients,
      subject: prepared.message.subject,
      body: prepared.message.body,
      alreadySent: sent.has(match.target),
    });
  }
  return {
    proposals,
    notifications: await presentNotifications(db, notifications),
    blockedReason: row.tlp === "red" ? RED_CASE_REASON : null,
  };
}
