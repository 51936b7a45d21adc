import { type RawBuilder, sql } from "kysely";
import type { Executor } from "../executor.ts";

// Bulk import and export of incidents in `vigie.incident/1` (decision 0010). Rows travel as one
// JSON parameter per batch (`json_populate_recordset` over the table's own row type): a batch of
// a thousand rows is one statement and one parameter, whatever the number of columns.

/**
 * An imported record as the repository writes it (timestamps as ISO strings, lists as arrays).
 * Each value is sent once: the declared columns and the CERT's qualification both receive it.
 */
export interface ImportedIncidentRow {
  id: string;
  reference: string;
  idempotency_key: string;
  request_hash: string;
  channel: string;
  structure_id: string;
  structure_snapshot: Record<string, unknown>;
  title: string;
  description: string;
  detected_at: string | null;
  declared_at: string;
  state_at_declaration: string;
  support_requested: boolean;
  out_of_scope: boolean;
  out_of_scope_reason: string | null;
  origin: string | null;
  malicious_types: string[];
  non_malicious_types: string[];
  si_effect: string | null;
  data_impacts: string[];
  data_types: string[];
  /** Null is kept as the qualification; the declared column (required) then says `none`. */
  operational_impact: string | null;
  degraded_mode_hours: number | null;
  patient_endangerment: string | null;
  affected_systems: string[];
  persons_affected: number | null;
  filings: string[];
  technical_support_provided: boolean;
  authorities_involved: string[];
  complement_requested_at: string | null;
  complement_answered_at: string | null;
  event_id: string | null;
  tlp: string;
  out_of_hours: boolean;
  /**
   * The incident's search text folded as `vigie_search_fold` does (title, description, the
   * snapshot's structures): the import writes `incident_search` itself, one statement per batch.
   */
  search_text: string;
}

/** What the import's batch shares: its time (created, imported, qualified, closed) and author. */
export interface ImportBatch {
  at: Date;
  qualifiedByUserId: string | null;
}

// Each field travels under a short key (`f0`, `f1`…) with its SQL type: the JSON of a batch of
// two thousand rows stays small, and PostgreSQL parses it once (`json_to_recordset`).
const FIELDS = [
  ["id", "uuid"],
  ["reference", "text"],
  ["idempotency_key", "uuid"],
  ["request_hash", "text"],
  ["channel", "text"],
  ["structure_id", "uuid"],
  ["structure_snapshot", "jsonb"],
  ["title", "text"],
  ["description", "text"],
  ["detected_at", "timestamptz"],
  ["declared_at", "timestamptz"],
  ["state_at_declaration", "text"],
  ["support_requested", "boolean"],
  ["out_of_scope", "boolean"],
  ["out_of_scope_reason", "text"],
  ["origin", "text"],
  ["malicious_types", "text[]"],
  ["non_malicious_types", "text[]"],
  ["si_effect", "text"],
  ["data_impacts", "text[]"],
  ["data_types", "text[]"],
  ["operational_impact", "text"],
  ["degraded_mode_hours", "numeric"],
  ["patient_endangerment", "text"],
  ["affected_systems", "text[]"],
  ["persons_affected", "integer"],
  ["filings", "text[]"],
  ["technical_support_provided", "boolean"],
  ["authorities_involved", "text[]"],
  ["complement_requested_at", "timestamptz"],
  ["complement_answered_at", "timestamptz"],
  ["event_id", "uuid"],
  ["tlp", "text"],
  ["out_of_hours", "boolean"],
  ["search_text", "text"],
] as const satisfies ReadonlyArray<readonly [keyof ImportedIncidentRow, string]>;
type Field = (typeof FIELDS)[number][0];

const KEY = new Map<Field, string>(FIELDS.map(([field], i) => [field, `f${i}`]));
const IS_LIST = new Set<string>(FIELDS.filter(([, type]) => type === "text[]").map(([field]) => field));
/** `f0 uuid, f1 text, …`: the columns of `json_to_recordset`. */
const RECORDSET_COLUMNS = sql.raw(FIELDS.map(([, type], i) => `f${i} ${type}`).join(", "));

/** The value of a field in the batch's row `r` (an absent list is an empty one). */
function field(name: Field): RawBuilder<unknown> {
  const ref = sql.ref(`r.${KEY.get(name)}`);
  return IS_LIST.has(name) ? sql`coalesce(${ref}, '{}')` : sql`${ref}`;
}

