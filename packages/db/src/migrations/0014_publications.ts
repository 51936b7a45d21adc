import { type Kysely, sql } from "kysely";

/**
 * Publications (cyberveille): the CERT's alerts, bulletins, reflex sheet pages and good-practice
 * pages. The head row holds the working copy the editors change; readers only ever see the
 * latest *published* revision, an immutable snapshot written at each publication. The stable
 * reference (`VIGIE-ALE-2026-001`) comes from a gapless counter per kind and year, taken at the
 * first publication, so drafts never abandoned leave no hole.
 *
 * Search: each revision carries a generated French full-text document over text folded by
 * `vigie_search_fold` (migration 0008), so accents never matter on either side.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table publication_reference_counters (
      kind text not null,
      year integer not null,
      last_value integer not null,
      primary key (kind, year)
    );

    create table publications (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('alert','bulletin','reflex_sheet','good_practice')),
      status text not null default 'draft' check (status in ('draft','published','withdrawn')),
      -- Set at the first publication, never changed afterwards.
      reference text unique,
      slug text unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      year integer,
      -- The working copy.
      title text not null,
      summary text not null default '',
      risk text not null default '',
      products jsonb not null default '[]'::jsonb,
      cve_ids text[] not null default '{}',
      exploitation text not null default 'none_known'
        check (exploitation in ('none_known','proof_of_concept','actively_exploited')),
      actions text not null default '',
      reference_urls text[] not null default '{}',
      body text not null default '',
      -- TLP:AMBER+STRICT and TLP:RED name their recipients: never publishable.
      tlp text not null default 'clear' check (tlp in ('clear','green','amber')),
      -- 0 while a draft; the number of the latest published revision afterwards.
      current_revision integer not null default 0 check (current_revision >= 0),
      -- The working copy differs from the latest revision.
      pending_changes boolean not null default true,
      created_by_user_id uuid references users(id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      first_published_at timestamptz,
      last_published_at timestamptz,
      withdrawn_at timestamptz,
      withdrawn_by_user_id uuid references users(id),
      withdrawal_note text,
      check ((status = 'draft') = (current_revision = 0)),
      check ((status = 'draft') = (reference is null)),
      check ((status = 'withdrawn') = (withdrawn_at is not null))
    );
    create index publications_listing_idx on publications (status, last_published_at desc);

    -- Never updated nor deleted once written (trigger below): the history readers rely on.
    create table publication_revisions (
      publication_id uuid not null references publications(id),
      revision integer not null check (revision >= 1),
      title text not null,
      summary text not null,
      risk text not null,
      products jsonb not null,
      -- Vendors and products as one text, for the product filter and the search.
      product_text text not null,
      cve_ids text[] not null,
      exploitation text not null,
      actions text not null,
      reference_urls text[] not null,
      body text not null,
      tlp text not null check (tlp in ('clear','green','amber')),
      change_note text not null,
      published_by_user_id uuid references users(id),
      published_at timestamptz not null,
      search_document tsvector generated always as (
        to_tsvector('french', vigie_search_fold(title || ' ' || summary || ' ' || body || ' ' || product_text))
      ) stored,
      primary key (publication_id, revision)
    );
    create index publication_revisions_search_idx on publication_revisions using gin (search_document);
    create index publication_revisions_cve_idx on publication_revisions using gin (cve_ids);

    create function vigie_publication_revision_immutable() returns trigger
    language plpgsql as $trg$
    begin
      raise exception 'publication_revisions is append-only';
    end
    $trg$;
    create trigger publication_revisions_immutable
      before update or delete on publication_revisions
      for each row execute function vigie_publication_revision_immutable();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table publication_revisions;
    drop function vigie_publication_revision_immutable();
    drop table publications;
    drop table publication_reference_counters;
  `.execute(db);
}
