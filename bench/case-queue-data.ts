/**
 * Bench-only bulk loader of the CERT's queue: `count` realistic incidents over three years, in
 * set-based SQL (one statement per table), spread over the directory's structures, with French
 * titles, descriptions and, for about a third of them, one to three messages.
 */
import type { Executor } from "@vigie/db";
import { sql } from "kysely";

const TITLES = [
  "Rançongiciel sur les serveurs de fichiers",
  "Hameçonnage ciblant la messagerie",
  "Compromission d'un compte VPN de maintenance",
  "Panne du dossier patient informatisé",
  "Coupure électrique du bloc opératoire",
  "Fuite de données patients sur un forum",
  "Déni de service sur le site internet",
  "Vol d'un ordinateur portable du service de radiologie",
  "Perte des liaisons télécom avec le laboratoire",
  "Erreur de paramétrage du logiciel de pharmacie",
  "Exploitation d'une vulnérabilité du pare-feu",
  "Faux ordre de virement d'un fournisseur",
];
const DESCRIPTIONS = [
  "Les postes affichent une demande de rançon, les partages réseau sont chiffrés et inaccessibles.",
  "Plusieurs agents ont saisi leurs identifiants sur une fausse page de connexion à la messagerie.",
  "Connexions inhabituelles la nuit depuis l'étranger avec le compte du prestataire de maintenance.",
  "Le DPI ne répond plus depuis la mise à jour, les services travaillent en mode dégradé papier.",
  "Le groupe électrogène n'a pas démarré, interventions reportées pendant quarante minutes.",
  "Un extrait de la base des rendez-vous a été publié, l'hébergeur a été prévenu.",
  "Le site internet et la prise de rendez-vous en ligne sont saturés depuis ce matin.",
  "Ordinateur non chiffré dérobé dans le véhicule d'un médecin, données d'imagerie présentes.",
  "Les résultats de biologie n'arrivent plus, l'opérateur a ouvert un ticket.",
  "Les doses affichées par l'automate de dispensation étaient erronées, détecté par une infirmière.",
  "Des journaux du pare-feu montrent l'exploitation d'une faille connue, correctif non appliqué.",
  "La comptabilité a reçu un changement de RIB frauduleux au nom d'un fournisseur habituel.",
];
const MESSAGES = [
  "Les sauvegardes hors ligne sont-elles intactes ? Merci de nous transmettre les journaux.",
  "Nous avons isolé les serveurs touchés et réinitialisé les mots de passe administrateurs.",
  "Le défibrillateur connecté et les pousse-seringues ne sont pas touchés.",
  "Pouvez-vous préciser la version de l'équipement et la date du dernier correctif ?",
  "Le prestataire infogérant a confirmé la restauration partielle depuis la sauvegarde de dimanche.",
  "Plainte déposée auprès de la gendarmerie, notification CNIL en cours.",
];
const ORIGINS = ["malicious", "non_malicious", "undetermined"];
const MALICIOUS = [
  "ransomware",
  "account_compromise",
  "malicious_message",
  "data_leak",
  "denial_of_service",
  "fraud",
];
const NON_MALICIOUS = [
  "infrastructure_failure",
  "telecom_loss",
  "application_bug",
  "power_outage",
  "human_error",
];
const IMPACTS = ["none", "degraded_support", "degraded_care", "care_interrupted"];
const CHANNELS = ["portal", "portal", "portal", "phone_oncall", "email", "other"];

const arr = (values: readonly string[]) => sql`cast(${sql.val([...values])} as text[])`;

/**
 * Inserts `count` incidents (and their structure links and messages); returns the messages count.
 * Statuses: 50 % closed, 5 % resolved, 18 % in progress, 10 % waiting, 5 % triage, 12 % new.
 * Handling as the platform writes it: deadlines (first response 1 h when care is affected or
 * help asked, else 24 h; qualification 5 days), acknowledgment, the qualification (the declared
 * values) of every resolved or closed case and half of the others, resolution and closure times,
 * and an assignee among `assigneeIds` for every case that left `new`.
 */