/** Incident column ← value of the batch's row `r`. */
function recordColumns(): Array<[string, RawBuilder<unknown>]> {
  const direct: Field[] = [
    "channel",
    "structure_id",
    "structure_snapshot",
    "title",
    "description",
    "detected_at",
    "declared_at",
    "state_at_declaration",
    "support_requested",
    "affected_systems",
    "degraded_mode_hours",
    "persons_affected",
    "filings",
    "tlp",
    "out_of_hours",
    "out_of_scope",
    "out_of_scope_reason",
    "si_effect",
    "technical_support_provided",
    "authorities_involved",
    "complement_requested_at",
    "complement_answered_at",
    "event_id",
    "request_hash",
  ];
  return [
    ...direct.map((name): [string, RawBuilder<unknown>] => [name, field(name)]),
    // Declared and qualified alike, so the effective values are the record's.
    ["proposed_origin", field("origin")],
    ["origin", field("origin")],
    ["proposed_malicious_types", field("malicious_types")],
    ["malicious_types", field("malicious_types")],
    ["proposed_non_malicious_types", field("non_malicious_types")],
    ["non_malicious_types", field("non_malicious_types")],
    ["operational_impact", sql`coalesce(${field("operational_impact")}, 'none')`],
    ["qualified_operational_impact", field("operational_impact")],
    ["data_impacts", field("data_impacts")],
    ["qualified_data_impacts", field("data_impacts")],
    ["data_types", field("data_types")],
    ["qualified_data_types", field("data_types")],
    ["patient_endangerment", field("patient_endangerment")],
    ["qualified_patient_endangerment", field("patient_endangerment")],
  ];
}

/** The batch as one JSON array under the short keys; null values and empty lists are left out. */
function batchJson(rows: readonly ImportedIncidentRow[]): string {
  const compact = rows.map((row) => {
    const out: Record<string, unknown> = {};
    FIELDS.forEach(([name], i) => {
      const value = row[name];
      if (value === null || (Array.isArray(value) && value.length === 0)) return;
      out[`f${i}`] = value;
    });
    return out;
  });
  return JSON.stringify(compact);
}

/**
 * Inserts imported incidents (closed, anonymous, qualified at the batch's time) with their
 * structure link and their search document, in one statement. The per-row search refresh steps
 * aside for that statement (`vigie.bulk_import`, migration 0012): the documents are written from
 * `search_text` in the same statement. Call within a transaction.
 */
export async function insertImportedIncidents(
  trx: Executor,
  rows: readonly ImportedIncidentRow[],
  batch: ImportBatch,
): Promise<void> {
  if (rows.length === 0) return;
  const mapped = recordColumns();
  const at = batch.at.toISOString();
  await sql`select set_config('vigie.bulk_import', 'on', true)`.execute(trx);
  await sql`
    with r as materialized (
      select * from json_to_recordset(${batchJson(rows)}::json) as r(${RECORDSET_COLUMNS})
    ), ins as (
      insert into incidents (id, reference, idempotency_key, status, standing, declarant_contact,
        created_at, updated_at, imported_at, qualified_at, first_qualified_at, closed_at,
        qualified_by_user_id, ${sql.join(mapped.map(([c]) => sql.ref(c)))})
      select ${field("id")}, ${field("reference")}, ${field("idempotency_key")}, 'closed', 'anonymous', '{}'::jsonb,
        ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz,
        ${at}::timestamptz, ${at}::timestamptz, ${batch.qualifiedByUserId}::uuid,
        ${sql.join(mapped.map(([, e]) => e))}
      from r
      returning id, structure_id
    ), links as (
      insert into incident_structures (incident_id, structure_id, position)
      select id, structure_id, 0 from ins
    )
    insert into incident_search (incident_id, document)
    select ins.id, to_tsvector('simple', ${field("search_text")})
    from r join ins on ins.id = ${field("id")}
  `.execute(trx);
  await sql`select set_config('vigie.bulk_import', 'off', true)`.execute(trx);
}

/**
 * Overwrites incidents (by reference) with imported records: every column of the format, the
 * declared values and the qualification; the status and the handling are left as they are. The
 * structure concerned becomes the record's, alone. The search documents follow by trigger.
 */
