import { type Kysely, sql } from "kysely";

/** The CERT's on-call rota and the pages sent to it (acknowledgment, webhook, escalation). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One person on call over [starts_at, ends_at) at a position (1 = called first, 2 = backup…).
    -- Overlaps per position are refused by the use case, under an advisory lock.
    create table oncall_shifts (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id),
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      position integer not null check (position between 1 and 9),
      created_by_user_id uuid references users(id),
      created_at timestamptz not null,
      check (ends_at > starts_at)
    );
    create index oncall_shifts_period_idx on oncall_shifts(ends_at, starts_at);
    create index oncall_shifts_user_idx on oncall_shifts(user_id);

    -- One row per level a declaration was paged at; escalation adds the next level once.
    create table oncall_pages (
      id uuid primary key default gen_random_uuid(),
      incident_id uuid not null references incidents(id) on delete cascade,
      -- The person on call who was paged; null when nobody was scheduled (the fallback address).
      shift_user_id uuid references users(id),
      target_email text not null,
      level integer not null check (level >= 1),
      created_at timestamptz not null,
      sent_webhook_at timestamptz,
      webhook_attempts integer not null default 0,
      webhook_last_error text,
      acknowledged_at timestamptz,
      acknowledged_by_user_id uuid references users(id),
      escalated_at timestamptz,
      unique (incident_id, level)
    );
    create index oncall_pages_webhook_idx on oncall_pages(created_at)
      where sent_webhook_at is null and acknowledged_at is null;
    create index oncall_pages_open_idx on oncall_pages(created_at)
      where acknowledged_at is null and escalated_at is null;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table oncall_pages; drop table oncall_shifts;`.execute(db);
}
