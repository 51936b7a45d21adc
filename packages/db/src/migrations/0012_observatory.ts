import { type Kysely, sql } from "kysely";

/**
 * The observatory (decision 0010):
 * - incidents imported in bulk (`vigie.incident/1`) are the same rows as declarations made
 *   through the portal; `imported_at` tells them apart, and `detected_at` becomes optional
 *   because the exchange format does not require it;
 * - the reference of each region's share of national hospital activity, loaded by the CERT with
 *   its source and year, from which the regional activity index is computed;
 * - the per-row search refresh of 0008 steps aside while a bulk import writes the documents of
 *   its batch itself (`vigie.bulk_import`, set for that statement only).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table incidents alter column detected_at drop not null;
    alter table incidents add column imported_at timestamptz;

    create table region_activity_references (
      id uuid primary key default gen_random_uuid(),
      -- The year the shares describe (e.g. PMSI 2022); one reference per year, replaced when reloaded.
      reference_year integer not null unique check (reference_year between 2000 and 2100),
      source text not null check (length(source) between 1 and 500),
      loaded_at timestamptz not null,
      loaded_by_user_id uuid references users(id)
    );
    create table region_activity_shares (
      reference_id uuid not null references region_activity_references(id) on delete cascade,
      region_code text not null references regions(code),
      -- Share of national hospital activity, 0 < share ≤ 1 (5.1 % is 0.051).
      share numeric not null check (share > 0 and share <= 1),
      primary key (reference_id, region_code)
    );

    -- A bulk import (vigie.incident/1) writes the search documents of its rows itself, one
    -- statement per batch, with vigie.bulk_import set for that statement only: the per-row
    -- refresh of 0008 then steps aside. Anything else is unchanged.
    create or replace function vigie_incident_search_refresh() returns trigger
    language plpgsql as $trg$
    begin
      if current_setting('vigie.bulk_import', true) = 'on' then return null; end if;
      insert into incident_search (incident_id, document)
      values (new.id, to_tsvector('simple', vigie_search_fold(concat_ws(' ',
        vigie_incident_search_text(new),
        (select string_agg(m.body, ' ') from incident_messages m where m.incident_id = new.id)))))
      on conflict (incident_id) do update set document = excluded.document;
      return null;
    end
    $trg$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function vigie_incident_search_refresh() returns trigger
    language plpgsql as $trg$
    begin
      insert into incident_search (incident_id, document)
      values (new.id, to_tsvector('simple', vigie_search_fold(concat_ws(' ',
        vigie_incident_search_text(new),
        (select string_agg(m.body, ' ') from incident_messages m where m.incident_id = new.id)))))
      on conflict (incident_id) do update set document = excluded.document;
      return null;
    end
    $trg$;
    drop table region_activity_shares;
    drop table region_activity_references;
    alter table incidents drop column imported_at;
    update incidents set detected_at = declared_at where detected_at is null;
    alter table incidents alter column detected_at set not null;
  `.execute(db);
}
