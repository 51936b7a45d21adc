import { type RawBuilder, sql, type Transaction } from "kysely";
import type { Executor } from "../executor.ts";
import type { Database } from "../schema.ts";

/**
 * The observatory's figures (`shared/spec/observatory.md`, decision 0010), counted by the
 * database over one Paris year's declarations (effective values) in three aggregate queries,
 * each one pass over the year's rows that PostgreSQL may run in parallel:
 *
 * 1. per declaring structure (the snapshot's FINESS, region, type and OSE flag, read from the
 *    JSON snapshot, so from the rows), the counts that need the structure; rolled up in the same
 *    statement into the breakdowns by region and type and the per-structure figures;
 * 2. the counts of the declaration and its qualification (FILTER aggregates), per distinct
 *    combination of the multi-valued fields — nationally an index-only scan of
 *    `incidents_observatory_idx` (migration 0013), which holds exactly these columns;
 * 3. the declarations per UTC hour: Paris offsets are whole hours, so each bucket is one Paris
 *    local hour, which the caller reads in Europe/Paris time (month, weekday, hour, holidays).
 *
 * The year's bounds and quarter starts are instants computed by the caller in Paris time.
 */
export interface ObservatoryPeriod {
  /** First instant of the year in Paris (inclusive). */
  from: Date;
  /** First instants of the 2nd, 3rd and 4th quarters in Paris. */
  quarterStarts: readonly [Date, Date, Date];
  /** First instant of the next year in Paris (exclusive). */
  to: Date;
  /** INSEE code: only declarations whose declaration-time structure was in that region. */
  region: string | null;
  /** The codes counted per single-valued dimension (every code of the taxonomy). */
  codes: {
    channel: readonly string[];
    state: readonly string[];
    operationalImpact: readonly string[];
  };
}

/** Counts of one breakdown: code → count (codes absent from the rows are absent here). */
export type CodeCounts = Record<string, number>;

/** A distinct combination of the multi-valued fields of in-scope incidents, and how many. */
export interface CodeCombination {
  dataImpacts: string[];
  dataTypes: string[];
  /** The malicious types when the effective origin is malicious, else null. */
  maliciousTypes: string[] | null;
  /** The non-malicious types when the effective origin is non-malicious, else null. */
  nonMaliciousTypes: string[] | null;
  technicalSupport: boolean;
  n: number;
}

/** What the database counts; the use case completes the maps and derives the shares. */
export interface ObservatoryFigures {
  declared: number;
  outOfScope: number;
  exercises: number;
  supportRequested: number;
  complementsRequested: number;
  byChannel: CodeCounts;
  byState: CodeCounts;
  byRegion: CodeCounts;
  byStructureType: CodeCounts;
  supportByStructureType: CodeCounts;
  /** Declarations per hour: the UTC hour's first instant (epoch ms) → count. */
  byUtcHour: Map<number, number>;
  // In scope.
  malicious: number;
  nonMalicious: number;
  maliciousByQuarter: number[];
  nonMaliciousByQuarter: number[];
  maliciousMajor: number;
  byOperationalImpact: CodeCounts;
  /** Sum and count of `degraded_mode_hours` over care-affected incidents that have it. */
  degradedHoursSum: number;
  degradedHoursCount: number;
  endangermentPotential: number;
  endangermentActual: number;
  combinations: CodeCombination[];
  // Per structure (the snapshot's FINESS ET; type and OSE as at its latest declaration).
  structures: number;
  esStructures: number;
  esmsStructures: number;
  severalStructures: number;
  esFourOrMoreStructures: number;
  oseStructures: number;
  technicalStructures: number;
  unansweredComplementStructures: number;
  anssiStructures: number;
  fssiStructures: number;
}

function yearRows(period: ObservatoryPeriod): RawBuilder<unknown> {
  const region =
    period.region === null ? sql`` : sql`and i.structure_snapshot->>'regionCode' = ${period.region}`;
  return sql`from incidents i where i.declared_at >= ${period.from} and i.declared_at < ${period.to} ${region}`;
}

/** `count(*) filter (where …) as name` (names are generated here, never from input). */
const counted = (name: string, condition: RawBuilder<unknown>) =>
  sql`count(*) filter (where ${condition}) as ${sql.raw(name)}`;

const inScope = sql`not i.out_of_scope`;
const careAffected = sql`i.effective_operational_impact in ('degraded_care', 'care_interrupted')`;

