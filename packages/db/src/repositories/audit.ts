import { sql } from "kysely";
import type { Executor } from "../executor.ts";

export interface AuditRow {
  id: string;
  occurred_at: Date;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  outcome: "success" | "failure" | "denied";
  object_type: string | null;
  object_id: string | null;
  ip: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export type NewAuditRow = Omit<AuditRow, "id" | "hash" | "prev_hash">;

/** Arbitrary constant: the advisory lock that serialises appends to the hash chain. */
const AUDIT_CHAIN_LOCK = 7_301_042;

/**
 * Appends one entry to the chain inside the caller's transaction: takes the chain lock,
 * reads the head, lets `hashOf` compute the entry's hash, inserts it and moves the head.
 */
export async function appendAuditEntry(
  trx: Executor,
  entry: NewAuditRow,
  hashOf: (prevHash: string, entry: NewAuditRow) => string,
  genesis: string,
): Promise<AuditRow> {
  // The lock is shared by every writer, so few statements run under it. The head is read by a
  // statement of its own, after the lock: in READ COMMITTED a statement's snapshot is taken when
  // it starts, so reading it in the locking statement could miss the previous writer's commit.
  await sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`.execute(trx);
  const head = await trx.selectFrom("audit_head").select(["last_hash"]).executeTakeFirst();
  const prevHash = head?.last_hash ?? genesis;
  const hash = hashOf(prevHash, entry);
  const row = await trx
    .with("entry", (db) =>
      db
        .insertInto("audit_log")
        .values({ ...entry, details: JSON.stringify(entry.details), prev_hash: prevHash, hash })
        .returningAll(),
    )
    .with("head", (db) =>
      db
        .insertInto("audit_head")
        .columns(["singleton", "last_id", "last_hash"])
        .expression((eb) => eb.selectFrom("entry").select([sql<boolean>`true`.as("singleton"), "id", "hash"]))
        .onConflict((oc) =>
          oc.column("singleton").doUpdateSet((eb) => ({
            last_id: eb.ref("excluded.last_id"),
            last_hash: eb.ref("excluded.last_hash"),
          })),
        ),
    )
    .selectFrom("entry")
    .selectAll()
    .executeTakeFirstOrThrow();
  return row as AuditRow;
}

/** Entries in chain order, a page at a time (for verification and export). */
export function auditPage(db: Executor, afterId: string | null, limit: number): Promise<AuditRow[]> {
  let query = db.selectFrom("audit_log").selectAll().orderBy("id", "asc").limit(limit);
  if (afterId !== null) query = query.where("id", ">", afterId);
  return query.execute() as Promise<AuditRow[]>;
}

/** The chain's head: the last entry's id and hash. */
export function auditHead(db: Executor): Promise<{ last_id: string; last_hash: string } | undefined> {
  return db.selectFrom("audit_head").select(["last_id", "last_hash"]).executeTakeFirst();
}

export interface AuditFilter {
  actorUserId?: string;
  /** The recorded label of the actor (e-mail, "système"), matched exactly. */
  actorLabel?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  beforeId?: string;
}

/** Newest entries first, filtered, for the audit screen. */
export function searchAudit(db: Executor, filter: AuditFilter, limit: number): Promise<AuditRow[]> {
  let query = db.selectFrom("audit_log").selectAll().orderBy("id", "desc").limit(limit);
  if (filter.actorUserId) query = query.where("actor_user_id", "=", filter.actorUserId);
  if (filter.actorLabel) query = query.where("actor_label", "=", filter.actorLabel);
  if (filter.action) query = query.where("action", "=", filter.action);
  if (filter.objectType) query = query.where("object_type", "=", filter.objectType);
  if (filter.objectId) query = query.where("object_id", "=", filter.objectId);
  if (filter.beforeId) query = query.where("id", "<", filter.beforeId);
  return query.execute() as Promise<AuditRow[]>;
}

/** How many entries the log holds (the total of a verification's progress bar). */
export async function countAudit(db: Executor): Promise<number> {
  const row = await db
    .selectFrom("audit_log")
    .select((eb) => eb.fn.countAll<string>().as("count"))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
