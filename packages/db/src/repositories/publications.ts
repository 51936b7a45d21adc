import { type Insertable, type Selectable, type SelectQueryBuilder, sql, type Updateable } from "kysely";
import type { Executor } from "../executor.ts";
import type { Database, PublicationRevisionsTable, PublicationsTable } from "../schema.ts";

export type PublicationRow = Selectable<PublicationsTable>;
export type PublicationRevisionRow = Selectable<PublicationRevisionsTable>;
/** A revision with the name of the lead who published it (null: the system). */
export type PublicationRevisionWithAuthor = Omit<PublicationRevisionRow, "search_document"> & {
  published_by_name: string | null;
};
export type PublicationTlpCode = PublicationRow["tlp"];

/** A publication with the content of its latest published revision, as readers see it. */
export interface PublishedPublicationRow {
  id: string;
  kind: PublicationRow["kind"];
  status: PublicationRow["status"];
  reference: string | null;
  slug: string | null;
  year: number | null;
  current_revision: number;
  first_published_at: Date | null;
  last_published_at: Date | null;
  withdrawn_at: Date | null;
  withdrawal_note: string | null;
  title: string;
  summary: string;
  risk: string;
  products: PublicationRevisionRow["products"];
  cve_ids: string[];
  exploitation: PublicationRevisionRow["exploitation"];
  actions: string;
  reference_urls: string[];
  body: string;
  tlp: PublicationTlpCode;
}

/** Filters shared by the readers' list and the CERT's. */
export interface PublicationFilter {
  /** Folded words ([a-z0-9]+), all required (word beginnings). */
  words?: readonly string[] | undefined;
  kind?: PublicationRow["kind"] | undefined;
  /** Folded text found in a vendor or product name. */
  product?: string | undefined;
  cve?: string | undefined;
  year?: number | undefined;
  limit: number;
  offset: number;
}

/** Readers' filter: only published items whose latest revision carries one of `tlps`. */
export interface PublishedFilter extends PublicationFilter {
  tlps: readonly PublicationTlpCode[];
}

/** The CERT's filter: any status, on the working copy. */
export interface CertPublicationFilter extends PublicationFilter {
  status?: PublicationRow["status"] | undefined;
}

/**
 * The next number of a kind's yearly counter. The counter row stays locked until the caller's
 * transaction ends, so numbers are gapless and never given twice.
 */
export async function nextReferenceNumber(trx: Executor, kind: string, year: number): Promise<number> {
  const result = await sql<{ last_value: number }>`
    insert into publication_reference_counters (kind, year, last_value) values (${kind}, ${year}, 1)
    on conflict (kind, year) do update set last_value = publication_reference_counters.last_value + 1
    returning last_value`.execute(trx);
  const row = result.rows[0];
  if (!row) throw new Error("compteur de références non incrémenté");
  return Number(row.last_value);
}

/** Inserts a draft. */
export function insertPublication(
  trx: Executor,
  row: Insertable<PublicationsTable>,
): Promise<PublicationRow> {
  return trx.insertInto("publications").values(row).returningAll().executeTakeFirstOrThrow();
}

/** One publication by id. */
export function findPublicationById(db: Executor, id: string): Promise<PublicationRow | undefined> {
  return db.selectFrom("publications").selectAll().where("id", "=", id).executeTakeFirst();
}

/** One publication by slug. */
export function findPublicationBySlug(db: Executor, slug: string): Promise<PublicationRow | undefined> {
  return db.selectFrom("publications").selectAll().where("slug", "=", slug).executeTakeFirst();
}

/** One publication, row-locked until the caller's transaction ends (changes are serialised). */
export function lockPublication(trx: Executor, id: string): Promise<PublicationRow | undefined> {
  return trx.selectFrom("publications").selectAll().where("id", "=", id).forUpdate().executeTakeFirst();
}