interface StructureLine {
  g_region: number;
  g_type: number;
  region: string | null;
  structure_type: string | null;
  n: string;
  support: string;
  complements: string;
  structures: Record<string, number | string> | string;
}

/**
 * Query 1, on the rows (the snapshot is JSON): per structure key — FINESS, region, type, OSE —
 * the counts that need the structure; rolled up into the breakdowns by region and type and the
 * per-structure figures. A structure's type and OSE flag are those of its latest declaration of
 * the period (a structure may change between two declarations; at the same second, ES and OSE
 * win).
 */
async function structureRollup(
  db: Executor,
  period: ObservatoryPeriod,
  esTypes: readonly string[],
): Promise<StructureLine[]> {
  const es = sql`cast(${sql.val([...esTypes])} as text[])`;
  const result = await sql<StructureLine>`
    with k as (
      select
        i.structure_snapshot->>'finessEt' as finess,
        i.structure_snapshot->>'regionCode' as region,
        i.structure_snapshot->>'structureType' as structure_type,
        coalesce(i.structure_snapshot->>'ose' = 'true', false) as ose,
        max(i.declared_at) as latest,
        count(*) as n,
        count(*) filter (where i.support_requested) as support,
        count(*) filter (where i.complement_requested_at is not null) as complements,
        count(*) filter (where i.complement_requested_at is not null and i.complement_answered_at is null) as unanswered,
        count(*) filter (where i.technical_support_provided) as technical,
        count(*) filter (where 'anssi' = any(i.authorities_involved)) as anssi,
        count(*) filter (where 'fssi' = any(i.authorities_involved)) as fssi
      ${yearRows(period)}
      group by 1, 2, 3, 4
    ),
    -- Per structure; its latest declaration's kind (2: ES, 1: ESMS, 0: other) and OSE flag packed
    -- with the instant in one number, so that max() finds them without sorting.
    s as (
      select finess, sum(n) as n,
        max(cast(extract(epoch from latest) as bigint) * 8
          + case when structure_type = any(${es}) then 4 when structure_type = 'esms' then 2 else 0 end
          + case when ose then 1 else 0 end) as latest,
        bool_or(technical > 0) as technical,
        bool_or(unanswered > 0) as unanswered,
        bool_or(anssi > 0) as anssi,
        bool_or(fssi > 0) as fssi
      from k where finess is not null group by finess
    ),
    st as (
      select
        count(*) as structures,
        count(*) filter (where latest % 8 >= 4) as es,
        count(*) filter (where latest % 8 in (2, 3)) as esms,
        count(*) filter (where n >= 2) as several,
        count(*) filter (where n >= 4 and latest % 8 >= 4) as es_four_or_more,
        count(*) filter (where latest % 2 = 1) as ose,
        count(*) filter (where technical) as technical,
        count(*) filter (where unanswered) as unanswered,
        count(*) filter (where anssi) as anssi,
        count(*) filter (where fssi) as fssi
      from s
    )
    select grouping(region) as g_region, grouping(structure_type) as g_type, region, structure_type,
      sum(n) as n, sum(support) as support, sum(complements) as complements,
      (select row_to_json(st) from st) as structures
    from k
    group by grouping sets ((region), (structure_type), ())
  `.execute(db);
  return result.rows;
}

interface CombinationLine {
  origin: string | null;
  data_impacts: string[] | null;
  data_types: string[] | null;
  types: string[] | null;
  technical: boolean;
  [column: string]: unknown;
}

/**
 * Query 2, on the columns of `incidents_observatory_idx` (an index-only scan nationally): the
 * counts of the declaration and its qualification as FILTER aggregates, per effective origin
 * (null: out of scope) and distinct combination of the multi-valued fields (few: most hold one
 * code) — the types being the malicious or non-malicious ones, as the origin says.
 */
