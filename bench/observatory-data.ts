/**
 * Bench-only bulk loader for the observatory: `structures` synthetic structures (all regions and
 * types, some OSE) and `count` incidents declared during one Paris year, in set-based SQL (one
 * statement per table). Values are spread by hashes of the row number so every indicator has
 * something to count: out of scope (with exercises), qualified and unqualified rows (effective
 * values from either side), multi-valued types, data impacts and types, degraded hours,
 * technical support, authorities, complements answered or not.
 */
import type { Executor } from "@vigie/db";
import { sql } from "kysely";

const TYPES = [
  "es_public",
  "es_public",
  "es_private_nonprofit",
  "es_private_forprofit",
  "army_hospital",
  "esms",
  "esms",
  "esms",
  "lbm",
  "radiotherapy",
  "grades",
  "other",
];
const REGIONS = [
  "01",
  "02",
  "03",
  "04",
  "06",
  "11",
  "24",
  "27",
  "28",
  "32",
  "44",
  "52",
  "53",
  "75",
  "76",
  "84",
  "93",
  "94",
];
const MALICIOUS = [
  "account_compromise",
  "malicious_message",
  "ransomware",
  "is_compromise",
  "data_leak",
  "malware",
  "vulnerability_exploitation",
  "denial_of_service",
  "defacement",
  "equipment_theft",
  "fraud",
  "other",
];
const NON_MALICIOUS = [
  "infrastructure_failure",
  "telecom_loss",
  "application_bug",
  "power_outage",
  "human_error",
  "other",
];
const DATA_IMPACTS = [
  "data_loss_or_unavailability",
  "personal_info_disclosure",
  "structure_data_disclosure",
  "data_integrity",
  "other",
];
const DATA_TYPES = ["personal_health", "personal_other", "technical_sensitive", "confidential_strategic"];
const IMPACTS = ["none", "degraded_support", "degraded_care", "care_interrupted"];
const CHANNELS = ["portal", "portal", "portal", "portal", "phone_oncall", "email", "other"];
const STATES = ["resolved", "in_progress", "support_needed", "unknown"];
const SI_EFFECTS = ["none", "low", "moderate", "important", "extreme"];
const REASONS = ["not_health_is", "exercise", "duplicate", "other"];

const arr = (values: readonly string[]) => sql`cast(${sql.val([...values])} as text[])`;

/** Inserts `count` synthetic structures (FINESS 99xxxxxxx, no check digit needed here). */
export async function bulkInsertStructures(db: Executor, count: number): Promise<void> {
  await sql`
    insert into structures (finess_et, name, structure_type, region_code, department_code, town, ose, search_text, source)
    select '99' || lpad(x::text, 7, '0'), 'Structure de banc ' || x,
      (${arr(TYPES)})[1 + abs(hashint4(x)) % ${TYPES.length}],
      (${arr(REGIONS)})[1 + abs(hashint4(x + 7)) % ${REGIONS.length}],
      '75', 'BANC', abs(hashint4(x + 13)) % 10 = 0, 'structure de banc ' || x, 'manual'
    from generate_series(1, ${count}) x
  `.execute(db);
}

/**
 * Inserts `count` incidents declared in [from, to), over the structures. Triggers are off for the
 * load (the full-text document of the case queue is not what the observatory reads).
 */
export async function bulkInsertIncidents(db: Executor, count: number, from: Date, to: Date): Promise<void> {
  const seconds = Math.floor((to.getTime() - from.getTime()) / 1000);
  const { n: structures } = await db
    .selectFrom("structures")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  // A constant modulus keeps the join below a hash join.
  const total = Number(structures);
  await db.transaction().execute(async (trx) => {
    await sql`set local session_replication_role = replica`.execute(trx);
    await insertIncidents(trx, count, from, seconds, total);
  });
}

