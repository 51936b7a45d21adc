import { type Kysely, sql } from "kysely";

/**
 * The observatory (decision 0010) counts a year's declarations in a few aggregate passes. The
 * counts of the declaration and its qualification read only the columns below: covered by this
 * index, the national pass is an index-only scan of narrow tuples instead of the wide rows
 * (`bench/observatory.ts`: 1 000 000 declarations in a year). The per-structure pass still reads
 * the rows, for the JSON snapshot.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create index incidents_observatory_idx on incidents (declared_at) include (
      channel, state_at_declaration, out_of_scope, out_of_scope_reason, si_effect, degraded_mode_hours,
      technical_support_provided, effective_origin, effective_operational_impact,
      effective_patient_endangerment, effective_data_impacts, effective_data_types,
      effective_malicious_types, effective_non_malicious_types)
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index incidents_observatory_idx`.execute(db);
}