async function qualificationCounts(db: Executor, period: ObservatoryPeriod): Promise<CombinationLine[]> {
  const { codes } = period;
  const [q2, q3, q4] = period.quarterStarts;
  const filters: Array<[string, RawBuilder<unknown>]> = [
    ...codes.channel.map((code, k): [string, RawBuilder<unknown>] => [
      `channel_${k}`,
      sql`i.channel = ${code}`,
    ]),
    ...codes.state.map((code, k): [string, RawBuilder<unknown>] => [
      `state_${k}`,
      sql`i.state_at_declaration = ${code}`,
    ]),
    ...codes.operationalImpact.map((code, k): [string, RawBuilder<unknown>] => [
      `impact_${k}`,
      sql`i.effective_operational_impact = ${code}`,
    ]),
    ["exercises", sql`i.out_of_scope_reason = 'exercise'`],
    ["major", sql`i.si_effect in ('important', 'extreme')`],
    ["potential", sql`i.effective_patient_endangerment = 'potential'`],
    ["actual", sql`i.effective_patient_endangerment = 'actual'`],
    ["degraded_count", sql`${careAffected} and i.degraded_mode_hours is not null`],
    ["quarter_0", sql`i.declared_at < ${q2}`],
    ["quarter_1", sql`i.declared_at >= ${q2} and i.declared_at < ${q3}`],
    ["quarter_2", sql`i.declared_at >= ${q3} and i.declared_at < ${q4}`],
    ["quarter_3", sql`i.declared_at >= ${q4}`],
  ];
  const result = await sql<CombinationLine>`
    select
      case when ${inScope} then coalesce(i.effective_origin, 'undetermined') end as origin,
      case when ${inScope} then i.effective_data_impacts end as data_impacts,
      case when ${inScope} then i.effective_data_types end as data_types,
      case when ${inScope} then
        case i.effective_origin
          when 'malicious' then i.effective_malicious_types
          when 'non_malicious' then i.effective_non_malicious_types
        end
      end as types,
      i.technical_support_provided as technical,
      count(*) as n,
      ${sql.join(filters.map(([name, condition]) => counted(name, condition)))},
      sum(i.degraded_mode_hours) filter (where ${careAffected}) as degraded_sum
    ${yearRows(period)}
    group by 1, 2, 3, 4, 5
  `.execute(db);
  return result.rows;
}

/** Query 3: declarations per UTC hour (epoch hour → count). */
async function declarationsPerHour(db: Executor, period: ObservatoryPeriod): Promise<Map<number, number>> {
  const result = await sql<{ hour: string | number; n: string }>`
    select floor(date_part('epoch', i.declared_at) / 3600) as hour, count(*) as n
    ${yearRows(period)}
    group by 1
  `.execute(db);
  return new Map(result.rows.map((row) => [Number(row.hour) * 3_600_000, Number(row.n)]));
}

const num = (value: unknown): number => Number(value ?? 0);

/**
 * Counts the figures of the observatory for a period (a Paris year, nationally or one region).
 * Runs in a transaction (the caller's, or its own) with settings for this one reading: JIT off
 * (compiling these wide aggregates costs more than running them), room for the hash aggregates
 * in memory, parallel workers welcome.
 */
export async function observatoryFigures(
  db: Executor,
  period: ObservatoryPeriod,
  esTypes: readonly string[],
): Promise<ObservatoryFigures> {
  const run = async (trx: Executor): Promise<ObservatoryFigures> => {
    // Restored at the end: in the caller's transaction, later statements keep their settings.
    const saved = await sql<Record<(typeof TUNED_SETTINGS)[number], string>>`
      select ${sql.join(TUNED_SETTINGS.map((name) => sql`current_setting(${name}) as ${sql.ref(name)}`))}
    `.execute(trx);
    const previous = saved.rows[0];
    await tune(trx, {
      jit: "off",
      work_mem: "256MB",
      // The planner cannot know how few groups these keys form (structures, combinations of
      // codes): guessing hundreds of thousands, it would not split the passes between workers.
      parallel_setup_cost: "10",
      parallel_tuple_cost: "0.001",
    });
    // Sequential: PGlite serialises connections, and a transaction is one connection anyway.
    const structures = await structureRollup(trx, period, esTypes);
    const qualification = await qualificationCounts(trx, period);
    // A million hours would be gathered raw from parallel workers (the planner cannot tell they
    // fold into 8 760): one process counts them faster.
    await tune(trx, { max_parallel_workers_per_gather: "0" });
    const byUtcHour = await declarationsPerHour(trx, period);
    if (previous) await tune(trx, previous);
    return assemble(period, structures, qualification, byUtcHour);
  };
  return db.isTransaction ? run(db) : db.transaction().execute((trx: Transaction<Database>) => run(trx));
}