export async function updateImportedIncidents(
  trx: Executor,
  rows: readonly ImportedIncidentRow[],
  batch: ImportBatch,
): Promise<void> {
  if (rows.length === 0) return;
  const at = batch.at.toISOString();
  const assignments = sql.join(recordColumns().map(([c, e]) => sql`${sql.ref(c)} = ${e}`));
  const updated = await sql<{ id: string; structure_id: string }>`
    update incidents i set ${assignments}, updated_at = ${at}::timestamptz,
      imported_at = ${at}::timestamptz, qualified_at = ${at}::timestamptz,
      qualified_by_user_id = ${batch.qualifiedByUserId}::uuid,
      first_qualified_at = coalesce(i.first_qualified_at, ${at}::timestamptz)
    from json_to_recordset(${batchJson(rows)}::json) as r(${RECORDSET_COLUMNS})
    where i.reference = ${field("reference")}
    returning i.id, i.structure_id
  `.execute(trx);
  const ids = updated.rows.map((r) => r.id);
  if (ids.length === 0) return;
  await trx.deleteFrom("incident_structures").where("incident_id", "in", ids).execute();
  await trx
    .insertInto("incident_structures")
    .values(updated.rows.map((r) => ({ incident_id: r.id, structure_id: r.structure_id, position: 0 })))
    .execute();
}

/** What the export (and the comparison of a re-imported record) reads of an incident. */
export interface ExchangeIncidentRow {
  id: string;
  reference: string;
  declared_at: Date;
  detected_at: Date | null;
  channel: string;
  structure_snapshot: Record<string, unknown> | string;
  out_of_scope: boolean;
  out_of_scope_reason: string | null;
  state_at_declaration: string;
  support_requested: boolean;
  effective_origin: string | null;
  effective_malicious_types: string[];
  effective_non_malicious_types: string[];
  si_effect: string | null;
  effective_data_impacts: string[];
  effective_data_types: string[];
  effective_operational_impact: string | null;
  degraded_mode_hours: string | null;
  effective_patient_endangerment: string | null;
  affected_systems: string[];
  persons_affected: number | null;
  filings: string[];
  technical_support_provided: boolean;
  authorities_involved: string[];
  complement_requested_at: Date | null;
  complement_answered_at: Date | null;
  event_reference: string | null;
  tlp: string;
  title: string;
  description: string;
}

function exchangeRows(db: Executor) {
  return db
    .selectFrom("incidents as i")
    .leftJoin("events as e", "e.id", "i.event_id")
    .select([
      "i.id",
      "i.reference",
      "i.declared_at",
      "i.detected_at",
      "i.channel",
      "i.structure_snapshot",
      "i.out_of_scope",
      "i.out_of_scope_reason",
      "i.state_at_declaration",
      "i.support_requested",
      "i.effective_origin",
      "i.effective_malicious_types",
      "i.effective_non_malicious_types",
      "i.si_effect",
      "i.effective_data_impacts",
      "i.effective_data_types",
      "i.effective_operational_impact",
      "i.degraded_mode_hours",
      "i.effective_patient_endangerment",
      "i.affected_systems",
      "i.persons_affected",
      "i.filings",
      "i.technical_support_provided",
      "i.authorities_involved",
      "i.complement_requested_at",
      "i.complement_answered_at",
      "e.reference as event_reference",
      "i.tlp",
      "i.title",
      "i.description",
    ]);
}

/** The incidents having these references, as the export reads them. */
export async function findExchangeRowsByReferences(
  db: Executor,
  references: readonly string[],
): Promise<ExchangeIncidentRow[]> {
  if (references.length === 0) return [];
  const rows = await exchangeRows(db)
    .where("i.reference", "in", [...references])
    .execute();
  return rows as ExchangeIncidentRow[];
}

/** Where the export starts reading after: the last row of the previous page. */
export interface ExchangeCursor {
  /** `declared_at` as PostgreSQL wrote it (full precision), from `cursor_at`. */
  declaredAt: string;
  reference: string;
}

/**
 * One page of the incidents declared in [from, to), optionally in one region (the snapshot's),
 * ordered by declared_at then reference, after the cursor.
 */
