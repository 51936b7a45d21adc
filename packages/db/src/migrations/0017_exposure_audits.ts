import { type Kysely, sql } from "kysely";

/**
 * Cybersurveillance audits and the mail security test (decision 0012): the perimeter each
 * structure declares, the CERT's authorisation (who, when, until when, on which perimeter),
 * certificate-transparency names imported offline, the exposure audits with their findings,
 * the mail posture tests and the filtering campaigns. Audit findings become watch tickets of
 * kind 'exposure'.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_perimeters (
      structure_id uuid primary key references structures(id) on delete cascade,
      -- names in lower case, punycode, no trailing dot; a domain covers its subdomains
      domains text[] not null default '{}',
      networks cidr[] not null default '{}',
      -- default or weak credentials are tried only when the structure opted in
      default_credentials_opt_in boolean not null default false,
      -- where the filtering test's messages are sent
      filtering_mailbox text,
      status text not null check (status in ('draft', 'submitted', 'validated', 'rejected')),
      submitted_at timestamptz,
      submitted_by_user_id uuid references users(id),
      review_note text,
      updated_at timestamptz not null
    );
    create index audit_perimeters_status_idx on audit_perimeters (status);

    -- The CERT's authorisation to scan, on a snapshot of the perimeter: audits scan only what
    -- the authorisation in force at their start names.
    create table audit_authorisations (
      id uuid primary key default gen_random_uuid(),
      structure_id uuid not null references structures(id) on delete cascade,
      domains text[] not null,
      networks cidr[] not null,
      default_credentials boolean not null,
      -- reference of the signed mandate or request
      reference text not null check (length(reference) between 1 and 200),
      granted_by_user_id uuid not null references users(id),
      granted_at timestamptz not null,
      valid_until date not null,
      revoked_at timestamptz,
      revoked_by_user_id uuid references users(id)
    );
    create index audit_authorisations_structure_idx on audit_authorisations (structure_id, granted_at desc);

    -- Subdomains from certificate transparency exports (crt.sh JSON, CSV or one name per line)
    create table audit_ct_names (
      structure_id uuid not null references structures(id) on delete cascade,
      name text not null,
      first_seen date,
      last_seen date,
      issuer text,
      imported_at timestamptz not null,
      primary key (structure_id, name)
    );

    create table exposure_audits (
      id uuid primary key default gen_random_uuid(),
      structure_id uuid not null references structures(id) on delete cascade,
      authorisation_id uuid references audit_authorisations(id),
      status text not null check (status in ('scheduled', 'running', 'succeeded', 'failed', 'cancelled')),
      -- planned start (schedule every two months, spread over the period, or a CERT request)
      scheduled_for timestamptz not null,
      started_at timestamptz,
      finished_at timestamptz,
      requested_by_user_id uuid references users(id),
      previous_audit_id uuid references exposure_audits(id),
      -- engine (nmap or built-in), versions, user agent, ports tried
      scanner jsonb,
      -- counts by severity, new, fixed, still open, hosts, open ports
      summary jsonb,
      -- the exposure map: hosts, addresses, open services
      exposure jsonb,
      -- names whose addresses fall outside the perimeter: reported, never scanned
      out_of_perimeter jsonb,
      error text,
      created_at timestamptz not null
    );
    -- at most one audit waiting or running per structure
    create unique index exposure_audits_pending_unique on exposure_audits (structure_id)
      where status in ('scheduled', 'running');
    create index exposure_audits_due_idx on exposure_audits (scheduled_for) where status = 'scheduled';
    create index exposure_audits_structure_idx on exposure_audits (structure_id, created_at desc);
    create index exposure_audits_finished_idx on exposure_audits (finished_at) where status = 'succeeded';

    create table exposure_audit_findings (
      id uuid primary key default gen_random_uuid(),
      audit_id uuid not null references exposure_audits(id) on delete cascade,
      structure_id uuid not null references structures(id) on delete cascade,
      -- what makes two findings the same across audits (and the watch ticket's key)
      finding_key text not null,
      check_code text not null,
      category text not null check (category in ('dns', 'ports', 'tls', 'http', 'service', 'credentials', 'mail')),
      severity text not null check (severity in ('info', 'low', 'medium', 'high', 'critical')),
      title text not null,
      evidence text not null,
      remediation text not null,
      domain text,
      host text,
      ip inet,
      port integer,
      ticket_id uuid references watch_tickets(id) on delete set null,
      unique (audit_id, finding_key)
    );
    create index exposure_audit_findings_structure_idx on exposure_audit_findings (structure_id, finding_key);

    create table mail_security_tests (
      id uuid primary key default gen_random_uuid(),
      structure_id uuid not null references structures(id) on delete cascade,
      domain text not null,
      status text not null check (status in ('running', 'succeeded', 'failed')),
      requested_by_user_id uuid references users(id),
      started_at timestamptz not null,
      finished_at timestamptz,
      -- the control points: code, status (pass, warn, fail, info), title, explanation, evidence
      controls jsonb,
      error text
    );
    create index mail_security_tests_structure_idx on mail_security_tests (structure_id, started_at desc);

    create table mail_filter_campaigns (
      id uuid primary key default gen_random_uuid(),
      structure_id uuid not null references structures(id) on delete cascade,
      mailbox text not null,
      status text not null check (status in ('sending', 'sent', 'failed', 'reported')),
      created_by_user_id uuid references users(id),
      created_at timestamptz not null,
      sent_at timestamptz,
      -- the battery: token, code, category, title, what the filtering should do
      messages jsonb not null,
      -- tokens of the messages that reached the mailbox
      arrived_tokens text[],
      reported_at timestamptz,
      reported_via text check (reported_via in ('structure', 'imap')),
      reported_by_user_id uuid references users(id),
      error text
    );
    create index mail_filter_campaigns_structure_idx on mail_filter_campaigns (structure_id, created_at desc);

    alter table watch_tickets drop constraint watch_tickets_kind_check;
    alter table watch_tickets add constraint watch_tickets_kind_check
      check (kind in ('vulnerability', 'sensitive_service', 'leaked_credential', 'exposure'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    delete from watch_tickets where kind = 'exposure';
    alter table watch_tickets drop constraint watch_tickets_kind_check;
    alter table watch_tickets add constraint watch_tickets_kind_check
      check (kind in ('vulnerability', 'sensitive_service', 'leaked_credential'));
    drop table mail_filter_campaigns; drop table mail_security_tests;
    drop table exposure_audit_findings; drop table exposure_audits;
    drop table audit_ct_names; drop table audit_authorisations; drop table audit_perimeters;
  `.execute(db);
}