/** Updates a publication's head or working copy. */
export function updatePublication(
  trx: Executor,
  id: string,
  changes: Updateable<PublicationsTable>,
): Promise<PublicationRow> {
  return trx
    .updateTable("publications")
    .set(changes)
    .where("id", "=", id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Appends a published revision (never updated afterwards: a trigger refuses it). */
export async function insertRevision(
  trx: Executor,
  row: Insertable<PublicationRevisionsTable>,
): Promise<void> {
  await trx.insertInto("publication_revisions").values(row).execute();
}

/** The revisions of a publication, newest first, with the publisher's name. */
export function listRevisions(db: Executor, publicationId: string): Promise<PublicationRevisionWithAuthor[]> {
  return db
    .selectFrom("publication_revisions as r")
    .leftJoin("users as u", "u.id", "r.published_by_user_id")
    .select([
      "r.publication_id",
      "r.revision",
      "r.title",
      "r.summary",
      "r.risk",
      "r.products",
      "r.product_text",
      "r.cve_ids",
      "r.exploitation",
      "r.actions",
      "r.reference_urls",
      "r.body",
      "r.tlp",
      "r.change_note",
      "r.published_by_user_id",
      "r.published_at",
      "u.full_name as published_by_name",
    ])
    .where("r.publication_id", "=", publicationId)
    .orderBy("r.revision", "desc")
    .execute();
}

function publishedQuery(db: Executor) {
  return db
    .selectFrom("publications as p")
    .innerJoin("publication_revisions as r", (join) =>
      join.onRef("r.publication_id", "=", "p.id").onRef("r.revision", "=", "p.current_revision"),
    );
}

type PublishedQuery = ReturnType<typeof publishedQuery>;

const PUBLISHED_COLUMNS = [
  "p.id",
  "p.kind",
  "p.status",
  "p.reference",
  "p.slug",
  "p.year",
  "p.current_revision",
  "p.first_published_at",
  "p.last_published_at",
  "p.withdrawn_at",
  "p.withdrawal_note",
  "r.title",
  "r.summary",
  "r.risk",
  "r.products",
  "r.cve_ids",
  "r.exploitation",
  "r.actions",
  "r.reference_urls",
  "r.body",
  "r.tlp",
] as const;

const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function applyPublishedFilter(query: PublishedQuery, filter: PublicationFilter): PublishedQuery {
  let q = query;
  const words = (filter.words ?? []).filter((w) => /^[a-z0-9]+$/.test(w));
  if (words.length > 0) {
    // Word beginnings, all required, stemmed in French; the words are [a-z0-9]+ so the syntax is safe.
    const tsquery = words.map((w) => `${w}:*`).join(" & ");
    q = q.where(sql<boolean>`r.search_document @@ to_tsquery('french', ${tsquery})`);
  }
  if (filter.kind) q = q.where("p.kind", "=", filter.kind);
  if (filter.product) {
    q = q.where(sql<boolean>`vigie_search_fold(r.product_text) like ${`%${likeEscape(filter.product)}%`}`);
  }
  if (filter.cve) q = q.where(sql<boolean>`r.cve_ids @> cast(${sql.val([filter.cve])} as text[])`);
  if (filter.year !== undefined) q = q.where("p.year", "=", filter.year);
  return q;
}

/** Published items whose latest revision carries one of the given TLPs, newest revision first. */
export async function listPublished(
  db: Executor,
  filter: PublishedFilter,
): Promise<{ rows: PublishedPublicationRow[]; total: number }> {
  if (filter.tlps.length === 0) return { rows: [], total: 0 };
  const base = applyPublishedFilter(
    publishedQuery(db)
      .where("p.status", "=", "published")
      .where("r.tlp", "in", [...filter.tlps]),
    filter,
  );
  const rows = await base
    .select(PUBLISHED_COLUMNS)
    .orderBy("p.last_published_at", "desc")
    .orderBy("p.reference", "desc")
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  const count = await base.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirst();
  return { rows: rows as PublishedPublicationRow[], total: Number(count?.n ?? 0) };
}

/** A publication with its latest revision's content, by slug (any status but draft). */
export async function findPublishedBySlug(
  db: Executor,
  slug: string,
): Promise<PublishedPublicationRow | undefined> {
  const row = await publishedQuery(db)
    .select(PUBLISHED_COLUMNS)
    .where("p.slug", "=", slug)
    .executeTakeFirst();
  return row as PublishedPublicationRow | undefined;
}

/** Every publication (drafts and withdrawn ones too), on the working copy, newest change first. */
export async function listForCert(
  db: Executor,
  filter: CertPublicationFilter,
): Promise<{ rows: PublicationRow[]; total: number }> {
  let base: SelectQueryBuilder<Database, "publications", object> = db.selectFrom("publications");
  if (filter.status) base = base.where("status", "=", filter.status);
  for (const word of (filter.words ?? []).filter((w) => /^[a-z0-9]+$/.test(w))) {
    base = base.where(
      sql<boolean>`' ' || vigie_search_fold(coalesce(reference, '') || ' ' || title || ' ' || summary || ' ' || body) like ${`% ${word}%`}`,
    );
  }
  if (filter.kind) base = base.where("kind", "=", filter.kind);
  if (filter.product) {
    const pattern = `%${likeEscape(filter.product)}%`;
    base = base.where(
      sql<boolean>`exists (select 1 from jsonb_array_elements(products) e
        where vigie_search_fold((e->>'vendor') || ' ' || (e->>'product')) like ${pattern})`,
    );
  }
  if (filter.cve) base = base.where(sql<boolean>`cve_ids @> cast(${sql.val([filter.cve])} as text[])`);
  if (filter.year !== undefined) base = base.where("year", "=", filter.year);
  const rows = await base
    .selectAll()
    .orderBy("updated_at", "desc")
    .orderBy("id")
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
  const count = await base.select((eb) => eb.fn.countAll<string>().as("n")).executeTakeFirst();
  return { rows, total: Number(count?.n ?? 0) };
}

/** The full name of a user (authors of publications). */
export async function findUserName(db: Executor, userId: string): Promise<string | null> {
  const row = await db.selectFrom("users").select("full_name").where("id", "=", userId).executeTakeFirst();
  return row?.full_name ?? null;
}
