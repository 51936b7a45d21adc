import { type Kysely, sql } from "kysely";

/**
 * Alerting the authorities (decision 0009): versioned routing rules, the addresses of each
 * authority (the ARS per region), the notifications sent (or proposed) for a case, and the
 * regulatory clocks (NIS2, CNIL) of a case.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- Set by the analyst: the incident may affect other sectors (a criterion for ANSSI).
    alter table incidents add column other_sectors_risk boolean not null default false;

    -- One version of the routing rules: a JSON document validated by the contracts (RuleSet).
    -- Versions are immutable once published; one published version is current.
    create table alert_rule_sets (
      version integer primary key,
      status text not null check (status in ('draft','published','retired')),
      rules jsonb not null,
      comment text,
      created_by_user_id uuid references users(id),
      created_at timestamptz not null,
      published_by_user_id uuid references users(id),
      published_at timestamptz
    );
    create unique index alert_rule_sets_one_published on alert_rule_sets ((true)) where status = 'published';

    -- Where each authority receives its alerts (the ARS: one row per region).
    create table authority_contacts (
      id uuid primary key default gen_random_uuid(),
      authority text not null check (authority in ('anssi','fssi','dgs_corruss','health_agency','ars')),
      region_code text,
      email text not null,
      label text not null,
      check ((authority = 'ars') = (region_code is not null))
    );
    create unique index authority_contacts_unique on authority_contacts (authority, coalesce(region_code, ''), email);

    -- A notification to an authority about a case: proposed by a rule, then sent (or dismissed).
    create table authority_notifications (
      id uuid primary key default gen_random_uuid(),
      incident_id uuid not null references incidents(id) on delete cascade,
      authority text not null check (authority in ('anssi','fssi','dgs_corruss','health_agency','ars')),
      region_code text,
      status text not null check (status in ('sent','dismissed')),
      -- 0 = the built-in default rules (no version published yet).
      rule_set_version integer,
      rule_ids text[] not null default '{}',
      automatic boolean not null default false,
      recipients text[] not null default '{}',
      subject text not null,
      body text not null,
      -- The coded fields the message carried (what the authority was told).
      facts jsonb not null default '{}',
      tlp text not null check (tlp in ('clear','green','amber','amber_strict')),
      mail_ids uuid[] not null default '{}',
      decided_by_user_id uuid references users(id),
      decided_by_label text not null,
      decided_at timestamptz not null,
      comment text
    );
    create index authority_notifications_incident_idx on authority_notifications(incident_id, decided_at);
    create index authority_notifications_authority_idx
      on authority_notifications(authority, region_code, decided_at desc) where status = 'sent';

    -- Regulatory clocks of a case: NIS2 early warning / notification / intermediate / final
    -- report, CNIL notification. Due from the moment the structure became aware.
    create table regulatory_clocks (
      id uuid primary key default gen_random_uuid(),
      incident_id uuid not null references incidents(id) on delete cascade,
      kind text not null check (kind in ('nis2_early_warning','nis2_notification','nis2_intermediate',
        'nis2_final_report','cnil_notification')),
      aware_at timestamptz not null,
      due_at timestamptz not null,
      filed_at timestamptz,
      filed_by_user_id uuid references users(id),
      filed_by_label text,
      filing_reference text,
      filing_note text,
      -- Reminders sent: 'due_soon' before the deadline, 'overdue' after it.
      reminded_due_soon_at timestamptz,
      reminded_overdue_at timestamptz,
      created_at timestamptz not null,
      cancelled_at timestamptz
    );
    create unique index regulatory_clocks_unique on regulatory_clocks(incident_id, kind)
      where kind <> 'nis2_intermediate';
    create index regulatory_clocks_due_idx on regulatory_clocks(due_at)
      where filed_at is null and cancelled_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table regulatory_clocks; drop table authority_notifications; drop table authority_contacts;
    drop table alert_rule_sets;
    alter table incidents drop column other_sectors_risk;
  `.execute(db);
}
