import { type Kysely, sql } from "kysely";

/** Directory, accounts, sessions, API tokens, tamper-evident audit log and mail outbox. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table regions (
      code text primary key,
      name text not null,
      iso text not null,
      ars_name text not null,
      metropolitan boolean not null
    );
    create table departments (
      code text primary key,
      region_code text references regions(code),
      name text
    );
    create table structures (
      id uuid primary key default gen_random_uuid(),
      finess_et text not null unique,
      finess_ej text,
      name text not null,
      long_name text,
      structure_type text not null check (structure_type in
        ('es_public','es_private_nonprofit','es_private_forprofit','army_hospital','esms','lbm','radiotherapy','grades','other')),
      legal_status text,
      category text,
      region_code text references regions(code),
      department_code text,
      town text,
      postal_code text,
      phone text,
      siret text,
      ght_code text,
      ght_support boolean not null default false,
      ose boolean not null default false,
      oiv boolean not null default false,
      contact_emails text[] not null default '{}',
      mail_domains text[] not null default '{}',
      search_text text not null default '',
      source text not null default 'manual',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index structures_region_idx on structures(region_code);
    create index structures_ej_idx on structures(finess_ej);

    create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null unique,
      full_name text not null,
      job_title text,
      phone text,
      role text not null check (role in ('declarant','cert_analyst','cert_lead','ars','authority','admin')),
      region_code text references regions(code),
      authority text check (authority in ('anssi','fssi','dgs_corruss','health_agency')),
      password_hash text,
      totp_secret text,
      totp_enabled_at timestamptz,
      email_verified_at timestamptz,
      disabled_at timestamptz,
      failed_login_count integer not null default 0,
      locked_until timestamptz,
      last_login_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (role <> 'ars' or region_code is not null),
      check (role <> 'authority' or authority is not null)
    );
    create table user_structures (
      user_id uuid not null references users(id) on delete cascade,
      structure_id uuid not null references structures(id) on delete cascade,
      status text not null default 'active' check (status in ('active','pending')),
      created_at timestamptz not null default now(),
      primary key (user_id, structure_id)
    );
    create index user_structures_structure_idx on user_structures(structure_id);
    create table oidc_identities (
      issuer text not null,
      subject text not null,
      user_id uuid not null references users(id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (issuer, subject)
    );
    create table sessions (
      id text primary key,
      user_id uuid not null references users(id) on delete cascade,
      csrf_token text not null,
      stage text not null check (stage in ('mfa_required','mfa_enrolment','authenticated')),
      ip text,
      user_agent text,
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index sessions_user_idx on sessions(user_id);
    create table email_tokens (
      token_hash text primary key,
      user_id uuid not null references users(id) on delete cascade,
      purpose text not null check (purpose in ('verify_email','reset_password')),
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    );
    create table api_tokens (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      name text not null,
      token_hash text not null unique,
      prefix text not null,
      scopes text[] not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz,
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    create index api_tokens_user_idx on api_tokens(user_id);

    create table audit_log (
      id bigint generated always as identity primary key,
      occurred_at timestamptz not null,
      actor_user_id uuid,
      actor_label text not null,
      action text not null,
      outcome text not null check (outcome in ('success','failure','denied')),
      object_type text,
      object_id text,
      ip text,
      details jsonb not null default '{}',
      prev_hash text not null,
      hash text not null
    );
    create index audit_log_actor_idx on audit_log(actor_user_id);
    create index audit_log_object_idx on audit_log(object_type, object_id);
    -- Head of the hash chain: makes the deletion of the latest entries detectable.
    create table audit_head (
      singleton boolean primary key default true check (singleton),
      last_id bigint not null,
      last_hash text not null
    );

    create table mail_outbox (
      id uuid primary key default gen_random_uuid(),
      to_address text not null,
      subject text not null,
      text_body text not null,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      attempts integer not null default 0,
      last_error text
    );
    create index mail_outbox_unsent_idx on mail_outbox(created_at) where sent_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table mail_outbox; drop table audit_head; drop table audit_log; drop table api_tokens;
    drop table email_tokens; drop table sessions; drop table oidc_identities; drop table user_structures;
    drop table users; drop table structures; drop table departments; drop table regions;
  `.execute(db);
}
