import { type Insertable, type Selectable, sql } from "kysely";
import type { Executor } from "../executor.ts";
import type { MailFilterCampaignsTable, MailSecurityTestsTable } from "../schema.ts";
import { findAuthorisationInForce } from "./exposure-audits.ts";

export type MailSecurityTestRow = Selectable<MailSecurityTestsTable> & { structure_name: string };
export type MailFilterCampaignRow = Selectable<MailFilterCampaignsTable> & { structure_name: string };

/** What a structure's mail tests may target: its domains and networks, and the designated mailbox. */
export interface StructureMailScope {
  /** Domains of the audit perimeter, the structure's mail domains and its domain assets (lower case). */
  domains: string[];
  /**
   * Networks of the CERT's authorisation in force on `today` (cidr text), never those of the
   * perimeter the structure drafts: the networks its probes may reach. Empty without one.
   */
  networks: string[];
  /** `audit_perimeters.filtering_mailbox`. */
  filteringMailbox: string | null;
}

export async function findStructureMailScope(
  db: Executor,
  structureId: string,
  today: string,
): Promise<StructureMailScope> {
  const domains = await sql<{ domain: string }>`
    select distinct domain from (
      select rtrim(ltrim(lower(trim(d)), '@'), '.') as domain
        from audit_perimeters p cross join lateral unnest(p.domains) as d where p.structure_id = ${structureId}
      union all
      select rtrim(ltrim(lower(trim(d)), '@'), '.') as domain
        from structures s cross join lateral unnest(s.mail_domains) as d where s.id = ${structureId}
      union all
      select lower(a.domain) from assets a
        where a.structure_id = ${structureId} and a.kind = 'domain' and a.domain is not null
    ) owned where domain <> ''`.execute(db);
  const perimeter = await db
    .selectFrom("audit_perimeters")
    .select("filtering_mailbox")
    .where("structure_id", "=", structureId)
    .executeTakeFirst();
  const authorisation = await findAuthorisationInForce(db, structureId, today);
  return {
    domains: domains.rows.map((r) => r.domain),
    networks: authorisation?.networks ?? [],
    filteringMailbox: perimeter?.filtering_mailbox ?? null,
  };
}

export function insertMailSecurityTest(
  db: Executor,
  row: Insertable<MailSecurityTestsTable>,
): Promise<Selectable<MailSecurityTestsTable>> {
  return db.insertInto("mail_security_tests").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function finishMailSecurityTest(
  db: Executor,
  id: string,
  values: {
    status: "succeeded" | "failed";
    finished_at: Date;
    controls: string | null;
    error: string | null;
  },
): Promise<void> {
  await db.updateTable("mail_security_tests").set(values).where("id", "=", id).execute();
}

function testsQuery(db: Executor) {
  return db
    .selectFrom("mail_security_tests as t")
    .innerJoin("structures as s", "s.id", "t.structure_id")
    .selectAll("t")
    .select("s.name as structure_name");
}

export function findMailSecurityTest(db: Executor, id: string): Promise<MailSecurityTestRow | undefined> {
  return testsQuery(db).where("t.id", "=", id).executeTakeFirst();
}

/** Most recent first; `structureIds` undefined means every structure. */
export function listMailSecurityTests(
  db: Executor,
  filter: { structureIds: readonly string[] | undefined; structureId?: string | undefined; limit: number },
): Promise<MailSecurityTestRow[]> {
  let query = testsQuery(db);
  if (filter.structureIds !== undefined) {
    if (filter.structureIds.length === 0) return Promise.resolve([]);
    query = query.where("t.structure_id", "in", [...filter.structureIds]);
  }
  if (filter.structureId) query = query.where("t.structure_id", "=", filter.structureId);
  return query.orderBy("t.started_at", "desc").orderBy("t.id").limit(filter.limit).execute();
}

export function insertFilterCampaign(
  db: Executor,
  row: Insertable<MailFilterCampaignsTable>,
): Promise<Selectable<MailFilterCampaignsTable>> {
  return db.insertInto("mail_filter_campaigns").values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateFilterCampaign(
  db: Executor,
  id: string,
  values: Partial<
    Pick<
      Insertable<MailFilterCampaignsTable>,
      | "status"
      | "sent_at"
      | "error"
      | "arrived_tokens"
      | "reported_at"
      | "reported_via"
      | "reported_by_user_id"
      | "messages"
    >
  >,
): Promise<void> {
  await db.updateTable("mail_filter_campaigns").set(values).where("id", "=", id).execute();
}

function campaignsQuery(db: Executor) {
  return db
    .selectFrom("mail_filter_campaigns as c")
    .innerJoin("structures as s", "s.id", "c.structure_id")
    .selectAll("c")
    .select("s.name as structure_name");
}

export function findFilterCampaign(db: Executor, id: string): Promise<MailFilterCampaignRow | undefined> {
  return campaignsQuery(db).where("c.id", "=", id).executeTakeFirst();
}

export function listFilterCampaigns(
  db: Executor,
  filter: { structureIds: readonly string[] | undefined; structureId?: string | undefined; limit: number },
): Promise<MailFilterCampaignRow[]> {
  let query = campaignsQuery(db);
  if (filter.structureIds !== undefined) {
    if (filter.structureIds.length === 0) return Promise.resolve([]);
    query = query.where("c.structure_id", "in", [...filter.structureIds]);
  }
  if (filter.structureId) query = query.where("c.structure_id", "=", filter.structureId);
  return query.orderBy("c.created_at", "desc").orderBy("c.id").limit(filter.limit).execute();
}
