import { type Insertable, type Selectable, sql } from "kysely";
import type { Executor } from "../executor.ts";
import type {
  AuditAuthorisationsTable,
  AuditPerimetersTable,
  ExposureAuditFindingsTable,
  ExposureAuditsTable,
} from "../schema.ts";

/**
 * Cybersurveillance audits (0017): perimeters, authorisations, certificate-transparency names,
 * audits and their findings. Address ranges are read as text (`192.0.2.0/24`).
 */

export type PerimeterRow = Omit<Selectable<AuditPerimetersTable>, "networks"> & {
  networks: string[];
  structure_name: string;
  ct_names: number;
};
export type AuthorisationRow = Omit<Selectable<AuditAuthorisationsTable>, "networks"> & {
  networks: string[];
  granted_by_email: string;
};
export type ExposureAuditRow = Selectable<ExposureAuditsTable> & { structure_name: string };
export type ExposureFindingRow = Selectable<ExposureAuditFindingsTable>;
export type NewExposureFindingRow = Insertable<ExposureAuditFindingsTable>;

const PENDING = ["scheduled", "running"] as const;

/** Serialises the checks of overlapping ranges between structures until the transaction ends. */
export async function lockPerimeters(trx: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('vigie.audits.perimeters'))`.execute(trx);
}

function perimeters(db: Executor) {
  return db
    .selectFrom("audit_perimeters as p")
    .innerJoin("structures as s", "s.id", "p.structure_id")
    .select([
      "p.structure_id",
      "p.domains",
      sql<string[]>`p.networks::text[]`.as("networks"),
      "p.default_credentials_opt_in",
      "p.filtering_mailbox",
      "p.status",
      "p.submitted_at",
      "p.submitted_by_user_id",
      "p.review_note",
      "p.updated_at",
      "s.name as structure_name",
      sql<number>`(select count(*)::int from audit_ct_names c where c.structure_id = p.structure_id)`.as(
        "ct_names",
      ),
    ]);
}

/** A structure's perimeter, or undefined when it never declared one. */
export function findPerimeter(db: Executor, structureId: string): Promise<PerimeterRow | undefined> {
  return perimeters(db).where("p.structure_id", "=", structureId).executeTakeFirst();
}

/** Perimeters by status (all when none), within these structures (all when undefined). */
export function listPerimeters(
  db: Executor,
  filter: { status?: string | undefined; structureIds?: readonly string[] | undefined },
): Promise<PerimeterRow[]> {
  let query = perimeters(db);
  if (filter.status) query = query.where("p.status", "=", filter.status as PerimeterRow["status"]);
  if (filter.structureIds) {
    if (filter.structureIds.length === 0) return Promise.resolve([]);
    query = query.where("p.structure_id", "in", filter.structureIds);
  }
  return query.orderBy("p.submitted_at", "asc").orderBy("s.name").execute();
}

/** Writes a structure's perimeter (insert or replace). */
export async function savePerimeter(
  db: Executor,
  row: {
    structure_id: string;
    domains: string[];
    networks: string[];
    default_credentials_opt_in: boolean;
    filtering_mailbox: string | null;
    status: AuditPerimetersTable["status"];
    submitted_at: Date | null;
    submitted_by_user_id: string | null;
    review_note: string | null;
    updated_at: Date;
  },
): Promise<void> {
  const values = {
    ...row,
    networks: sql<string[]>`${row.networks}::cidr[]`,
  };
  await db
    .insertInto("audit_perimeters")
    .values(values as never)
    .onConflict((oc) => oc.column("structure_id").doUpdateSet(values as never))
    .execute();
}

/** Changes a perimeter's status (and review note); false when there is no perimeter. */
export async function setPerimeterStatus(
  db: Executor,
  structureId: string,
  changes: {
    status: AuditPerimetersTable["status"];
    review_note: string | null;
    updated_at: Date;
    submitted_at?: Date | null;
    submitted_by_user_id?: string | null;
  },
): Promise<boolean> {
  const result = await db
    .updateTable("audit_perimeters")
    .set(changes)
    .where("structure_id", "=", structureId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A range owned by another structure's audit perimeter (validated) or authorisation in force. */
export interface PerimeterOverlapRow {
  structure_id: string;
  structure_name: string;
  structure_finess: string;
  network: string;
}

/**
 * The ranges of other structures' validated perimeters and authorisations in force (`today`,
 * Paris date) overlapping `network` (`&&`: either contains the other).
 */
export async function findOverlappingPerimeterRanges(
  db: Executor,
  network: string,
  exceptStructureId: string,
  today: string,
): Promise<PerimeterOverlapRow[]> {
  const result = await sql<PerimeterOverlapRow>`
    select distinct x.structure_id, s.name as structure_name, s.finess_et as structure_finess, x.network
    from (
      select p.structure_id, n::text as network
      from audit_perimeters p, unnest(p.networks) n
      where p.status = 'validated' and n && ${network}::cidr
      union all
      select a.structure_id, n::text as network
      from audit_authorisations a, unnest(a.networks) n
      where a.revoked_at is null and a.valid_until >= ${today}::date and n && ${network}::cidr
    ) x
    join structures s on s.id = x.structure_id
    where x.structure_id <> ${exceptStructureId}
    order by x.network`.execute(db);
  return result.rows;
}

function authorisations(db: Executor) {
  return db
    .selectFrom("audit_authorisations as a")
    .innerJoin("users as u", "u.id", "a.granted_by_user_id")
    .select([
      "a.id",
      "a.structure_id",
      "a.domains",
      sql<string[]>`a.networks::text[]`.as("networks"),
      "a.default_credentials",
      "a.reference",
      "a.granted_by_user_id",
      "a.granted_at",
      "a.valid_until",
      "a.revoked_at",
      "a.revoked_by_user_id",
      "u.email as granted_by_email",
    ]);
}

/** Records an authorisation on a perimeter snapshot; returns its id. */
export async function insertAuthorisation(
  db: Executor,
  row: {
    structure_id: string;
    domains: string[];
    networks: string[];
    default_credentials: boolean;
    reference: string;
    granted_by_user_id: string;
    granted_at: Date;
    valid_until: string;
  },
): Promise<string> {
  const inserted = await db
    .insertInto("audit_authorisations")
    .values({ ...row, networks: sql<string[]>`${row.networks}::cidr[]` } as never)
    .returning("id")
    .executeTakeFirstOrThrow();
  return inserted.id;
}

/** The authorisation in force on `today` (not revoked, not past its end): the latest granted. */
export function findAuthorisationInForce(
  db: Executor,
  structureId: string,
  today: string,
): Promise<AuthorisationRow | undefined> {
  return authorisations(db)
    .where("a.structure_id", "=", structureId)
    .where("a.revoked_at", "is", null)
    .where(sql<boolean>`a.valid_until >= ${today}::date`)
    .orderBy("a.granted_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** The structure's most recent authorisation, whatever its state. */
export function findLatestAuthorisation(
  db: Executor,
  structureId: string,
): Promise<AuthorisationRow | undefined> {
  return authorisations(db)
    .where("a.structure_id", "=", structureId)
    .orderBy("a.granted_at", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** One authorisation by id. */
export function findAuthorisationById(db: Executor, id: string): Promise<AuthorisationRow | undefined> {
  return authorisations(db).where("a.id", "=", id).executeTakeFirst();
}

/** Revokes every authorisation of the structure not yet revoked; returns how many. */
export async function revokeAuthorisations(
  db: Executor,
  structureId: string,
  now: Date,
  userId: string | null,
): Promise<number> {
  const result = await db
    .updateTable("audit_authorisations")
    .set({ revoked_at: now, revoked_by_user_id: userId })
    .where("structure_id", "=", structureId)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

// ---------------------------------------------------------------------------------------------
// Certificate transparency names

/** Adds or refreshes names (first seen kept earliest, last seen latest). */
export async function upsertCtNames(
  db: Executor,
  rows: readonly {
    structure_id: string;
    name: string;
    first_seen: string | null;
    last_seen: string | null;
    issuer: string | null;
    imported_at: Date;
  }[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += 1000) {
    const batch = rows.slice(start, start + 1000);
    await db
      .insertInto("audit_ct_names")
      .values([...batch])
      .onConflict((oc) =>
        oc.columns(["structure_id", "name"]).doUpdateSet({
          first_seen: sql`least(audit_ct_names.first_seen, excluded.first_seen)`,
          last_seen: sql`greatest(audit_ct_names.last_seen, excluded.last_seen)`,
          issuer: sql`coalesce(excluded.issuer, audit_ct_names.issuer)`,
          imported_at: sql`excluded.imported_at`,
        }),
      )
      .execute();
  }
}

/** The imported names of a structure. */
export async function listCtNames(db: Executor, structureId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("audit_ct_names")
    .select("name")
    .where("structure_id", "=", structureId)
    .orderBy("name")
    .execute();
  return rows.map((r) => r.name);
}

// ---------------------------------------------------------------------------------------------
// Audits

/** A structure with an authorisation in force and no audit waiting or running. */
export interface SchedulableRow {
  structure_id: string;
  authorisation_id: string;
  granted_at: Date;
  valid_until: string;
  /** End of the last succeeded audit. */
  last_succeeded_at: Date | null;
  /** End of the last failed audit, when it is the most recent finished one. */
  last_failed_at: Date | null;
}

/** The structures to schedule an audit for on `today` (Paris date). */
export async function listSchedulable(db: Executor, today: string): Promise<SchedulableRow[]> {
  const result = await sql<{
    structure_id: string;
    authorisation_id: string;
    granted_at: Date | string;
    valid_until: string;
    last_succeeded_at: Date | string | null;
    last_finished_at: Date | string | null;
    last_status: string | null;
  }>`
    select a.structure_id, a.id as authorisation_id, a.granted_at, a.valid_until::text as valid_until,
      (select max(e.finished_at) from exposure_audits e
        where e.structure_id = a.structure_id and e.status = 'succeeded') as last_succeeded_at,
      l.finished_at as last_finished_at, l.status as last_status
    from (
      select distinct on (structure_id) *
      from audit_authorisations
      where revoked_at is null and valid_until >= ${today}::date
      order by structure_id, granted_at desc
    ) a
    left join lateral (
      select f.finished_at, f.status from exposure_audits f
      where f.structure_id = a.structure_id and f.status in ('succeeded', 'failed')
      order by f.finished_at desc nulls last limit 1
    ) l on true
    where not exists (
      select 1 from exposure_audits p
      where p.structure_id = a.structure_id and p.status in ('scheduled', 'running')
    )
    order by a.structure_id`.execute(db);
  return result.rows.map((r) => ({
    structure_id: r.structure_id,
    authorisation_id: r.authorisation_id,
    granted_at: new Date(r.granted_at),
    valid_until: String(r.valid_until).slice(0, 10),
    last_succeeded_at: r.last_succeeded_at ? new Date(r.last_succeeded_at) : null,
    last_failed_at: r.last_status === "failed" && r.last_finished_at ? new Date(r.last_finished_at) : null,
  }));
}

/**
 * Creates a scheduled audit unless the structure already has one waiting or running (the
 * unique partial index settles races); returns its id, or undefined when one was there.
 */
export async function insertScheduledAudit(
  db: Executor,
  row: {
    structure_id: string;
    authorisation_id: string | null;
    scheduled_for: Date;
    requested_by_user_id: string | null;
    created_at: Date;
  },
): Promise<string | undefined> {
  const inserted = await db
    .insertInto("exposure_audits")
    .values({ ...row, status: "scheduled" })
    .onConflict((oc) =>
      oc
        .column("structure_id")
        .where("status", "in", [...PENDING])
        .doNothing(),
    )
    .returning("id")
    .executeTakeFirst();
  return inserted?.id;
}

function audits(db: Executor) {
  return db
    .selectFrom("exposure_audits as e")
    .innerJoin("structures as s", "s.id", "e.structure_id")
    .selectAll("e")
    .select("s.name as structure_name");
}

/** One audit with its structure's name. */
export function findAudit(db: Executor, id: string): Promise<ExposureAuditRow | undefined> {
  return audits(db).where("e.id", "=", id).executeTakeFirst();
}

/** The audit waiting or running for a structure. */
export function findPendingAudit(db: Executor, structureId: string): Promise<ExposureAuditRow | undefined> {
  return audits(db)
    .where("e.structure_id", "=", structureId)
    .where("e.status", "in", [...PENDING])
    .executeTakeFirst();
}

/** Moves a waiting audit to `at` (a CERT request). */
export async function rescheduleAudit(
  db: Executor,
  id: string,
  at: Date,
  requestedBy: string | null,
): Promise<boolean> {
  const result = await db
    .updateTable("exposure_audits")
    .set({ scheduled_for: at, requested_by_user_id: requestedBy })
    .where("id", "=", id)
    .where("status", "=", "scheduled")
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Cancels the structure's waiting audit (revocation); returns how many. */
export async function cancelScheduledAudits(
  db: Executor,
  structureId: string,
  now: Date,
  reason: string,
): Promise<number> {
  const result = await db
    .updateTable("exposure_audits")
    .set({ status: "cancelled", finished_at: now, error: reason })
    .where("structure_id", "=", structureId)
    .where("status", "=", "scheduled")
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Claims the earliest due audit (scheduled for `now` or before) not of these structures:
 * scheduled → running by a conditional update, skipping rows another worker holds.
 */
export async function claimDueAudit(
  db: Executor,
  now: Date,
  options: { exceptStructureIds: readonly string[]; structureId?: string | undefined },
): Promise<ExposureAuditRow | undefined> {
  const except = options.exceptStructureIds.length > 0 ? [...options.exceptStructureIds] : [];
  const result = await sql<{ id: string }>`
    update exposure_audits set status = 'running', started_at = ${now}
    where id = (
      select id from exposure_audits
      where status = 'scheduled' and scheduled_for <= ${now}
        and not (structure_id = any(${except}::uuid[]))
        ${options.structureId ? sql`and structure_id = ${options.structureId}` : sql``}
      order by scheduled_for, created_at
      limit 1
      for update skip locked
    ) and status = 'scheduled'
    returning id`.execute(db);
  const id = result.rows[0]?.id;
  return id ? findAudit(db, id) : undefined;
}

/** The structure's last succeeded audit before `before` (creation time). */
export function findLastSucceededAudit(
  db: Executor,
  structureId: string,
  exceptId?: string,
): Promise<ExposureAuditRow | undefined> {
  let query = audits(db).where("e.structure_id", "=", structureId).where("e.status", "=", "succeeded");
  if (exceptId) query = query.where("e.id", "<>", exceptId);
  return query.orderBy("e.finished_at", "desc").limit(1).executeTakeFirst();
}

/** Writes an audit's outcome. */
export async function finishAudit(
  db: Executor,
  id: string,
  changes: {
    status: "succeeded" | "failed" | "cancelled";
    finished_at: Date;
    authorisation_id?: string | null;
    previous_audit_id?: string | null;
    scanner?: unknown;
    summary?: unknown;
    exposure?: unknown;
    out_of_perimeter?: unknown;
    error?: string | null;
  },
): Promise<void> {
  const json = (value: unknown) => (value === undefined ? undefined : JSON.stringify(value));
  await db
    .updateTable("exposure_audits")
    .set({
      status: changes.status,
      finished_at: changes.finished_at,
      ...(changes.authorisation_id !== undefined ? { authorisation_id: changes.authorisation_id } : {}),
      ...(changes.previous_audit_id !== undefined ? { previous_audit_id: changes.previous_audit_id } : {}),
      ...(changes.scanner !== undefined ? { scanner: json(changes.scanner) as string } : {}),
      ...(changes.summary !== undefined ? { summary: json(changes.summary) as string } : {}),
      ...(changes.exposure !== undefined ? { exposure: json(changes.exposure) as string } : {}),
      ...(changes.out_of_perimeter !== undefined
        ? { out_of_perimeter: json(changes.out_of_perimeter) as string }
        : {}),
      ...(changes.error !== undefined ? { error: changes.error } : {}),
    })
    .where("id", "=", id)
    .execute();
}

/** Filters of the audit list. */
export interface AuditListFilter {
  structureIds?: readonly string[] | undefined;
  status?: string | undefined;
}

/** One page of audits, most recent first, and the total. */
export async function listAudits(
  db: Executor,
  filter: AuditListFilter,
  page: { offset: number; limit: number },
): Promise<{ rows: ExposureAuditRow[]; total: number }> {
  const where = <Q extends ReturnType<typeof audits>>(query: Q): Q => {
    let q = query;
    if (filter.structureIds) {
      if (filter.structureIds.length === 0) return q.where(sql<boolean>`false`) as Q;
      q = q.where("e.structure_id", "in", filter.structureIds) as Q;
    }
    if (filter.status) q = q.where("e.status", "=", filter.status as ExposureAuditRow["status"]) as Q;
    return q;
  };
  const rows = await where(audits(db))
    .orderBy(sql`coalesce(e.finished_at, e.started_at, e.scheduled_for)`, "desc")
    .orderBy("e.created_at", "desc")
    .offset(page.offset)
    .limit(page.limit)
    .execute();
  let countQuery = db.selectFrom("exposure_audits as e").select((eb) => eb.fn.countAll<string>().as("n"));
  if (filter.structureIds) {
    countQuery =
      filter.structureIds.length === 0
        ? countQuery.where(sql<boolean>`false`)
        : countQuery.where("e.structure_id", "in", filter.structureIds);
  }
  if (filter.status)
    countQuery = countQuery.where("e.status", "=", filter.status as ExposureAuditRow["status"]);
  const count = await countQuery.executeTakeFirstOrThrow();
  return { rows, total: Number(count.n) };
}

// ---------------------------------------------------------------------------------------------
// Findings

/** Inserts an audit's findings. */
export async function insertFindings(db: Executor, rows: readonly NewExposureFindingRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += 1000) {
    await db
      .insertInto("exposure_audit_findings")
      .values([...rows.slice(start, start + 1000)])
      .execute();
  }
}

/** The findings of an audit. */
export function listFindings(db: Executor, auditId: string): Promise<ExposureFindingRow[]> {
  return db
    .selectFrom("exposure_audit_findings")
    .select([
      "id",
      "audit_id",
      "structure_id",
      "finding_key",
      "check_code",
      "category",
      "severity",
      "title",
      "evidence",
      "remediation",
      "domain",
      "host",
      sql<string | null>`host(ip)`.as("ip"),
      "port",
      "ticket_id",
    ])
    .where("audit_id", "=", auditId)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Figures

/** A Paris year's succeeded audits, by structure type and GHT coverage. */
export interface AuditYearFigures {
  audits: number;
  structures: number;
  byType: { structure_type: string; audits: number }[];
  ghtCovered: number;
  ghtOverHalf: number;
}

/** Figures of the audits succeeded in [from, to); `hospitalTypes` are the ES types of a GHT. */
export async function auditYearFigures(
  db: Executor,
  from: Date,
  to: Date,
  hospitalTypes: readonly string[],
): Promise<AuditYearFigures> {
  const totals = await sql<{ audits: number; structures: number }>`
    select count(*)::int as audits, count(distinct structure_id)::int as structures
    from exposure_audits
    where status = 'succeeded' and finished_at >= ${from} and finished_at < ${to}`.execute(db);
  const byType = await sql<{ structure_type: string; audits: number }>`
    select s.structure_type, count(*)::int as audits
    from exposure_audits e join structures s on s.id = e.structure_id
    where e.status = 'succeeded' and e.finished_at >= ${from} and e.finished_at < ${to}
    group by s.structure_type order by audits desc, s.structure_type`.execute(db);
  const ght = await sql<{ covered: number; over_half: number }>`
    with audited as (
      select distinct structure_id from exposure_audits
      where status = 'succeeded' and finished_at >= ${from} and finished_at < ${to}
    ), per_ght as (
      select s.ght_code, count(*) as hospitals, count(a.structure_id) as audited
      from structures s left join audited a on a.structure_id = s.id
      where s.ght_code is not null and s.structure_type = any(${[...hospitalTypes]}::text[])
      group by s.ght_code
    )
    select count(*) filter (where audited > 0)::int as covered,
      count(*) filter (where audited * 2 > hospitals)::int as over_half
    from per_ght`.execute(db);
  return {
    audits: totals.rows[0]?.audits ?? 0,
    structures: totals.rows[0]?.structures ?? 0,
    byType: byType.rows,
    ghtCovered: ght.rows[0]?.covered ?? 0,
    ghtOverHalf: ght.rows[0]?.over_half ?? 0,
  };
}

/** Where the audit programme stands now. */
export interface AuditProgressFigures {
  validated_perimeters: number;
  perimeters_to_review: number;
  scheduled: number;
  overdue: number;
  running: number;
  failed_recently: number;
}

/** Counts of perimeters and audits; `overdueBefore`: a waiting audit planned before is late. */
export async function auditProgress(
  db: Executor,
  overdueBefore: Date,
  failedSince: Date,
): Promise<AuditProgressFigures> {
  const result = await sql<AuditProgressFigures>`
    select
      (select count(*)::int from audit_perimeters where status = 'validated') as validated_perimeters,
      (select count(*)::int from audit_perimeters where status = 'submitted') as perimeters_to_review,
      (select count(*)::int from exposure_audits where status = 'scheduled') as scheduled,
      (select count(*)::int from exposure_audits where status = 'scheduled' and scheduled_for < ${overdueBefore}) as overdue,
      (select count(*)::int from exposure_audits where status = 'running') as running,
      (select count(*)::int from exposure_audits where status = 'failed' and finished_at >= ${failedSince}) as failed_recently
  `.execute(db);
  const row = result.rows[0];
  return {
    validated_perimeters: row?.validated_perimeters ?? 0,
    perimeters_to_review: row?.perimeters_to_review ?? 0,
    scheduled: row?.scheduled ?? 0,
    overdue: row?.overdue ?? 0,
    running: row?.running ?? 0,
    failed_recently: row?.failed_recently ?? 0,
  };
}

/** Audits left running since before `before` (a worker stopped mid-audit) become failed. */
export async function failStaleAudits(db: Executor, before: Date, now: Date, error: string): Promise<number> {
  const result = await db
    .updateTable("exposure_audits")
    .set({ status: "failed", finished_at: now, error })
    .where("status", "=", "running")
    .where("started_at", "<", before)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
