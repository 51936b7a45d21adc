import { type Selectable, sql } from "kysely";
import type { Executor } from "../executor.ts";
import type {
  AlertRuleSetsTable,
  AuthorityContactsTable,
  AuthorityNotificationsTable,
  IncidentsTable,
  MailOutboxTable,
} from "../schema.ts";

// Alerting the authorities (0011): rule set versions, the authorities' addresses, the
// notifications of a case and the state of their e-mails in the outbox.

export type AlertRuleSetRow = Selectable<AlertRuleSetsTable>;
export type AuthorityContactRow = Selectable<AuthorityContactsTable>;
export type AuthorityNotificationRow = Selectable<AuthorityNotificationsTable>;
export type AlertTargetCode = AuthorityContactRow["authority"];
/** The outbox columns that tell how an alert's e-mail is doing. */
export type AlertMailRow = Pick<
  Selectable<MailOutboxTable>,
  "id" | "to_address" | "sent_at" | "attempts" | "last_error" | "next_attempt_at"
>;

/** Arbitrary constant: the advisory lock that serialises changes to the rule set versions. */
const RULE_SETS_LOCK = 7_240_011;

// ——— Rule sets ———

/**
 * Serialises the changes of rule set versions until the transaction ends (version numbers,
 * the one published version).
 */
