import { type Kysely, sql } from "kysely";

/** The CERT's library of reflex sheets and recommendation templates, versioned, and their sendings. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table reflex_sheets (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      -- Title of the current version, kept here for listing and search.
      title text not null,
      -- A taxonomy type code (malicious or non-malicious) or 'general'; checked by the contract,
      -- not here, because the taxonomy may gain codes.
      category text not null,
      kind text not null check (kind in ('reflex_sheet','recommendation')),
      current_version integer not null default 1 check (current_version >= 1),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      archived_at timestamptz
    );
    create index reflex_sheets_category_idx on reflex_sheets(category) where archived_at is null;

    -- Versions are never updated: an edit inserts the next version.
    create table reflex_sheet_versions (
      sheet_id uuid not null references reflex_sheets(id) on delete cascade,
      version integer not null check (version >= 1),
      title text not null,
      body text not null,
      tlp text not null default 'clear' check (tlp in ('clear','green','amber','amber_strict','red')),
      created_by_user_id uuid references users(id),
      created_at timestamptz not null,
      change_note text,
      primary key (sheet_id, version)
    );

    -- Which sheet, in which version, was sent on which declaration's thread.
    create table reflex_sheet_sendings (
      id bigint generated always as identity primary key,
      incident_id uuid not null references incidents(id) on delete cascade,
      sheet_id uuid not null,
      version integer not null,
      message_id uuid not null references incident_messages(id) on delete cascade,
      sent_by_user_id uuid references users(id),
      sent_at timestamptz not null,
      foreign key (sheet_id, version) references reflex_sheet_versions(sheet_id, version)
    );
    create index reflex_sheet_sendings_incident_idx on reflex_sheet_sendings(incident_id, sent_at);
    create index reflex_sheet_sendings_sheet_idx on reflex_sheet_sendings(sheet_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table reflex_sheet_sendings; drop table reflex_sheet_versions; drop table reflex_sheets;
  `.execute(db);
}