export async function listExchangeRows(
  db: Executor,
  filter: { from: Date; to: Date; region?: string | null | undefined },
  after: ExchangeCursor | null,
  limit: number,
): Promise<Array<ExchangeIncidentRow & { cursor_at: string }>> {
  let query = exchangeRows(db)
    .where("i.declared_at", ">=", filter.from)
    .where("i.declared_at", "<", filter.to);
  if (filter.region) {
    query = query.where(sql<string>`i.structure_snapshot->>'regionCode'`, "=", filter.region);
  }
  if (after) {
    query = query.where(
      sql<boolean>`(i.declared_at, i.reference) > (${after.declaredAt}::timestamptz, ${after.reference})`,
    );
  }
  const rows = await query
    .select(sql<string>`i.declared_at::text`.as("cursor_at"))
    .orderBy("i.declared_at")
    .orderBy("i.reference")
    .limit(limit)
    .execute();
  return rows as Array<ExchangeIncidentRow & { cursor_at: string }>;
}

/** A directory structure as an import needs it. */
export interface ExchangeStructureRow {
  id: string;
  finess_et: string;
  town: string | null;
}

/** Directory structures by FINESS ET. */
export function findStructuresByFiness(
  db: Executor,
  finessEts: readonly string[],
): Promise<ExchangeStructureRow[]> {
  if (finessEts.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("structures")
    .select(["id", "finess_et", "town"])
    .where("finess_et", "in", [...finessEts])
    .execute();
}

/** A structure absent from the directory, created from an imported record (`source = 'import'`). */
export interface NewImportedStructure {
  finess_et: string;
  name: string;
  structure_type: string;
  region_code: string;
  department_code: string | null;
  ght_code: string | null;
  ght_support: boolean;
  ose: boolean;
  oiv: boolean;
  search_text: string;
}

/** Creates the structures (a FINESS already present is left alone) and returns those created. */
export async function insertImportedStructures(
  trx: Executor,
  rows: readonly NewImportedStructure[],
  now: Date,
): Promise<ExchangeStructureRow[]> {
  if (rows.length === 0) return [];
  return trx
    .insertInto("structures")
    .values(rows.map((r) => ({ ...r, source: "import", created_at: now, updated_at: now })))
    .onConflict((oc) => oc.column("finess_et").doNothing())
    .returning(["id", "finess_et", "town"])
    .execute();
}

/** Events by reference. */
export function findEventsByReferences(
  db: Executor,
  references: readonly string[],
): Promise<Array<{ id: string; reference: string }>> {
  if (references.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("events")
    .select(["id", "reference"])
    .where("reference", "in", [...references])
    .execute();
}

/** An event named by imported records and absent: created with its reference as is. */
export interface NewImportedEvent {
  reference: string;
  title: string;
  status: "open" | "closed";
  created_at: Date;
}

/** Creates events under the references given and returns them. */
export async function insertImportedEvents(
  trx: Executor,
  rows: readonly NewImportedEvent[],
  createdByUserId: string | null,
  now: Date,
): Promise<Array<{ id: string; reference: string }>> {
  if (rows.length === 0) return [];
  return trx
    .insertInto("events")
    .values(
      rows.map((r) => ({
        reference: r.reference,
        title: r.title,
        status: r.status,
        created_by_user_id: createdByUserId,
        created_at: r.created_at,
        updated_at: now,
      })),
    )
    .returning(["id", "reference"])
    .execute();
}

/** The highest number seen per year, for a sequence counter. */
export interface CounterFloor {
  year: number;
  value: number;
}

async function raiseCounters(
  trx: Executor,
  table: "reference_counters" | "event_reference_counters",
  floors: readonly CounterFloor[],
): Promise<void> {
  if (floors.length === 0) return;
  await trx
    .insertInto(table)
    .values(floors.map((f) => ({ year: f.year, last_value: f.value })))
    .onConflict((oc) =>
      oc.column("year").doUpdateSet({
        last_value: sql<number>`greatest(${sql.ref(`${table}.last_value`)}, excluded.last_value)`,
      }),
    )
    .execute();
}

/** Raises the yearly declaration counters so the next portal reference comes after these. */
export function raiseReferenceCounters(trx: Executor, floors: readonly CounterFloor[]): Promise<void> {
  return raiseCounters(trx, "reference_counters", floors);
}

/** Raises the yearly event counters so the next event reference comes after these. */
export function raiseEventCounters(trx: Executor, floors: readonly CounterFloor[]): Promise<void> {
  return raiseCounters(trx, "event_reference_counters", floors);
}
