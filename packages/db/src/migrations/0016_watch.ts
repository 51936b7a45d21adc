import { type Kysely, sql } from "kysely";

/**
 * Proactive watch (decision 0011): each structure's exposed assets, the tickets raised when an
 * asset matches a vulnerability, exposes a sensitive service or when an account of the
 * structure leaked, their history, the grouped daily notification per structure with its
 * acknowledgment link, the leaked-credential imports (counts only: no address list and never a
 * password) and the matching runs.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table assets (
      id uuid primary key default gen_random_uuid(),
      structure_id uuid not null references structures(id) on delete cascade,
      kind text not null check (kind in ('domain', 'ip', 'cidr', 'product', 'service')),
      -- domain: the name in lower case, no trailing dot
      domain text,
      -- ip (/32 or /128) and cidr
      network cidr,
      -- product and service: where it is exposed (an IP address or a host name) and on which port
      host text,
      port integer check (port between 1 and 65535),
      transport text check (transport in ('tcp', 'udp')),
      -- service: rdp, smb, dicom, telnet, ftp, mssql, mysql, postgresql, … (contracts)
      service text,
      vendor text,
      product text,
      version text,
      cpe text,
      -- CPE vendor and product used for matching: from the CPE when given, else normalised names
      match_vendor text,
      match_product text,
      label text,
      source text not null check (source in ('manual', 'csv', 'audit')),
      created_by_user_id uuid references users(id),
      created_at timestamptz not null,
      updated_at timestamptz not null,
      check ((kind = 'domain') = (domain is not null)),
      check ((kind in ('ip', 'cidr')) = (network is not null)),
      check (kind <> 'product' or (product is not null)),
      check (kind <> 'service' or (host is not null and port is not null and service is not null))
    );
    -- A domain belongs to one structure. Overlapping networks of two structures are refused by
    -- the use case (one query on the gist index below, under the structure's lock).
    create unique index assets_domain_unique on assets (domain) where kind = 'domain';
    create index assets_network_idx on assets using gist (network inet_ops) where network is not null;
    create index assets_structure_idx on assets (structure_id, kind);
    create index assets_match_idx on assets (match_vendor, match_product) where match_product is not null;
    create index assets_updated_idx on assets (updated_at);

    create table watch_tickets (
      id uuid primary key default gen_random_uuid(),
      structure_id uuid not null references structures(id) on delete cascade,
      asset_id uuid references assets(id) on delete set null,
      kind text not null check (kind in ('vulnerability', 'sensitive_service', 'leaked_credential')),
      -- what makes two findings the same: 'vuln:<asset>:<cve>', 'service:<asset>', 'leak:<email>'
      finding_key text not null,
      cve_id text,
      confidence text not null check (confidence in ('confirmed', 'probable')),
      status text not null check (status in ('new', 'notified', 'acknowledged', 'fixed', 'false_positive', 'reopened')),
      urgency text not null check (urgency in ('normal', 'high', 'critical')),
      -- the urgency the structure was last told about: a higher one is notified again
      notified_urgency text check (notified_urgency in ('normal', 'high', 'critical')),
      -- what the message names: host, ip, domain, port, service, product, version, email, action…
      details jsonb not null,
      due_on date,
      first_seen_at timestamptz not null,
      last_seen_at timestamptz not null,
      notified_at timestamptz,
      last_reminded_at timestamptz,
      reminder_count integer not null default 0,
      acknowledged_at timestamptz,
      acknowledged_by_user_id uuid references users(id),
      fixed_at timestamptz,
      false_positive_until date,
      false_positive_reason text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      unique (structure_id, finding_key)
    );
    create index watch_tickets_status_idx on watch_tickets (status, structure_id);
    create index watch_tickets_cve_idx on watch_tickets (cve_id) where cve_id is not null;
    create index watch_tickets_asset_idx on watch_tickets (asset_id);

    create table watch_ticket_history (
      -- in insertion order: entries written at the same instant still read in sequence
      id bigint generated always as identity primary key,
      ticket_id uuid not null references watch_tickets(id) on delete cascade,
      at timestamptz not null,
      from_status text,
      to_status text not null,
      urgency text not null,
      actor_user_id uuid references users(id),
      -- system (matching, expiry, notification), user (web/API), link (acknowledgment link)
      via text not null check (via in ('system', 'user', 'link')),
      note text
    );
    create index watch_ticket_history_ticket_idx on watch_ticket_history (ticket_id, at);

    create table watch_notifications (
      id uuid primary key default gen_random_uuid(),
      structure_id uuid not null references structures(id) on delete cascade,
      -- one grouped message per structure and Paris day
      paris_day date not null,
      sent_at timestamptz not null,
      recipients text[] not null,
      ticket_ids uuid[] not null,
      reminder_ticket_ids uuid[] not null default '{}',
      -- sha-256 of the secret of the acknowledgment link (the secret is only in the e-mail)
      ack_token_hash text not null unique,
      ack_expires_at timestamptz not null,
      acknowledged_at timestamptz,
      unique (structure_id, paris_day)
    );

    create table leak_imports (
      id uuid primary key default gen_random_uuid(),
      source text not null check (length(source) between 1 and 200),
      imported_at timestamptz not null,
      imported_by_user_id uuid references users(id),
      lines integer not null,
      addresses integer not null,
      matched integer not null,
      rejected integer not null
    );

    create table watch_match_runs (
      id uuid primary key default gen_random_uuid(),
      mode text not null check (mode in ('full', 'incremental')),
      started_at timestamptz not null,
      finished_at timestamptz,
      assets_considered integer not null default 0,
      vulnerabilities_considered integer not null default 0,
      findings integer not null default 0,
      tickets_opened integer not null default 0,
      tickets_raised integer not null default 0,
      tickets_fixed integer not null default 0
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table watch_match_runs; drop table leak_imports; drop table watch_notifications;
    drop table watch_ticket_history; drop table watch_tickets; drop table assets;
  `.execute(db);
}
