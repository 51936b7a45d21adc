import { type Insertable, type Selectable, sql } from "kysely";
import type { Executor } from "../executor.ts";
import type { AttachmentBlobsTable, AttachmentsTable } from "../schema.ts";
import { type IncidentVisibility, visibleIncidentIds } from "./incident-visibility.ts";

export type AttachmentRow = Selectable<AttachmentsTable>;
export type AttachmentBlobRow = Selectable<AttachmentBlobsTable>;

/** Which incidents a reader may see, mirroring core's structure scope. */
/** Stores an encrypted blob and its metadata row together (call inside a transaction). */
export async function insertAttachment(
  db: Executor,
  blob: Insertable<AttachmentBlobsTable>,
  attachment: Omit<Insertable<AttachmentsTable>, "blob_id">,
): Promise<AttachmentRow> {
  const { id: blobId } = await db
    .insertInto("attachment_blobs")
    .values(blob)
    .returning("id")
    .executeTakeFirstOrThrow();
  return db
    .insertInto("attachments")
    .values({ ...attachment, blob_id: blobId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Serialises uploads under one key until the transaction ends (limits are checked under it). */
export async function lockPendingKey(db: Executor, pendingKey: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`attachments:${pendingKey}`}, 0))`.execute(db);
}

/** Number and total size of the uploads still pending under a key. */
export async function pendingTotals(
  db: Executor,
  pendingKey: string,
): Promise<{ count: number; bytes: number }> {
  const row = await db
    .selectFrom("attachments")
    .select([sql<string>`count(*)`.as("count"), sql<string>`coalesce(sum(size_bytes), 0)`.as("bytes")])
    .where("pending_key", "=", pendingKey)
    .where("incident_id", "is", null)
    .executeTakeFirstOrThrow();
  return { count: Number(row.count), bytes: Number(row.bytes) };
}

/** One attachment's metadata, or undefined. */
export function findAttachment(db: Executor, id: string): Promise<AttachmentRow | undefined> {
  return db.selectFrom("attachments").selectAll().where("id", "=", id).executeTakeFirst();
}

/** The pending uploads of a key, oldest first. */
export function listPending(db: Executor, pendingKey: string): Promise<AttachmentRow[]> {
  return db
    .selectFrom("attachments")
    .selectAll()
    .where("pending_key", "=", pendingKey)
    .where("incident_id", "is", null)
    .orderBy("uploaded_at")
    .orderBy("id")
    .execute();
}

/** Moves every pending upload of a key onto an incident; returns them. */
export function claimPending(db: Executor, pendingKey: string, incidentId: string): Promise<AttachmentRow[]> {
  return db
    .updateTable("attachments")
    .set({ pending_key: null, incident_id: incidentId })
    .where("pending_key", "=", pendingKey)
    .where("incident_id", "is", null)
    .returningAll()
    .execute();
}

/** Locks the given attachments (still pending ones only) so two messages cannot take the same file. */
export function lockPendingByIds(db: Executor, ids: readonly string[]): Promise<AttachmentRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("attachments")
    .selectAll()
    .where("id", "in", ids)
    .where("incident_id", "is", null)
    .forUpdate()
    .execute();
}

/** Moves pending uploads onto an incident and one of its messages. */
export function attachPendingToMessage(
  db: Executor,
  ids: readonly string[],
  incidentId: string,
  messageId: string,
): Promise<AttachmentRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .updateTable("attachments")
    .set({ pending_key: null, incident_id: incidentId, message_id: messageId })
    .where("id", "in", ids)
    .where("incident_id", "is", null)
    .returningAll()
    .execute();
}

/** Deletes a pending upload (and its blob) when the key matches; true when one was removed. */
export async function deletePending(db: Executor, id: string, pendingKey: string): Promise<boolean> {
  const removed = await db
    .deleteFrom("attachments")
    .where("id", "=", id)
    .where("pending_key", "=", pendingKey)
    .where("incident_id", "is", null)
    .returning("blob_id")
    .executeTakeFirst();
  if (!removed) return false;
  await db.deleteFrom("attachment_blobs").where("id", "=", removed.blob_id).execute();
  return true;
}

/** Deletes pending uploads older than the cut-off, and their blobs; returns how many. */
export async function purgePendingBefore(db: Executor, cutoff: Date): Promise<number> {
  const removed = await db
    .deleteFrom("attachments")
    .where("incident_id", "is", null)
    .where("uploaded_at", "<", cutoff)
    .returning("blob_id")
    .execute();
  if (removed.length === 0) return 0;
  await db
    .deleteFrom("attachment_blobs")
    .where(
      "id",
      "in",
      removed.map((r) => r.blob_id),
    )
    .execute();
  return removed.length;
}

/** Attachments of an incident, in upload order. */
export function listForIncident(db: Executor, incidentId: string): Promise<AttachmentRow[]> {
  return db
    .selectFrom("attachments")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .orderBy("uploaded_at")
    .orderBy("id")
    .execute();
}

/**
 * An attachment of an incident the reader may see, or undefined (unknown, still pending, or
 * out of scope — callers answer 404 to all three alike).
 */
export async function findVisibleAttachment(
  db: Executor,
  id: string,
  visibility: IncidentVisibility,
): Promise<AttachmentRow | undefined> {
  if (visibility.kind === "none") return undefined;
  let query = db
    .selectFrom("attachments as a")
    .innerJoin("incidents as i", "i.id", "a.incident_id")
    .selectAll("a")
    .where("a.id", "=", id);
  const visible = visibleIncidentIds(db, visibility);
  if (visible) query = query.where("a.incident_id", "in", visible);
  return query.executeTakeFirst();
}

/** An attachment of the incident a follow-up link opens, or undefined. */
export function findAttachmentOfIncident(
  db: Executor,
  id: string,
  incidentId: string,
): Promise<AttachmentRow | undefined> {
  return db
    .selectFrom("attachments")
    .selectAll()
    .where("id", "=", id)
    .where("incident_id", "=", incidentId)
    .executeTakeFirst();
}

/** The encrypted contents of an attachment. */
export function findBlob(db: Executor, blobId: string): Promise<AttachmentBlobRow | undefined> {
  return db.selectFrom("attachment_blobs").selectAll().where("id", "=", blobId).executeTakeFirst();
}