export async function lockRuleSets(trx: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(${RULE_SETS_LOCK})`.execute(trx);
}

/** Every version, newest first. */
export function listRuleSets(db: Executor): Promise<AlertRuleSetRow[]> {
  return db.selectFrom("alert_rule_sets").selectAll().orderBy("version", "desc").execute();
}

/** One version, or undefined. */
export function findRuleSet(db: Executor, version: number): Promise<AlertRuleSetRow | undefined> {
  return db.selectFrom("alert_rule_sets").selectAll().where("version", "=", version).executeTakeFirst();
}

/** The published version, or undefined while the built-in rules apply. */
export function findPublishedRuleSet(db: Executor): Promise<AlertRuleSetRow | undefined> {
  return db.selectFrom("alert_rule_sets").selectAll().where("status", "=", "published").executeTakeFirst();
}

/** Inserts a draft with the next version number (call under `lockRuleSets`). */
export async function insertRuleSetDraft(
  trx: Executor,
  draft: { rules: unknown[]; comment: string | null; createdByUserId: string; at: Date },
): Promise<AlertRuleSetRow> {
  const last = await trx
    .selectFrom("alert_rule_sets")
    .select((eb) => eb.fn.max("version").as("version"))
    .executeTakeFirst();
  return trx
    .insertInto("alert_rule_sets")
    .values({
      version: Number(last?.version ?? 0) + 1,
      status: "draft",
      rules: JSON.stringify(draft.rules),
      comment: draft.comment,
      created_by_user_id: draft.createdByUserId,
      created_at: draft.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Replaces the rules and comment of a draft; undefined when the version is not a draft. */
export function updateRuleSetDraft(
  trx: Executor,
  version: number,
  draft: { rules: unknown[]; comment: string | null },
): Promise<AlertRuleSetRow | undefined> {
  return trx
    .updateTable("alert_rule_sets")
    .set({ rules: JSON.stringify(draft.rules), comment: draft.comment })
    .where("version", "=", version)
    .where("status", "=", "draft")
    .returningAll()
    .executeTakeFirst();
}

/**
 * Publishes a draft: the version published until now is retired first (one is published at a
 * time). Returns the retired version's number, if any.
 */
export async function publishRuleSet(
  trx: Executor,
  version: number,
  by: { userId: string; at: Date },
): Promise<{ published: AlertRuleSetRow; retired: number | null }> {
  const retired = await trx
    .updateTable("alert_rule_sets")
    .set({ status: "retired" })
    .where("status", "=", "published")
    .returning("version")
    .executeTakeFirst();
  const published = await trx
    .updateTable("alert_rule_sets")
    .set({ status: "published", published_by_user_id: by.userId, published_at: by.at })
    .where("version", "=", version)
    .where("status", "=", "draft")
    .returningAll()
    .executeTakeFirstOrThrow();
  return { published, retired: retired?.version ?? null };
}

/** Full names of users, by id (authors of versions). */
export async function userNames(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("users")
    .select(["id", "full_name"])
    .where("id", "in", [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.full_name]));
}

// ——— Contacts ———

/** Every address, by target, region and address. */
export function listContacts(db: Executor): Promise<AuthorityContactRow[]> {
  return db
    .selectFrom("authority_contacts")
    .selectAll()
    .orderBy("authority")
    .orderBy("region_code")
    .orderBy("email")
    .execute();
}

/** The addresses of a target (the ARS: of one region). */
export function listContactsFor(
  db: Executor,
  target: AlertTargetCode,
  regionCode: string | null,
): Promise<AuthorityContactRow[]> {
  let query = db.selectFrom("authority_contacts").selectAll().where("authority", "=", target);
  query =
    regionCode === null
      ? query.where("region_code", "is", null)
      : query.where("region_code", "=", regionCode);
  return query.orderBy("email").execute();
}

/** Adds an address; undefined when the same address is already there for this target. */
export function insertContact(
  db: Executor,
  contact: { authority: AlertTargetCode; region_code: string | null; email: string; label: string },
): Promise<AuthorityContactRow | undefined> {
  return db
    .insertInto("authority_contacts")
    .values(contact)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Deletes an address; the deleted row, or undefined. */
export function deleteContact(db: Executor, id: string): Promise<AuthorityContactRow | undefined> {
  return db.deleteFrom("authority_contacts").where("id", "=", id).returningAll().executeTakeFirst();
}

// ——— Notifications ———

export interface NewAuthorityNotification {
  incident_id: string;
  authority: AlertTargetCode;
  region_code: string | null;
  status: "sent" | "dismissed";
  rule_set_version: number | null;
  rule_ids: string[];
  automatic: boolean;
  recipients: string[];
  subject: string;
  body: string;
  facts: Record<string, unknown>;
  tlp: AuthorityNotificationRow["tlp"];
  mail_ids: string[];
  decided_by_user_id: string | null;
  decided_by_label: string;
  decided_at: Date;
  comment: string | null;
}

/** Stores a notification (in the caller's transaction, with its e-mails). */
export function insertNotification(
  trx: Executor,
  notification: NewAuthorityNotification,
): Promise<AuthorityNotificationRow> {
  return trx
    .insertInto("authority_notifications")
    .values({ ...notification, facts: JSON.stringify(notification.facts) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A case's notifications, oldest first. */
export function listNotifications(db: Executor, incidentId: string): Promise<AuthorityNotificationRow[]> {
  return db
    .selectFrom("authority_notifications")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .orderBy("decided_at")
    .orderBy("id")
    .execute();
}

/** One notification of a case, or undefined. */
export function findNotification(
  db: Executor,
  incidentId: string,
  id: string,
): Promise<AuthorityNotificationRow | undefined> {
  return db
    .selectFrom("authority_notifications")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** The outbox state of e-mails, by id. */
export async function listAlertMails(db: Executor, ids: readonly string[]): Promise<AlertMailRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom("mail_outbox")
    .select(["id", "to_address", "sent_at", "attempts", "last_error", "next_attempt_at"])
    .where("id", "in", [...ids])
    .execute();
}

/**
 * Puts unsent e-mails that failed at least once back in the queue, due now with their attempts
 * counted from zero. Returns the ids re-queued.
 */
export async function requeueFailedMails(trx: Executor, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await trx
    .updateTable("mail_outbox")
    .set({ attempts: 0, next_attempt_at: null, claimed_until: null, last_error: null })
    .where("id", "in", [...ids])
    .where("sent_at", "is", null)
    .where("last_error", "is not", null)
    .returning("id")
    .execute();
  return rows.map((r) => r.id);
}

// ——— Cases for the dry run ———

/** The columns the rules read. */
export type RuleFactsRow = Pick<
  Selectable<IncidentsTable>,
  | "id"
  | "reference"
  | "title"
  | "structure_snapshot"
  | "effective_origin"
  | "effective_malicious_types"
  | "effective_non_malicious_types"
  | "si_effect"
  | "effective_operational_impact"
  | "effective_patient_endangerment"
  | "effective_data_impacts"
  | "effective_data_types"
  | "out_of_scope"
  | "support_requested"
  | "other_sectors_risk"
>;

/** The most recently declared cases (every case: the dry run is the CERT's), newest first. */
export function listRecentCasesForRules(db: Executor, limit: number): Promise<RuleFactsRow[]> {
  return db
    .selectFrom("incidents")
    .select([
      "id",
      "reference",
      "title",
      "structure_snapshot",
      "effective_origin",
      "effective_malicious_types",
      "effective_non_malicious_types",
      "si_effect",
      "effective_operational_impact",
      "effective_patient_endangerment",
      "effective_data_impacts",
      "effective_data_types",
      "out_of_scope",
      "support_requested",
      "other_sectors_risk",
    ])
    .orderBy("declared_at", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}
