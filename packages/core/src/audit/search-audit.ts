import type { AuditEntryView, AuditPageView } from "@vigie/contracts";
import { type AuditRow, auditRepo, type Executor } from "@vigie/db";

/** Filters of the audit screen; `actor` is a user id or the recorded actor label. */
export interface AuditSearch {
  actor?: string | undefined;
  action?: string | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  /** Id of the last entry of the previous page. */
  cursor?: string | undefined;
  limit: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An audit row as the screen, the API and the CLI show it. */
export function auditEntryView(row: AuditRow): AuditEntryView {
  return {
    id: String(row.id),
    occurredAt: new Date(row.occurred_at).toISOString(),
    actorUserId: row.actor_user_id,
    actorLabel: row.actor_label,
    action: row.action,
    outcome: row.outcome,
    objectType: row.object_type,
    objectId: row.object_id,
    ip: row.ip,
    details: row.details ?? {},
    hash: row.hash,
  };
}

/**
 * A page of the audit log, newest first. Reads one row more than asked to know whether
 * another page follows, so the last page says so without an extra round trip.
 */
export async function searchAuditLog(db: Executor, search: AuditSearch): Promise<AuditPageView> {
  const actor = search.actor?.trim();
  const rows = await auditRepo.searchAudit(
    db,
    {
      ...(actor && UUID.test(actor) ? { actorUserId: actor.toLowerCase() } : {}),
      ...(actor && !UUID.test(actor) ? { actorLabel: actor } : {}),
      ...(search.action ? { action: search.action } : {}),
      ...(search.objectType ? { objectType: search.objectType } : {}),
      ...(search.objectId ? { objectId: search.objectId } : {}),
      ...(search.cursor ? { beforeId: search.cursor } : {}),
    },
    search.limit + 1,
  );
  const page = rows.slice(0, search.limit);
  const last = page.at(-1);
  return {
    entries: page.map(auditEntryView),
    nextCursor: rows.length > search.limit && last ? String(last.id) : null,
  };
}