/** Planner settings changed for the observatory's reading, within its transaction only. */
const TUNED_SETTINGS = [
  "jit",
  "work_mem",
  "parallel_setup_cost",
  "parallel_tuple_cost",
  "max_parallel_workers_per_gather",
] as const;

async function tune(
  trx: Executor,
  settings: Partial<Record<(typeof TUNED_SETTINGS)[number], string>>,
): Promise<void> {
  const entries = Object.entries(settings);
  // set_config(…, true) is SET LOCAL: it ends with the transaction at the latest.
  await sql`select ${sql.join(entries.map(([name, value]) => sql`set_config(${name}, ${value}, true)`))}`.execute(
    trx,
  );
}

function assemble(
  period: ObservatoryPeriod,
  structureLines: readonly StructureLine[],
  qualificationLines: readonly CombinationLine[],
  byUtcHour: Map<number, number>,
): ObservatoryFigures {
  const byRegion: CodeCounts = {};
  const byStructureType: CodeCounts = {};
  const supportByStructureType: CodeCounts = {};
  let total: StructureLine | undefined;
  for (const line of structureLines) {
    // grouping(x) is 0 when the line is grouped by x; the () line has both flags set.
    if (num(line.g_region) === 0) {
      if (line.region !== null) byRegion[line.region] = num(line.n);
    } else if (num(line.g_type) === 0) {
      if (line.structure_type !== null) {
        byStructureType[line.structure_type] = num(line.n);
        supportByStructureType[line.structure_type] = num(line.support);
      }
    } else {
      total = line;
    }
  }
  if (!total) throw new Error("the () grouping set always yields a line");
  const raw = total.structures;
  const st = (typeof raw === "string" ? JSON.parse(raw) : raw) as Record<string, number | string>;

  // The qualification lines: per origin (null: out of scope) and combination of fields.
  const inScopeLines = qualificationLines.filter((line) => line.origin !== null);
  const sum = (column: string, lines: readonly CombinationLine[] = qualificationLines) =>
    lines.reduce((acc, line) => acc + num(line[column]), 0);
  const ofOrigin = (origin: string) => inScopeLines.filter((line) => line.origin === origin);
  const codeCounts = (
    codes: readonly string[],
    prefix: string,
    lines?: readonly CombinationLine[],
  ): CodeCounts => Object.fromEntries(codes.map((code, k) => [code, sum(`${prefix}_${k}`, lines)]));
  const quarters = (lines: readonly CombinationLine[]) => [0, 1, 2, 3].map((k) => sum(`quarter_${k}`, lines));
  const combinations: CodeCombination[] = inScopeLines.map((line) => ({
    dataImpacts: line.data_impacts ?? [],
    dataTypes: line.data_types ?? [],
    maliciousTypes: line.origin === "malicious" ? (line.types ?? []) : null,
    nonMaliciousTypes: line.origin === "non_malicious" ? (line.types ?? []) : null,
    technicalSupport: line.technical,
    n: num(line.n),
  }));
  return {
    declared: num(total.n),
    outOfScope: sum(
      "n",
      qualificationLines.filter((line) => line.origin === null),
    ),
    exercises: sum("exercises"),
    supportRequested: num(total.support),
    complementsRequested: num(total.complements),
    byChannel: codeCounts(period.codes.channel, "channel"),
    byState: codeCounts(period.codes.state, "state"),
    byRegion,
    byStructureType,
    supportByStructureType,
    byUtcHour,
    malicious: sum("n", ofOrigin("malicious")),
    nonMalicious: sum("n", ofOrigin("non_malicious")),
    maliciousByQuarter: quarters(ofOrigin("malicious")),
    nonMaliciousByQuarter: quarters(ofOrigin("non_malicious")),
    maliciousMajor: sum("major", ofOrigin("malicious")),
    byOperationalImpact: codeCounts(period.codes.operationalImpact, "impact", inScopeLines),
    degradedHoursSum: sum("degraded_sum", inScopeLines),
    degradedHoursCount: sum("degraded_count", inScopeLines),
    endangermentPotential: sum("potential", inScopeLines),
    endangermentActual: sum("actual", inScopeLines),
    combinations,
    structures: num(st.structures),
    esStructures: num(st.es),
    esmsStructures: num(st.esms),
    severalStructures: num(st.several),
    esFourOrMoreStructures: num(st.es_four_or_more),
    oseStructures: num(st.ose),
    technicalStructures: num(st.technical),
    unansweredComplementStructures: num(st.unanswered),
    anssiStructures: num(st.anssi),
    fssiStructures: num(st.fssi),
  };
}

