import { type Kysely, sql } from "kysely";

/**
 * The CERT's handling of a case (decision 0008):
 * - the explicit state machine new → triage → in_progress → waiting_declarant → resolved →
 *   closed (`received` becomes `new`), with the times the statistics read (acknowledged,
 *   qualified, resolved, closed);
 * - the CERT's qualification beside what the declarant proposed (both kept), and the effective
 *   values — the qualified ones once qualified, the declared ones before — as generated columns
 *   the queue and the statistics read;
 * - assignment and deadlines; technical support records; TLP on messages;
 * - events grouping declarations; complement requests with reminders and the "never answered"
 *   state; the journal of field changes and internal notes; saved views of the queue.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table incidents drop constraint incidents_status_check;
    update incidents set status = 'new' where status = 'received';
    alter table incidents alter column status set default 'new';
    alter table incidents add constraint incidents_status_check
      check (status in ('new','triage','in_progress','waiting_declarant','resolved','closed'));
    update incident_status_changes set from_status = 'new' where from_status = 'received';
    update incident_status_changes set to_status = 'new' where to_status = 'received';

    create table events (
      id uuid primary key default gen_random_uuid(),
      -- EV-2026-0012: per-year number, gapless (event_reference_counters).
      reference text not null unique,
      title text not null,
      -- The CERT's shared analysis, shown to the linked declarants unless the event is TLP:RED.
      analysis text not null default '',
      tlp text not null default 'amber' check (tlp in ('clear','green','amber','amber_strict','red')),
      status text not null default 'open' check (status in ('open','closed')),
      created_by_user_id uuid references users(id),
      created_at timestamptz not null,
      updated_at timestamptz not null
    );
    create table event_reference_counters (
      year integer primary key,
      last_value integer not null
    );

    alter table incidents
      -- Qualification by the CERT (null / empty until qualified; qualified_at says whether it is).
      add column out_of_scope boolean not null default false,
      add column out_of_scope_reason text
        check (out_of_scope_reason in ('not_health_is','exercise','duplicate','other')),
      add column origin text check (origin in ('malicious','non_malicious','undetermined')),
      add column malicious_types text[] not null default '{}',
      add column non_malicious_types text[] not null default '{}',
      add column si_effect text check (si_effect in ('none','low','moderate','important','extreme')),
      add column qualified_operational_impact text
        check (qualified_operational_impact in ('none','degraded_support','degraded_care','care_interrupted')),
      add column qualified_data_impacts text[] not null default '{}',
      add column qualified_data_types text[] not null default '{}',
      add column qualified_patient_endangerment text
        check (qualified_patient_endangerment in ('none','potential','actual')),
      add column qualification_summary text,
      add column qualified_at timestamptz,
      add column qualified_by_user_id uuid references users(id),
      add column first_qualified_at timestamptz,
      -- Effective values: what the queue filters on and the statistics count.
      add column effective_origin text generated always as
        (case when qualified_at is null then proposed_origin else origin end) stored,
      add column effective_malicious_types text[] generated always as
        (case when qualified_at is null then proposed_malicious_types else malicious_types end) stored,
      add column effective_non_malicious_types text[] generated always as
        (case when qualified_at is null then proposed_non_malicious_types else non_malicious_types end) stored,
      add column effective_operational_impact text generated always as
        (case when qualified_at is null then operational_impact else qualified_operational_impact end) stored,
      add column effective_data_impacts text[] generated always as
        (case when qualified_at is null then data_impacts else qualified_data_impacts end) stored,
      add column effective_data_types text[] generated always as
        (case when qualified_at is null then data_types else qualified_data_types end) stored,
      add column effective_patient_endangerment text generated always as
        (case when qualified_at is null then patient_endangerment else qualified_patient_endangerment end) stored,
      -- Handling.
      add column assignee_user_id uuid references users(id),
      add column first_response_due_at timestamptz,
      add column qualification_due_at timestamptz,
      add column acknowledged_at timestamptz,
      add column resolved_at timestamptz,
      add column closed_at timestamptz,
      add column technical_support_provided boolean not null default false,
      add column authorities_involved text[] not null default '{}',
      -- First complement request, and when every request had been answered (null: not, or never).
      add column complement_requested_at timestamptz,
      add column complement_answered_at timestamptz,
      add column event_id uuid references events(id) on delete set null;

    -- Deadlines of the cases declared before this migration: one hour / five days.
    update incidents set
      first_response_due_at = declared_at + interval '1 hour',
      qualification_due_at = declared_at + interval '5 days',
      acknowledged_at = case when status <> 'new' then updated_at end,
      closed_at = case when status = 'closed' then updated_at end;

    create index incidents_assignee_idx on incidents(assignee_user_id, declared_at desc);
    create index incidents_event_idx on incidents(event_id) where event_id is not null;
    -- Overdue cases: those still waiting for a first response or a qualification.
    create index incidents_response_due_idx on incidents(first_response_due_at) where status = 'new';
    create index incidents_qualification_due_idx on incidents(qualification_due_at)
      where qualified_at is null and status not in ('resolved','closed');
    -- The CERT's counters (overdue, unassigned, mine) within the queue's filters, without the
    -- wide heap rows: among the open cases (a partial index, small since most cases are closed);
    -- for a search's matches, with the counts per status in one pass (the covering index by id,
    -- which supersedes 0008's incidents (id) include (status)).
    create index incidents_open_handling_idx on incidents(id)
      include (status, assignee_user_id, first_response_due_at, qualification_due_at, qualified_at)
      where status not in ('resolved','closed');
    create index incidents_id_handling_idx on incidents(id)
      include (status, assignee_user_id, first_response_due_at, qualification_due_at, qualified_at);
    drop index incidents_id_status_idx;
    -- The queue sorted by the nearest pending deadline (the "due" sort): first response while
    -- new, qualification while unqualified and open; the same expression as the repository's.
    create index incidents_next_due_idx on incidents((least(
        case when status = 'new' then first_response_due_at end,
        case when qualified_at is null and status not in ('resolved', 'closed') then qualification_due_at end)),
      declared_at desc, reference desc);

    alter table incident_messages
      add column tlp text not null default 'amber'
        check (tlp in ('clear','green','amber','amber_strict','red')),
      -- Set when the message was sent to every declaration of an event at once.
      add column event_id uuid references events(id) on delete set null;

    -- Requests for complements: a question of the CERT with its due date and reminders.
    create table complement_requests (
      id uuid primary key default gen_random_uuid(),
      incident_id uuid not null references incidents(id) on delete cascade,
      question_message_id uuid not null references incident_messages(id) on delete cascade,
      requested_by_user_id uuid references users(id),
      requested_at timestamptz not null,
      due_at timestamptz not null,
      status text not null default 'open' check (status in ('open','answered','never_answered','cancelled')),
      reminders_sent integer not null default 0,
      last_reminded_at timestamptz,
      answered_at timestamptz,
      answer_message_id uuid references incident_messages(id) on delete set null,
      -- When the request was declared never answered (after the last reminder and the expiry).
      expired_at timestamptz
    );
    create index complement_requests_incident_idx on complement_requests(incident_id, requested_at);
    create index complement_requests_open_idx on complement_requests(requested_at) where status = 'open';

    -- Technical support given by the CERT (appui technique): what, by whom, when.
    create table support_actions (
      id uuid primary key default gen_random_uuid(),
      incident_id uuid not null references incidents(id) on delete cascade,
      performed_at timestamptz not null,
      performed_by_user_id uuid references users(id),
      performed_by_label text not null,
      kind text not null check (kind in ('remote','onsite','analysis','coordination','other')),
      description text not null,
      duration_minutes integer check (duration_minutes >= 0),
      authorities_involved text[] not null default '{}',
      created_at timestamptz not null
    );
    create index support_actions_incident_idx on support_actions(incident_id, performed_at);

    -- The journal of a case besides its thread and status history: field changes (old → new),
    -- internal notes, links to events, complement reminders, support records, alerts.
    create table incident_journal (
      id bigint generated always as identity primary key,
      incident_id uuid not null references incidents(id) on delete cascade,
      at timestamptz not null,
      actor_user_id uuid references users(id),
      actor_label text not null,
      kind text not null,
      field text,
      old_value jsonb,
      new_value jsonb,
      body text,
      tlp text check (tlp in ('clear','green','amber','amber_strict','red')),
      ref_id uuid
    );
    create index incident_journal_incident_idx on incident_journal(incident_id, at, id);

    -- Saved views of the queue: a name and the query string of its filters.
    create table saved_views (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id) on delete cascade,
      name text not null,
      query text not null,
      created_at timestamptz not null,
      unique (user_id, name)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table saved_views; drop table incident_journal; drop table support_actions;
    drop table complement_requests;
    alter table incident_messages drop column tlp, drop column event_id;
    -- The generated columns first: they depend on the columns dropped next.
    alter table incidents
      drop column effective_origin, drop column effective_malicious_types,
      drop column effective_non_malicious_types, drop column effective_operational_impact,
      drop column effective_data_impacts, drop column effective_data_types,
      drop column effective_patient_endangerment;
    alter table incidents
      drop column out_of_scope, drop column out_of_scope_reason, drop column origin,
      drop column malicious_types, drop column non_malicious_types, drop column si_effect,
      drop column qualified_operational_impact, drop column qualified_data_impacts,
      drop column qualified_data_types, drop column qualified_patient_endangerment,
      drop column qualification_summary, drop column qualified_at, drop column qualified_by_user_id,
      drop column first_qualified_at, drop column assignee_user_id,
      drop column first_response_due_at, drop column qualification_due_at, drop column acknowledged_at,
      drop column resolved_at, drop column closed_at, drop column technical_support_provided,
      drop column authorities_involved, drop column complement_requested_at,
      drop column complement_answered_at, drop column event_id;
    drop table event_reference_counters; drop table events;
    create index incidents_id_status_idx on incidents (id) include (status);
    alter table incidents drop constraint incidents_status_check;
    update incidents set status = 'received' where status in ('new','triage');
    update incidents set status = 'in_progress' where status = 'resolved';
    alter table incidents alter column status set default 'received';
    alter table incidents add constraint incidents_status_check
      check (status in ('received','in_progress','waiting_declarant','closed'));
  `.execute(db);
}
