import { type Insertable, type Selectable, sql } from "kysely";
import type { Executor } from "../executor.ts";
import type { LeakImportsTable } from "../schema.ts";

export type LeakImportRow = Selectable<LeakImportsTable>;
/** An import with the name of the CERT member who made it (null: the command line). */
export type LeakImportWithImporterRow = LeakImportRow & { imported_by_name: string | null };

/** A mail domain and a structure it belongs to: from `structures.mail_domains` or a domain asset. */
export interface MailDomainOwnerRow {
  domain: string;
  structure_id: string;
}

/**
 * Every domain an address of a structure may be on: the structure's mail domains (lower case,
 * without a leading `@` or a trailing dot) and its domain assets.
 */
export async function listMailDomainOwners(db: Executor): Promise<MailDomainOwnerRow[]> {
  const result = await sql<MailDomainOwnerRow>`
    select distinct domain, structure_id from (
      select rtrim(ltrim(lower(trim(d)), '@'), '.') as domain, s.id as structure_id
        from structures s cross join lateral unnest(s.mail_domains) as d
      union all
      select a.domain, a.structure_id from assets a where a.kind = 'domain' and a.domain is not null
    ) owners
    where domain <> ''`.execute(db);
  return result.rows;
}

/** Records an import (counts only: never an address, never a password). */
export function insertLeakImport(db: Executor, row: Insertable<LeakImportsTable>): Promise<LeakImportRow> {
  return db.insertInto("leak_imports").values(row).returningAll().executeTakeFirstOrThrow();
}

/** The most recent imports first, with who made them. */
export function listLeakImports(db: Executor, limit: number): Promise<LeakImportWithImporterRow[]> {
  return db
    .selectFrom("leak_imports as l")
    .leftJoin("users as u", "u.id", "l.imported_by_user_id")
    .selectAll("l")
    .select("u.full_name as imported_by_name")
    .orderBy("l.imported_at", "desc")
    .orderBy("l.id", "desc")
    .limit(limit)
    .execute();
}
