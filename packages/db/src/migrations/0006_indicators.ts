import { type Kysely, sql } from "kysely";

/** Indicators of compromise of each incident, and the marks of what was already read for them. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table incident_indicators (
      id uuid primary key default gen_random_uuid(),
      incident_id uuid not null references incidents(id) on delete cascade,
      kind text not null check (kind in ('ip','domain','url','email','hash')),
      -- Normalised (refanged, lower-case where case does not matter): correlation is equality.
      value text not null,
      source text not null check (source in ('description','message','attachment','analyst')),
      -- The message or attachment it was read in (null for the description and by hand).
      source_id uuid,
      first_seen_at timestamptz not null,
      added_by_user_id uuid references users(id),
      -- An analyst dismissed it (false positive): kept, so re-extraction does not bring it back.
      deleted_at timestamptz,
      deleted_by_user_id uuid references users(id),
      unique (incident_id, kind, value)
    );
    create index incident_indicators_value_idx on incident_indicators(kind, value);

    -- Null until the extraction job has read the text (existing rows are read on the first run).
    alter table incidents add column indicators_extracted_at timestamptz;
    alter table incident_messages add column indicators_extracted_at timestamptz;
    create index incidents_indicators_pending_idx on incidents(created_at) where indicators_extracted_at is null;
    create index incident_messages_indicators_pending_idx on incident_messages(created_at)
      where indicators_extracted_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table incident_messages drop column indicators_extracted_at;
    alter table incidents drop column indicators_extracted_at;
    drop table incident_indicators;
  `.execute(db);
}
