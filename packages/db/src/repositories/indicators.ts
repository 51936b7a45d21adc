import type { Insertable, Selectable } from "kysely";
import type { Executor } from "../executor.ts";
import type { IncidentIndicatorsTable } from "../schema.ts";
import { type IncidentVisibility, visibleIncidentIds } from "./incident-visibility.ts";

export type IndicatorRow = Selectable<IncidentIndicatorsTable>;
export type NewIndicatorRow = Insertable<IncidentIndicatorsTable>;
export type IndicatorKind = IndicatorRow["kind"];

/** An indicator with the name of the analyst who added it by hand, if one did. */
export interface IndicatorWithAuthorRow extends IndicatorRow {
  added_by_name: string | null;
}

/** Another incident holding the same indicator (kind and value). */
export interface IndicatorCorrelationRow {
  kind: IndicatorKind;
  value: string;
  incident_id: string;
  reference: string;
  title: string;
  declared_at: Date;
}

/** A text waiting for extraction: an incident's title and description, or a message's body. */
export interface PendingIncidentText {
  id: string;
  title: string;
  description: string;
  declared_at: Date;
}

/** A message waiting for extraction. */
export interface PendingMessageText {
  id: string;
  incident_id: string;
  body: string;
  created_at: Date;
}

/** Incidents whose text has not been read for indicators yet, oldest first. */
export function listPendingIncidents(db: Executor, limit: number): Promise<PendingIncidentText[]> {
  return db
    .selectFrom("incidents")
    .select(["id", "title", "description", "declared_at"])
    .where("indicators_extracted_at", "is", null)
    .orderBy("created_at")
    .orderBy("id")
    .limit(limit)
    .execute();
}

/** Messages whose body has not been read for indicators yet, oldest first. */
export function listPendingMessages(db: Executor, limit: number): Promise<PendingMessageText[]> {
  return db
    .selectFrom("incident_messages")
    .select(["id", "incident_id", "body", "created_at"])
    .where("indicators_extracted_at", "is", null)
    .orderBy("created_at")
    .orderBy("id")
    .limit(limit)
    .execute();
}

/**
 * Inserts indicators, leaving alone those the incident already has (active or dismissed: a
 * dismissed false positive stays dismissed). Returns how many were new.
 */
export async function insertIndicatorsIfAbsent(
  trx: Executor,
  rows: readonly NewIndicatorRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  const inserted = await trx
    .insertInto("incident_indicators")
    .values([...rows])
    .onConflict((oc) => oc.columns(["incident_id", "kind", "value"]).doNothing())
    .returning("id")
    .execute();
  return inserted.length;
}

/** Marks an incident's text as read for indicators. */
export async function markIncidentExtracted(trx: Executor, incidentId: string, at: Date): Promise<void> {
  await trx
    .updateTable("incidents")
    .set({ indicators_extracted_at: at })
    .where("id", "=", incidentId)
    .execute();
}

/** Marks a message's body as read for indicators. */
export async function markMessageExtracted(trx: Executor, messageId: string, at: Date): Promise<void> {
  await trx
    .updateTable("incident_messages")
    .set({ indicators_extracted_at: at })
    .where("id", "=", messageId)
    .execute();
}

/** Puts an incident and its messages back in the extraction queue (e.g. after the extractor improved). */
export async function resetExtraction(db: Executor, incidentId: string): Promise<void> {
  await db
    .updateTable("incidents")
    .set({ indicators_extracted_at: null })
    .where("id", "=", incidentId)
    .execute();
  await db
    .updateTable("incident_messages")
    .set({ indicators_extracted_at: null })
    .where("incident_id", "=", incidentId)
    .execute();
}

/** An incident's active (not dismissed) indicators, in the order they were first seen. */
export function listActiveIndicators(db: Executor, incidentId: string): Promise<IndicatorWithAuthorRow[]> {
  return db
    .selectFrom("incident_indicators as ind")
    .leftJoin("users as u", "u.id", "ind.added_by_user_id")
    .selectAll("ind")
    .select("u.full_name as added_by_name")
    .where("ind.incident_id", "=", incidentId)
    .where("ind.deleted_at", "is", null)
    .orderBy("ind.first_seen_at")
    .orderBy("ind.kind")
    .orderBy("ind.value")
    .execute();
}

/** One indicator of an incident (active or dismissed), by kind and value. */
export function findIndicatorByValue(
  db: Executor,
  incidentId: string,
  kind: IndicatorKind,
  value: string,
): Promise<IndicatorRow | undefined> {
  return db
    .selectFrom("incident_indicators")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .where("kind", "=", kind)
    .where("value", "=", value)
    .executeTakeFirst();
}

/** One indicator of an incident by id. */
export function findIndicator(
  db: Executor,
  incidentId: string,
  id: string,
): Promise<IndicatorRow | undefined> {
  return db
    .selectFrom("incident_indicators")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .where("id", "=", id)
    .executeTakeFirst();
}

/** Inserts one indicator and returns it. */
export function insertIndicator(trx: Executor, row: NewIndicatorRow): Promise<IndicatorRow> {
  return trx.insertInto("incident_indicators").values(row).returningAll().executeTakeFirstOrThrow();
}

/** Brings back a dismissed indicator, now added by hand by an analyst. */
export function restoreIndicator(trx: Executor, id: string, userId: string): Promise<IndicatorRow> {
  return trx
    .updateTable("incident_indicators")
    .set({ deleted_at: null, deleted_by_user_id: null, added_by_user_id: userId })
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Dismisses an indicator (soft delete); returns false when it was already dismissed. */
export async function dismissIndicator(
  trx: Executor,
  id: string,
  userId: string,
  at: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable("incident_indicators")
    .set({ deleted_at: at, deleted_by_user_id: userId })
    .where("id", "=", id)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * The other incidents, within a visibility, that hold one of this incident's active indicators
 * (same kind and value, not dismissed there either), newest first.
 */
export async function listCorrelations(
  db: Executor,
  incidentId: string,
  visibility: IncidentVisibility,
): Promise<IndicatorCorrelationRow[]> {
  if (visibility.kind === "none") return [];
  let query = db
    .selectFrom("incident_indicators as mine")
    .innerJoin("incident_indicators as other", (join) =>
      join
        .onRef("other.kind", "=", "mine.kind")
        .onRef("other.value", "=", "mine.value")
        .onRef("other.incident_id", "<>", "mine.incident_id"),
    )
    .innerJoin("incidents as i", "i.id", "other.incident_id")
    .select(["mine.kind", "mine.value", "i.id as incident_id", "i.reference", "i.title", "i.declared_at"])
    .where("mine.incident_id", "=", incidentId)
    .where("mine.deleted_at", "is", null)
    .where("other.deleted_at", "is", null);
  const visible = visibleIncidentIds(db, visibility);
  if (visible) query = query.where("i.id", "in", visible);
  return query.orderBy("i.declared_at", "desc").orderBy("i.reference", "desc").execute();
}
