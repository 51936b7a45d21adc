import { sql } from "kysely";
import type { Executor } from "../executor.ts";
import type { AuthorityNotificationsTable } from "../schema.ts";
import type { IncidentStatus } from "./declarations.ts";
import { type IncidentVisibility, visibleIncidentIds } from "./incident-visibility.ts";

/** A national body an authority account belongs to (the ARS read through their region instead). */
export type NotifiedBody = Exclude<AuthorityNotificationsTable["authority"], "ars">;

/** A case an authority was told about: what of it the authority may know, and the sendings. */
export interface AuthorityCaseRow {
  incident_id: string;
  reference: string;
  structure_type: string | null;
  region_code: string | null;
  status: IncidentStatus;
  first_sent_at: Date;
  last_sent_at: Date;
  notifications: string;
}

/** One notification sent to a body, as stored when sent. */
export interface AuthoritySentRow {
  id: string;
  subject: string;
  body: string;
  decided_at: Date;
  tlp: AuthorityNotificationsTable["tlp"];
}

function sentTo(db: Executor, body: NotifiedBody) {
  return db
    .selectFrom("authority_notifications as n")
    .innerJoin("incidents as i", "i.id", "n.incident_id")
    .where("n.status", "=", "sent")
    .where("n.authority", "=", body);
}

function summaries(db: Executor, body: NotifiedBody) {
  return sentTo(db, body)
    .select([
      "n.incident_id",
      "i.reference",
      sql<string | null>`i.structure_snapshot->>'structureType'`.as("structure_type"),
      sql<string | null>`i.structure_snapshot->>'regionCode'`.as("region_code"),
      "i.status",
      (eb) => eb.fn.min("n.decided_at").as("first_sent_at"),
      (eb) => eb.fn.max("n.decided_at").as("last_sent_at"),
      (eb) => eb.fn.countAll<string>().as("notifications"),
    ])
    .groupBy(["n.incident_id", "i.id"]);
}

/**
 * The cases with at least one notification sent to a body, the most recently told first, and
 * how many there are.
 */
export async function listCasesSentTo(
  db: Executor,
  body: NotifiedBody,
  page: { limit: number; offset: number },
): Promise<{ rows: AuthorityCaseRow[]; total: number }> {
  // Sequential: PGlite serialises connections, and the caller may hold a transaction.
  const rows = await summaries(db, body)
    .orderBy("last_sent_at", "desc")
    .orderBy("i.reference", "desc")
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const counted = await sentTo(db, body)
    .select(sql<string>`count(distinct n.incident_id)`.as("n"))
    .executeTakeFirstOrThrow();
  return { rows: rows as AuthorityCaseRow[], total: Number(counted.n) };
}

/** One case as a body knows it, or undefined when nothing about it was sent to that body. */
export async function findCaseSentTo(
  db: Executor,
  body: NotifiedBody,
  incidentId: string,
): Promise<AuthorityCaseRow | undefined> {
  const row = await summaries(db, body).where("n.incident_id", "=", incidentId).executeTakeFirst();
  return row as AuthorityCaseRow | undefined;
}

/** Every notification sent to a body about a case, oldest first. */
export function listSentTo(
  db: Executor,
  body: NotifiedBody,
  incidentId: string,
): Promise<AuthoritySentRow[]> {
  return db
    .selectFrom("authority_notifications")
    .select(["id", "subject", "body", "decided_at", "tlp"])
    .where("incident_id", "=", incidentId)
    .where("authority", "=", body)
    .where("status", "=", "sent")
    .orderBy("decided_at")
    .orderBy("id")
    .execute();
}

/** The figures of a regional dashboard, as counted by the database. */
export interface RegionalFigures {
  declared: number;
  /** Twelve counts, January first. */
  byMonth: number[];
  careAffected: number;
  byStructureType: Record<string, number>;
  byOrigin: Record<string, number>;
  byOperationalImpact: Record<string, number>;
}

/**
 * Counts the declarations of a region (within a visibility: the ARS's hides some TLPs) declared
 * in [from, to), per month (the thirteen boundaries given, in order: months in Paris time are
 * computed by the caller), structure type (the snapshot's), effective origin (null:
 * "undetermined") and effective operational impact. Two aggregate queries.
 */
export async function regionalFigures(
  db: Executor,
  visibility: Extract<IncidentVisibility, { kind: "region" }>,
  monthStarts: readonly Date[],
): Promise<RegionalFigures> {
  const from = monthStarts[0];
  const to = monthStarts[monthStarts.length - 1];
  if (!from || !to || monthStarts.length !== 13) throw new Error("thirteen month boundaries expected");
  const visible = visibleIncidentIds(db, visibility);
  if (!visible) throw new Error("a region visibility always restricts");
  const base = db
    .selectFrom("incidents as i")
    .where("i.id", "in", visible)
    .where("i.declared_at", ">=", from)
    .where("i.declared_at", "<", to);
  const months = monthStarts
    .slice(0, 12)
    .map(
      (start, index) =>
        sql<string>`count(*) filter (where i.declared_at >= ${start} and i.declared_at < ${monthStarts[index + 1]})`,
    );
  const totals = await base
    .select([
      sql<string>`count(*)`.as("declared"),
      sql<string>`count(*) filter (where i.effective_operational_impact in ('degraded_care', 'care_interrupted'))`.as(
        "care_affected",
      ),
      sql<string[]>`array[${sql.join(months)}]::text[]`.as("by_month"),
    ])
    .executeTakeFirstOrThrow();
  // One pass for the three breakdowns: grouping() tells which dimension a line counts.
  const grouped = await base
    .select([
      sql<string | null>`i.structure_snapshot->>'structureType'`.as("structure_type"),
      sql<string>`coalesce(i.effective_origin, 'undetermined')`.as("origin"),
      "i.effective_operational_impact as operational_impact",
      sql<number>`grouping(i.structure_snapshot->>'structureType')`.as("g_type"),
      sql<number>`grouping(coalesce(i.effective_origin, 'undetermined'))`.as("g_origin"),
      sql<string>`count(*)`.as("n"),
    ])
    .groupBy(
      sql`grouping sets ((i.structure_snapshot->>'structureType'), (coalesce(i.effective_origin, 'undetermined')), (i.effective_operational_impact))`,
    )
    .execute();
  const figures: RegionalFigures = {
    declared: Number(totals.declared),
    byMonth: totals.by_month.map(Number),
    careAffected: Number(totals.care_affected),
    byStructureType: {},
    byOrigin: {},
    byOperationalImpact: {},
  };
  for (const row of grouped) {
    const n = Number(row.n);
    if (Number(row.g_type) === 0) figures.byStructureType[row.structure_type ?? "other"] = n;
    else if (Number(row.g_origin) === 0) figures.byOrigin[row.origin] = n;
    else figures.byOperationalImpact[row.operational_impact] = n;
  }
  return figures;
}