/** A regional activity reference with its shares (numeric: read as numbers). */
export interface ActivityReferenceRow {
  id: string;
  reference_year: number;
  source: string;
  loaded_at: Date;
  loaded_by_user_id: string | null;
  loaded_by_name: string | null;
  shares: Record<string, number>;
}

async function withShares(
  db: Executor,
  references: Omit<ActivityReferenceRow, "shares">[],
): Promise<ActivityReferenceRow[]> {
  if (references.length === 0) return [];
  const shares = await db
    .selectFrom("region_activity_shares")
    .select(["reference_id", "region_code", "share"])
    .where(
      "reference_id",
      "in",
      references.map((r) => r.id),
    )
    .orderBy("region_code")
    .execute();
  return references.map((reference) => ({
    ...reference,
    shares: Object.fromEntries(
      shares.filter((s) => s.reference_id === reference.id).map((s) => [s.region_code, Number(s.share)]),
    ),
  }));
}

function referencesQuery(db: Executor) {
  return db
    .selectFrom("region_activity_references as r")
    .leftJoin("users as u", "u.id", "r.loaded_by_user_id")
    .select([
      "r.id",
      "r.reference_year",
      "r.source",
      "r.loaded_at",
      "r.loaded_by_user_id",
      "u.full_name as loaded_by_name",
    ]);
}

/**
 * The CERT's own activity of a year (decision 0011): alerts first published in it (national: an
 * alert is for every region) and distinct structures sent a watch notification in it (of the
 * region, by the directory's current region, when one is given).
 */
export async function certActivityFigures(
  db: Executor,
  period: { from: Date; to: Date; region: string | null },
): Promise<{ alertsPublished: number; structuresAlerted: number }> {
  const alerts = await db
    .selectFrom("publications")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("kind", "=", "alert")
    .where("first_published_at", ">=", period.from)
    .where("first_published_at", "<", period.to)
    .executeTakeFirstOrThrow();
  let alerted = db
    .selectFrom("watch_notifications as n")
    .innerJoin("structures as s", "s.id", "n.structure_id")
    .select(sql<string>`count(distinct n.structure_id)`.as("n"))
    .where("n.sent_at", ">=", period.from)
    .where("n.sent_at", "<", period.to);
  if (period.region !== null) alerted = alerted.where("s.region_code", "=", period.region);
  const structures = await alerted.executeTakeFirstOrThrow();
  return { alertsPublished: Number(alerts.n), structuresAlerted: Number(structures.n) };
}

/** Every activity reference loaded, the most recent reference year first. */
export async function listActivityReferences(db: Executor): Promise<ActivityReferenceRow[]> {
  return withShares(db, await referencesQuery(db).orderBy("r.reference_year", "desc").execute());
}

/**
 * The reference an observatory year uses (decision 0010): the latest whose reference year is
 * ≤ the year, else the oldest loaded; undefined when none is loaded.
 */
export async function activityReferenceFor(
  db: Executor,
  year: number,
): Promise<ActivityReferenceRow | undefined> {
  const row = await referencesQuery(db)
    .orderBy(sql`r.reference_year <= ${year}`, "desc")
    .orderBy(sql`case when r.reference_year <= ${year} then -r.reference_year else r.reference_year end`)
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  const [withRows] = await withShares(db, [row]);
  return withRows;
}

/** Replaces the reference of a year (its shares with it) by the one given; returns its id. */
export async function replaceActivityReference(
  db: Executor,
  reference: {
    referenceYear: number;
    source: string;
    loadedAt: Date;
    loadedByUserId: string | null;
    shares: Record<string, number>;
  },
): Promise<string> {
  await db
    .deleteFrom("region_activity_references")
    .where("reference_year", "=", reference.referenceYear)
    .execute();
  const { id } = await db
    .insertInto("region_activity_references")
    .values({
      reference_year: reference.referenceYear,
      source: reference.source,
      loaded_at: reference.loadedAt,
      loaded_by_user_id: reference.loadedByUserId,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const shares = Object.entries(reference.shares);
  if (shares.length > 0) {
    await db
      .insertInto("region_activity_shares")
      .values(shares.map(([region_code, share]) => ({ reference_id: id, region_code, share: String(share) })))
      .execute();
  }
  return id;
}
