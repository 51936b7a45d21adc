import { auditRepo, type Executor, type NewAuditRow } from "@vigie/db";
import stringify from "safe-stable-stringify";
import type { Actor } from "../access/policy.ts";
import { sha256 } from "../auth/secrets.ts";

/** Hash the chain starts from. */
export const AUDIT_GENESIS = "0".repeat(64);

/** What is being recorded; the actor is absent for anonymous events (failed login). */
export interface AuditEvent {
  actor?: Pick<Actor, "userId" | "email"> | null;
  /** Shown when there is no actor, e.g. the e-mail typed at a failed login, or "système". */
  actorLabel?: string;
  action: string;
  outcome?: NewAuditRow["outcome"];
  objectType?: string;
  objectId?: string;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/** The hash of an entry: the previous hash and the entry's canonical JSON. */
export function auditEntryHash(prevHash: string, entry: NewAuditRow): string {
  const canonical = stringify({
    occurred_at: new Date(entry.occurred_at).toISOString(),
    actor_user_id: entry.actor_user_id,
    actor_label: entry.actor_label,
    action: entry.action,
    outcome: entry.outcome,
    object_type: entry.object_type,
    object_id: entry.object_id,
    ip: entry.ip,
    details: entry.details,
  });
  return sha256(`${prevHash}\n${canonical}`);
}

/**
 * Appends an event to the tamper-evident audit log. Pass the transaction that changes the
 * data, so the entry commits (or rolls back) with it.
 */
export async function recordAudit(db: Executor, event: AuditEvent, now: Date = new Date()): Promise<void> {
  const entry: NewAuditRow = {
    occurred_at: now,
    actor_user_id: event.actor?.userId ?? null,
    actor_label: event.actor?.email ?? event.actorLabel ?? "système",
    action: event.action,
    outcome: event.outcome ?? "success",
    object_type: event.objectType ?? null,
    object_id: event.objectId ?? null,
    ip: event.ip ?? null,
    details: event.details ?? {},
  };
  if (db.isTransaction) {
    await auditRepo.appendAuditEntry(db, entry, auditEntryHash, AUDIT_GENESIS);
  } else {
    await db
      .transaction()
      .execute((trx) => auditRepo.appendAuditEntry(trx, entry, auditEntryHash, AUDIT_GENESIS));
  }
}
