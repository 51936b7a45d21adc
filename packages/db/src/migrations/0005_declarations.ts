import { type Kysely, sql } from "kysely";

/** Declarations (incidents), their structures, thread, status history, attachments and drafts. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Per-year counter behind references such as CS-2026-000123.
    create table reference_counters (
      year integer primary key,
      last_value integer not null
    );

    create table incidents (
      id uuid primary key default gen_random_uuid(),
      reference text not null unique,
      idempotency_key uuid not null unique,
      -- Hash of the submitted payload: the same key with another payload is a conflict.
      request_hash text not null,
      channel text not null check (channel in ('portal','phone_oncall','email','other')),
      status text not null default 'received'
        check (status in ('received','in_progress','waiting_declarant','closed')),
      structure_id uuid not null references structures(id),
      -- The structure as registered at declaration time (statistics read this, not today's row).
      structure_snapshot jsonb not null,
      declarant_user_id uuid references users(id),
      recorded_by_user_id uuid references users(id),
      standing text not null check (standing in ('verified','pending_link','unverified_account','anonymous')),
      declarant_contact jsonb not null,
      -- Hash of the secret follow-up link given to a declarant without an account.
      follow_token_hash text unique,
      title text not null,
      description text not null,
      detected_at timestamptz not null,
      started_at timestamptz,
      declared_at timestamptz not null,
      state_at_declaration text not null
        check (state_at_declaration in ('resolved','in_progress','support_needed','unknown')),
      support_requested boolean not null,
      proposed_origin text check (proposed_origin in ('malicious','non_malicious','undetermined')),
      proposed_malicious_types text[] not null default '{}',
      proposed_non_malicious_types text[] not null default '{}',
      affected_systems text[] not null default '{}',
      operational_impact text not null
        check (operational_impact in ('none','degraded_support','degraded_care','care_interrupted')),
      degraded_since timestamptz,
      degraded_mode_hours numeric,
      patient_endangerment text check (patient_endangerment in ('none','potential','actual')),
      patient_endangerment_details text,
      data_impacts text[] not null default '{}',
      data_types text[] not null default '{}',
      persons_affected integer,
      other_structures_affected text,
      measures_taken text,
      filings text[] not null default '{}',
      provider_name text,
      tlp text not null default 'amber' check (tlp in ('clear','green','amber','amber_strict','red')),
      out_of_hours boolean not null,
      oncall_paged_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index incidents_structure_idx on incidents(structure_id);
    create index incidents_declarant_idx on incidents(declarant_user_id);
    create index incidents_declared_at_idx on incidents(declared_at);
    create index incidents_status_idx on incidents(status);

    -- Every structure a declaration names (the first one is incidents.structure_id).
    create table incident_structures (
      incident_id uuid not null references incidents(id) on delete cascade,
      structure_id uuid not null references structures(id),
      position integer not null,
      primary key (incident_id, structure_id)
    );
    create index incident_structures_structure_idx on incident_structures(structure_id);

    create table incident_messages (
      id uuid primary key default gen_random_uuid(),
      incident_id uuid not null references incidents(id) on delete cascade,
      author_user_id uuid references users(id),
      author_kind text not null check (author_kind in ('declarant','cert','system')),
      author_name text not null,
      kind text not null check (kind in ('message','question','answer','recommendation')),
      body text not null,
      created_at timestamptz not null default now()
    );
    create index incident_messages_incident_idx on incident_messages(incident_id, created_at);

    create table incident_status_changes (
      id bigint generated always as identity primary key,
      incident_id uuid not null references incidents(id) on delete cascade,
      from_status text,
      to_status text not null,
      changed_by_user_id uuid references users(id),
      changed_by_label text not null,
      comment text,
      changed_at timestamptz not null
    );
    create index incident_status_changes_incident_idx on incident_status_changes(incident_id, id);

    -- Encrypted file contents, apart from their metadata so listings never load them.
    create table attachment_blobs (
      id uuid primary key default gen_random_uuid(),
      key_id text not null,
      iv bytea not null,
      auth_tag bytea not null,
      ciphertext bytea not null
    );
    create table attachments (
      id uuid primary key default gen_random_uuid(),
      -- Until the declaration is submitted, an upload belongs to its idempotency key.
      pending_key uuid,
      incident_id uuid references incidents(id) on delete cascade,
      message_id uuid references incident_messages(id) on delete set null,
      blob_id uuid not null references attachment_blobs(id),
      file_name text not null,
      content_type text not null,
      size_bytes integer not null,
      sha256 text not null,
      uploaded_by_user_id uuid references users(id),
      uploaded_at timestamptz not null,
      check (pending_key is not null or incident_id is not null)
    );
    create index attachments_incident_idx on attachments(incident_id);
    create index attachments_pending_idx on attachments(pending_key) where pending_key is not null;

    -- Server copy of a signed-in declarant's draft (the browser keeps its own).
    create table declaration_drafts (
      user_id uuid not null references users(id) on delete cascade,
      draft_key uuid not null,
      data jsonb not null,
      updated_at timestamptz not null,
      primary key (user_id, draft_key)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table declaration_drafts; drop table attachments; drop table attachment_blobs;
    drop table incident_status_changes; drop table incident_messages; drop table incident_structures;
    drop table incidents; drop table reference_counters;
  `.execute(db);
}