export async function bulkInsertIncidents(
  db: Executor,
  count: number,
  now: Date,
  assigneeIds: readonly string[] = [],
): Promise<number> {
  await sql`
    with s as (
      select row_number() over (order by finess_et) - 1 as n, count(*) over () as total, * from structures
    ),
    g as (
      select x, hashint4(x) as h1, hashint4(x + 1000003) as h2, hashint4(x + 2000003) as h3,
        ${now}::timestamptz - (random() * interval '1095 days') as at
      from generate_series(1, ${count}) x
    ),
    r as (
      select g.*, s.*,
        case when (abs(g.h1) % 100) < 50 then 'closed' when (abs(g.h1) % 100) < 55 then 'resolved'
             when (abs(g.h1) % 100) < 73 then 'in_progress' when (abs(g.h1) % 100) < 83 then 'waiting_declarant'
             when (abs(g.h1) % 100) < 88 then 'triage' else 'new' end as status_value,
        (${arr(ORIGINS)})[1 + abs(g.h2) % 3] as origin_value
      from g join s on s.n = abs(g.h3) % s.total
    )
    insert into incidents (reference, idempotency_key, request_hash, channel, status, structure_id,
      structure_snapshot, standing, declarant_contact, title, description, detected_at, declared_at,
      state_at_declaration, support_requested, proposed_origin, proposed_malicious_types,
      proposed_non_malicious_types, operational_impact, out_of_hours, created_at, updated_at)
    select 'CS-' || extract(year from r.at)::int || '-B' || lpad(r.x::text, 6, '0'),
      gen_random_uuid(), md5(r.x::text),
      (${arr(CHANNELS)})[1 + abs(r.h1 / 7) % ${CHANNELS.length}],
      r.status_value, r.id,
      jsonb_build_object('id', r.id, 'finessEt', r.finess_et, 'name', r.name, 'town', r.town,
        'structureType', r.structure_type, 'regionCode', r.region_code, 'departmentCode', r.department_code,
        'ose', r.ose, 'oiv', r.oiv, 'ghtCode', r.ght_code, 'ghtSupport', r.ght_support,
        'structures', jsonb_build_array(jsonb_build_object('id', r.id, 'finessEt', r.finess_et,
          'name', r.name, 'town', r.town))),
      'verified',
      jsonb_build_object('fullName', 'Agent de la structure', 'email', 'rssi@structure.test', 'phone', '0102030405'),
      (${arr(TITLES)})[1 + abs(r.h2 / 3) % ${TITLES.length}],
      (${arr(DESCRIPTIONS)})[1 + abs(r.h2 / 3) % ${DESCRIPTIONS.length}] || ' Site de ' || coalesce(r.town, 'la structure') || '.',
      r.at - interval '2 hours', r.at,
      (array['resolved','in_progress','support_needed','unknown'])[1 + abs(r.h3 / 11) % 4],
      (abs(r.h1 / 13) % 3) = 0,
      r.origin_value,
      case when r.origin_value = 'malicious' then array[(${arr(MALICIOUS)})[1 + abs(r.h2 / 17) % ${MALICIOUS.length}]] else '{}' end,
      case when r.origin_value = 'non_malicious' then array[(${arr(NON_MALICIOUS)})[1 + abs(r.h2 / 17) % ${NON_MALICIOUS.length}]] else '{}' end,
      (${arr(IMPACTS)})[1 + abs(r.h3 / 19) % 4],
      (abs(r.h1 / 23) % 100) < 40,
      r.at, r.at
    from r
  `.execute(db);
  // The handling, in one set-based update (the search trigger does not fire on these columns).
  await sql`
    with h as (
      select id, hashint4(hashtext(reference)) as k, declared_at, status,
        operational_impact in ('degraded_care', 'care_interrupted') or support_requested as urgent
      from incidents where reference like 'CS-%-B%'
    ),
    q as (
      select h.*, status in ('resolved', 'closed') or abs(k) % 2 = 0 as qualified from h
    )
    update incidents i set
      first_response_due_at = q.declared_at + case when q.urgent then interval '1 hour' else interval '24 hours' end,
      qualification_due_at = q.declared_at + interval '5 days',
      acknowledged_at = case when q.status <> 'new' then q.declared_at + (abs(q.k) % 180) * interval '1 minute' end,
      assignee_user_id = case when q.status <> 'new' and ${assigneeIds.length} > 0
        then (${sql.val([...assigneeIds])}::uuid[])[1 + abs(q.k / 7) % greatest(${assigneeIds.length}, 1)] end,
      origin = case when q.qualified then i.proposed_origin end,
      malicious_types = case when q.qualified then i.proposed_malicious_types else '{}' end,
      non_malicious_types = case when q.qualified then i.proposed_non_malicious_types else '{}' end,
      si_effect = case when q.qualified and i.proposed_origin = 'malicious' then 'moderate' end,
      qualified_operational_impact = case when q.qualified then i.operational_impact end,
      qualified_data_impacts = case when q.qualified then array['none'] else '{}' end,
      qualified_patient_endangerment = case when q.qualified then 'none' end,
      qualification_summary = case when q.qualified then 'Qualification de référence du banc d''essai.' end,
      qualified_at = case when q.qualified then q.declared_at + interval '2 days' end,
      first_qualified_at = case when q.qualified then q.declared_at + interval '2 days' end,
      resolved_at = case when q.status in ('resolved', 'closed') then q.declared_at + interval '10 days' end,
      closed_at = case when q.status = 'closed' then q.declared_at + interval '12 days' end
    from q where i.id = q.id
  `.execute(db);
  await sql`
    insert into incident_structures (incident_id, structure_id, position)
    select id, structure_id, 0 from incidents where reference like 'CS-%-B%'
  `.execute(db);
  const messages = await sql<{ n: string }>`
    with m as (
      insert into incident_messages (incident_id, author_kind, author_name, kind, body, created_at)
      select i.id, case when k % 2 = 1 then 'cert' else 'declarant' end, 'Bench',
        case when k % 2 = 1 then 'question' else 'answer' end,
        (${arr(MESSAGES)})[1 + abs(hashint4(k + hashtext(i.reference))) % ${MESSAGES.length}],
        i.declared_at + k * interval '1 hour'
      from incidents i cross join generate_series(1, 3) k
      where i.reference like 'CS-%-B%' and k <= abs(hashtext(i.reference)) % 9 - 5
      returning 1
    )
    select count(*) as n from m
  `.execute(db);
  return Number(messages.rows[0]?.n ?? 0);
}
