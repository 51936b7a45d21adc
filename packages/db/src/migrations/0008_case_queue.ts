import { type Kysely, sql } from "kysely";

/**
 * The CERT's case queue: a full-text document per incident (title, description,
 * structures' names and FINESS, and every message of the thread), kept up to date by triggers in
 * the same transaction as the change, and the indexes the queue's filters and sort use.
 *
 * Text is folded (lower case, French accents and ligatures removed, anything but [a-z0-9] made a
 * space, so « CS-2026-000123 » gives three words) by `vigie_search_fold`, the SQL twin of core's
 * `normaliseSearchText`, then indexed with the `simple` configuration (no
 * stemming, no stop words): no extension is needed, so PGlite and PostgreSQL behave the same.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function vigie_search_fold(t text) returns text
    language sql immutable parallel safe as $fold$
      select regexp_replace(lower(translate(
        replace(replace(replace(replace(coalesce(t, ''), 'œ', 'oe'), 'Œ', 'oe'), 'æ', 'ae'), 'Æ', 'ae'),
        'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝŸýÿ',
        'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYYyy')), '[^a-z0-9]+', ' ', 'g')
    $fold$;

    -- The incident's own searchable text (the thread is added by the caller).
    create function vigie_incident_search_text(i incidents) returns text
    language sql stable as $text$
      select concat_ws(' ', i.title, i.description,
        i.structure_snapshot->>'name', i.structure_snapshot->>'finessEt', i.structure_snapshot->>'town',
        (select string_agg(concat_ws(' ', s->>'name', s->>'finessEt', s->>'town'), ' ')
           from jsonb_array_elements(coalesce(i.structure_snapshot->'structures', '[]'::jsonb)) s))
    $text$;

    create table incident_search (
      incident_id uuid primary key references incidents(id) on delete cascade,
      document tsvector not null
    );
    create index incident_search_document_idx on incident_search using gin (document);

    create function vigie_incident_search_refresh() returns trigger
    language plpgsql as $trg$
    begin
      insert into incident_search (incident_id, document)
      values (new.id, to_tsvector('simple', vigie_search_fold(concat_ws(' ',
        vigie_incident_search_text(new),
        (select string_agg(m.body, ' ') from incident_messages m where m.incident_id = new.id)))))
      on conflict (incident_id) do update set document = excluded.document;
      return null;
    end
    $trg$;
    create trigger incidents_search_refresh
      after insert or update of title, description, structure_snapshot on incidents
      for each row execute function vigie_incident_search_refresh();

    create function vigie_message_search_append() returns trigger
    language plpgsql as $trg$
    begin
      update incident_search
        set document = document || to_tsvector('simple', vigie_search_fold(new.body))
        where incident_id = new.incident_id;
      return null;
    end
    $trg$;
    create trigger incident_messages_search_append
      after insert on incident_messages
      for each row execute function vigie_message_search_append();

    -- Backfill of the incidents already declared.
    insert into incident_search (incident_id, document)
    select i.id, to_tsvector('simple', vigie_search_fold(concat_ws(' ',
      vigie_incident_search_text(i),
      (select string_agg(m.body, ' ') from incident_messages m where m.incident_id = i.id))))
    from incidents i
    on conflict (incident_id) do nothing;

    -- The queue: newest first (the default page), within a region (ARS scope and filter).
    create index incidents_queue_idx on incidents (declared_at desc, reference desc);
    create index incidents_region_queue_idx
      on incidents ((structure_snapshot->>'regionCode'), declared_at desc, reference desc);
    -- Counts per status of the incidents a search matched: index-only lookups, no wide heap rows.
    create index incidents_id_status_idx on incidents (id) include (status);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop index incidents_id_status_idx;
    drop index incidents_region_queue_idx;
    drop index incidents_queue_idx;
    drop trigger incident_messages_search_append on incident_messages;
    drop trigger incidents_search_refresh on incidents;
    drop function vigie_message_search_append();
    drop function vigie_incident_search_refresh();
    drop table incident_search;
    drop function vigie_incident_search_text(incidents);
    drop function vigie_search_fold(text);
  `.execute(db);
}