async function insertIncidents(db: Executor, count: number, from: Date, seconds: number, total: number) {
  await sql`
    with s as (
      select row_number() over (order by finess_et) - 1 as n, * from structures
    ),
    g as (
      select x, abs(hashint4(x)) as h1, abs(hashint4(x + 1000003)) as h2, abs(hashint4(x + 2000003)) as h3,
        abs(hashint4(x + 3000017)) as h4,
        ${from}::timestamptz + (abs(hashint4(x + 4000037)) % ${seconds}) * interval '1 second' as at
      from generate_series(1, ${count}) x
    ),
    r as (
      select g.*, s.id as structure_id, s.finess_et, s.name, s.structure_type, s.region_code, s.ose,
        (g.h1 % 100) < 4 as oos,
        (g.h2 % 100) < 70 as qualified,
        case when g.h2 % 2 = 0 then 'malicious' when g.h2 % 5 = 1 then 'undetermined'
             when g.h2 % 7 = 3 then null else 'non_malicious' end as origin_value,
        case when (g.h3 % 10) < 4 then '{}'::text[]
             when (g.h3 % 10) < 6 then array['none']
             when (g.h3 % 10) < 9 then array[(${arr(DATA_IMPACTS)})[1 + (g.h3 / 10) % ${DATA_IMPACTS.length}]]
             else array[(${arr(DATA_IMPACTS)})[1 + (g.h3 / 10) % ${DATA_IMPACTS.length}],
                        (${arr(DATA_IMPACTS)})[1 + (g.h3 / 10 + 1) % ${DATA_IMPACTS.length}]] end as di,
        (${arr(IMPACTS)})[1 + (g.h4 / 7) % 4] as impact
      from g join s on s.n = g.h3 % ${total}
    ),
    q as (
      select r.*,
        case when r.origin_value = 'malicious' then
          case when r.h4 % 6 = 0 then array[(${arr(MALICIOUS)})[1 + r.h4 % 12], (${arr(MALICIOUS)})[1 + (r.h4 + 5) % 12]]
               else array[(${arr(MALICIOUS)})[1 + r.h4 % 12]] end
          else '{}'::text[] end as mt,
        case when r.origin_value = 'non_malicious' then array[(${arr(NON_MALICIOUS)})[1 + r.h4 % 6]]
          else '{}'::text[] end as nmt,
        case when cardinality(r.di) = 0 or r.di = array['none'] then '{}'::text[]
             when r.h1 % 4 = 0 then array[(${arr(DATA_TYPES)})[1 + r.h4 % 4], (${arr(DATA_TYPES)})[1 + (r.h4 + 1) % 4]]
             else array[(${arr(DATA_TYPES)})[1 + r.h4 % 4]] end as dt
      from r
    )
    insert into incidents (reference, idempotency_key, request_hash, channel, status, structure_id,
      structure_snapshot, standing, declarant_contact, title, description, detected_at, declared_at,
      state_at_declaration, support_requested, proposed_origin, proposed_malicious_types,
      proposed_non_malicious_types, operational_impact, degraded_mode_hours, patient_endangerment,
      data_impacts, data_types, out_of_hours, created_at, updated_at,
      out_of_scope, out_of_scope_reason, origin, malicious_types, non_malicious_types, si_effect,
      qualified_operational_impact, qualified_data_impacts, qualified_data_types,
      qualified_patient_endangerment, qualified_at, technical_support_provided, authorities_involved,
      complement_requested_at, complement_answered_at)
    select 'CS-B-' || lpad(q.x::text, 8, '0'), gen_random_uuid(), md5(q.x::text),
      (${arr(CHANNELS)})[1 + (q.h1 / 7) % ${CHANNELS.length}], 'closed', q.structure_id,
      jsonb_build_object('id', q.structure_id, 'finessEt', q.finess_et, 'name', q.name, 'town', 'BANC',
        'structureType', q.structure_type, 'regionCode', q.region_code, 'departmentCode', '75',
        'ose', q.ose, 'oiv', false, 'ghtCode', null, 'ghtSupport', false,
        'structures', jsonb_build_array(jsonb_build_object('id', q.structure_id, 'finessEt', q.finess_et,
          'name', q.name, 'town', 'BANC'))),
      'verified', '{}'::jsonb, 'Incident de banc', 'Description de banc.',
      q.at - interval '2 hours', q.at,
      (${arr(STATES)})[1 + (q.h2 / 11) % 4], (q.h1 / 13) % 100 < 28,
      q.origin_value, q.mt, q.nmt, q.impact,
      case when q.impact in ('degraded_care', 'care_interrupted') and q.h3 % 3 > 0 then (q.h4 % 200) / 2.0 end,
      (array['none', 'none', 'none', 'potential', 'actual'])[1 + (q.h2 / 13) % 5],
      q.di, q.dt, false, q.at, q.at,
      q.oos, case when q.oos then (${arr(REASONS)})[1 + (q.h1 / 100) % 4] end,
      case when q.qualified and not q.oos then q.origin_value end,
      case when q.qualified and not q.oos then q.mt else '{}' end,
      case when q.qualified and not q.oos then q.nmt else '{}' end,
      case when q.qualified and not q.oos and q.origin_value = 'malicious' then (${arr(SI_EFFECTS)})[1 + (q.h3 / 17) % 5] end,
      case when q.qualified and not q.oos then q.impact end,
      case when q.qualified and not q.oos then q.di else '{}' end,
      case when q.qualified and not q.oos then q.dt else '{}' end,
      case when q.qualified and not q.oos then (array['none', 'none', 'potential'])[1 + (q.h2 / 19) % 3] end,
      case when q.qualified then q.at + interval '2 days' end,
      (q.h4 / 23) % 100 < 15,
      case when (q.h4 / 29) % 100 < 3 then array['anssi'] when (q.h4 / 29) % 100 < 5 then array['anssi', 'fssi']
           when (q.h4 / 29) % 100 < 7 then array['fssi'] else '{}' end,
      case when (q.h1 / 31) % 100 < 10 then q.at + interval '1 day' end,
      case when (q.h1 / 31) % 100 < 8 then q.at + interval '3 days' end
    from q
  `.execute(db);
}
