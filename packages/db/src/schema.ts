import type { ColumnType, Generated, JSONColumnType } from "kysely";

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;
/** A column the database computes (generated always): read only. */
type ReadOnly<T> = ColumnType<T, never, never>;

export interface RegionsTable {
  code: string;
  name: string;
  iso: string;
  ars_name: string;
  metropolitan: boolean;
}

export interface DepartmentsTable {
  code: string;
  region_code: string | null;
  name: string | null;
}

export interface StructuresTable {
  id: Generated<string>;
  finess_et: string;
  finess_ej: string | null;
  name: string;
  long_name: string | null;
  structure_type: string;
  /** Set when the CERT corrected the type: FINESS imports then leave it alone (0002). */
  structure_type_set_by_hand: Defaulted<boolean>;
  legal_status: string | null;
  category: string | null;
  region_code: string | null;
  department_code: string | null;
  town: string | null;
  postal_code: string | null;
  phone: string | null;
  siret: string | null;
  ght_code: string | null;
  ght_support: Defaulted<boolean>;
  ose: Defaulted<boolean>;
  oiv: Defaulted<boolean>;
  contact_emails: Defaulted<string[]>;
  mail_domains: Defaulted<string[]>;
  search_text: Defaulted<string>;
  source: Defaulted<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  full_name: string;
  job_title: string | null;
  phone: string | null;
  role: string;
  region_code: string | null;
  authority: string | null;
  password_hash: string | null;
  totp_secret: string | null;
  totp_enabled_at: NullableTimestamp;
  /** TOTP time step of the last accepted code (replay protection, 0003). */
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
  email_verified_at: NullableTimestamp;
  disabled_at: NullableTimestamp;
  failed_login_count: Defaulted<number>;
  locked_until: NullableTimestamp;
  last_login_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface UserStructuresTable {
  user_id: string;
  structure_id: string;
  status: Defaulted<"active" | "pending">;
  created_at: Timestamp;
}

export interface OidcIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  created_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  stage: "mfa_required" | "mfa_enrolment" | "authenticated";
  ip: string | null;
  user_agent: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface EmailTokensTable {
  token_hash: string;
  user_id: string;
  purpose: "verify_email" | "reset_password";
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  scopes: string[];
  created_at: Timestamp;
  expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface AuditLogTable {
  id: ColumnType<string, never, never>;
  occurred_at: Timestamp;
  actor_user_id: string | null;
  actor_label: string;
  action: string;
  outcome: "success" | "failure" | "denied";
  object_type: string | null;
  object_id: string | null;
  ip: string | null;
  details: JSONColumnType<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  singleton: Defaulted<boolean>;
  last_id: string;
  last_hash: string;
}

export interface MailOutboxTable {
  id: Generated<string>;
  to_address: string;
  subject: string;
  text_body: string;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  attempts: Defaulted<number>;
  last_error: string | null;
  /** Not retried before this time after a failure (backoff, 0004). */
  next_attempt_at: NullableTimestamp;
  /** Set while a worker is sending the message, so no other worker picks it up (0004). */
  claimed_until: NullableTimestamp;
}

/** A pending OpenID Connect sign-in, keyed by the hash of the browser cookie's value (0004). */
export interface OidcLoginAttemptsTable {
  key_hash: string;
  state: string;
  nonce: string;
  code_verifier: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ReferenceCountersTable {
  year: number;
  last_value: number;
}

export interface IncidentsTable {
  id: Generated<string>;
  reference: string;
  idempotency_key: string;
  request_hash: string;
  channel: "portal" | "phone_oncall" | "email" | "other";
  status: Defaulted<"new" | "triage" | "in_progress" | "waiting_declarant" | "resolved" | "closed">;
  structure_id: string;
  structure_snapshot: JSONColumnType<Record<string, unknown>>;
  declarant_user_id: string | null;
  recorded_by_user_id: string | null;
  standing: "verified" | "pending_link" | "unverified_account" | "anonymous";
  declarant_contact: JSONColumnType<Record<string, unknown>>;
  follow_token_hash: string | null;
  title: string;
  description: string;
  /** Optional since 0012 (the exchange format does not require it). */
  detected_at: NullableTimestamp;
  started_at: NullableTimestamp;
  declared_at: Timestamp;
  state_at_declaration: string;
  support_requested: boolean;
  proposed_origin: string | null;
  proposed_malicious_types: Defaulted<string[]>;
  proposed_non_malicious_types: Defaulted<string[]>;
  affected_systems: Defaulted<string[]>;
  operational_impact: string;
  degraded_since: NullableTimestamp;
  /** numeric: a string on both drivers. */
  degraded_mode_hours: ColumnType<string | null, string | number | null | undefined, string | number | null>;
  patient_endangerment: string | null;
  patient_endangerment_details: string | null;
  data_impacts: Defaulted<string[]>;
  data_types: Defaulted<string[]>;
  persons_affected: number | null;
  other_structures_affected: string | null;
  measures_taken: string | null;
  filings: Defaulted<string[]>;
  provider_name: string | null;
  tlp: Defaulted<string>;
  out_of_hours: boolean;
  oncall_paged_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** When the indicators of compromise were read from the title and description (0006). */
  indicators_extracted_at: NullableTimestamp;
  // Qualification by the CERT (0010); meaningful once qualified_at is set.
  out_of_scope: Defaulted<boolean>;
  out_of_scope_reason: string | null;
  origin: string | null;
  malicious_types: Defaulted<string[]>;
  non_malicious_types: Defaulted<string[]>;
  si_effect: string | null;
  qualified_operational_impact: string | null;
  qualified_data_impacts: Defaulted<string[]>;
  qualified_data_types: Defaulted<string[]>;
  qualified_patient_endangerment: string | null;
  qualification_summary: string | null;
  qualified_at: NullableTimestamp;
  qualified_by_user_id: string | null;
  first_qualified_at: NullableTimestamp;
  // Effective values (qualified once qualified, declared before), generated by the database.
  effective_origin: ReadOnly<string | null>;
  effective_malicious_types: ReadOnly<string[]>;
  effective_non_malicious_types: ReadOnly<string[]>;
  effective_operational_impact: ReadOnly<string>;
  effective_data_impacts: ReadOnly<string[]>;
  effective_data_types: ReadOnly<string[]>;
  effective_patient_endangerment: ReadOnly<string | null>;
  // Handling (0010).
  assignee_user_id: string | null;
  first_response_due_at: NullableTimestamp;
  qualification_due_at: NullableTimestamp;
  acknowledged_at: NullableTimestamp;
  resolved_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  technical_support_provided: Defaulted<boolean>;
  authorities_involved: Defaulted<string[]>;
  complement_requested_at: NullableTimestamp;
  complement_answered_at: NullableTimestamp;
  event_id: string | null;
  /** Set by the analyst: the incident may affect other sectors (0011). */
  other_sectors_risk: Defaulted<boolean>;
  /** Set when the incident came from a bulk import (`vigie.incident/1`, 0012). */
  imported_at: NullableTimestamp;
}

export interface IncidentStructuresTable {
  incident_id: string;
  structure_id: string;
  position: number;
}

/** Full-text document of an incident, maintained by triggers (0008); tsvector read as text. */
export interface IncidentSearchTable {
  incident_id: string;
  document: string;
}
export interface IncidentMessagesTable {
  id: Generated<string>;
  incident_id: string;
  author_user_id: string | null;
  author_kind: "declarant" | "cert" | "system";
  author_name: string;
  kind: "message" | "question" | "answer" | "recommendation";
  body: string;
  created_at: Timestamp;
  /** When the indicators of compromise were read from the body (0006). */
  indicators_extracted_at: NullableTimestamp;
  /** TLP 2.0 marking of the message (0010). */
  tlp: Defaulted<string>;
  /** The event whose message this is, when sent to every declaration of an event (0010). */
  event_id: string | null;
}

export interface IncidentIndicatorsTable {
  id: Generated<string>;
  incident_id: string;
  kind: "ip" | "domain" | "url" | "email" | "hash";
  value: string;
  source: "description" | "message" | "attachment" | "analyst";
  source_id: string | null;
  first_seen_at: Timestamp;
  added_by_user_id: string | null;
  deleted_at: NullableTimestamp;
  deleted_by_user_id: string | null;
}

export interface IncidentStatusChangesTable {
  id: ColumnType<string, never, never>;
  incident_id: string;
  from_status: string | null;
  to_status: string;
  changed_by_user_id: string | null;
  changed_by_label: string;
  comment: string | null;
  changed_at: Timestamp;
}

export interface AttachmentBlobsTable {
  id: Generated<string>;
  key_id: string;
  iv: Uint8Array;
  auth_tag: Uint8Array;
  ciphertext: Uint8Array;
}

export interface AttachmentsTable {
  id: Generated<string>;
  pending_key: string | null;
  incident_id: string | null;
  message_id: string | null;
  blob_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_by_user_id: string | null;
  uploaded_at: Timestamp;
}

export interface DeclarationDraftsTable {
  user_id: string;
  draft_key: string;
  data: JSONColumnType<Record<string, unknown>>;
  updated_at: Timestamp;
}

export interface ReflexSheetsTable {
  id: Generated<string>;
  slug: string;
  title: string;
  category: string;
  kind: "reflex_sheet" | "recommendation";
  current_version: Defaulted<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  archived_at: NullableTimestamp;
}

/** Immutable: an edit inserts the next version (0007). */
export interface ReflexSheetVersionsTable {
  sheet_id: string;
  version: number;
  title: string;
  body: string;
  tlp: Defaulted<"clear" | "green" | "amber" | "amber_strict" | "red">;
  created_by_user_id: string | null;
  created_at: Timestamp;
  change_note: string | null;
}

export interface ReflexSheetSendingsTable {
  id: ColumnType<string, never, never>;
  incident_id: string;
  sheet_id: string;
  version: number;
  message_id: string;
  sent_by_user_id: string | null;
  sent_at: Timestamp;
}

/** A CERT event grouping declarations (0010). */
export interface EventsTable {
  id: Generated<string>;
  reference: string;
  title: string;
  analysis: Defaulted<string>;
  tlp: Defaulted<string>;
  status: Defaulted<"open" | "closed">;
  created_by_user_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EventReferenceCountersTable {
  year: number;
  last_value: number;
}

/** A request for complements: a CERT question with its due date and reminders (0010). */
export interface ComplementRequestsTable {
  id: Generated<string>;
  incident_id: string;
  question_message_id: string;
  requested_by_user_id: string | null;
  requested_at: Timestamp;
  due_at: Timestamp;
  status: Defaulted<"open" | "answered" | "never_answered" | "cancelled">;
  reminders_sent: Defaulted<number>;
  last_reminded_at: NullableTimestamp;
  answered_at: NullableTimestamp;
  answer_message_id: string | null;
  expired_at: NullableTimestamp;
}

/** Technical support given by the CERT (0010). */
export interface SupportActionsTable {
  id: Generated<string>;
  incident_id: string;
  performed_at: Timestamp;
  performed_by_user_id: string | null;
  performed_by_label: string;
  kind: "remote" | "onsite" | "analysis" | "coordination" | "other";
  description: string;
  duration_minutes: number | null;
  authorities_involved: Defaulted<string[]>;
  created_at: Timestamp;
}

/** A journal entry of a case besides its thread and status history (0010). */
export interface IncidentJournalTable {
  id: ColumnType<string, never, never>;
  incident_id: string;
  at: Timestamp;
  actor_user_id: string | null;
  actor_label: string;
  kind: string;
  field: string | null;
  /** jsonb: written as JSON text, read as the parsed value. */
  old_value: ColumnType<unknown, string | null | undefined, string | null>;
  new_value: ColumnType<unknown, string | null | undefined, string | null>;
  body: string | null;
  tlp: string | null;
  ref_id: string | null;
}

/** A saved view of the CERT queue (0010). */
export interface SavedViewsTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  query: string;
  created_at: Timestamp;
}

/** A version of the routing rules that decide which authorities to alert (0011). */
export interface AlertRuleSetsTable {
  version: number;
  status: "draft" | "published" | "retired";
  rules: JSONColumnType<unknown[], string, string>;
  comment: string | null;
  created_by_user_id: string | null;
  created_at: Timestamp;
  published_by_user_id: string | null;
  published_at: NullableTimestamp;
}

/** Where an authority (the ARS: per region) receives its alerts (0011). */
export interface AuthorityContactsTable {
  id: Generated<string>;
  authority: "anssi" | "fssi" | "dgs_corruss" | "health_agency" | "ars";
  region_code: string | null;
  email: string;
  label: string;
}

/** A notification sent to (or dismissed for) an authority about a case (0011). */
export interface AuthorityNotificationsTable {
  id: Generated<string>;
  incident_id: string;
  authority: "anssi" | "fssi" | "dgs_corruss" | "health_agency" | "ars";
  region_code: string | null;
  status: "sent" | "dismissed";
  /** 0 = the built-in default rules. */
  rule_set_version: number | null;
  rule_ids: Defaulted<string[]>;
  automatic: Defaulted<boolean>;
  recipients: Defaulted<string[]>;
  subject: string;
  body: string;
  facts: JSONColumnType<Record<string, unknown>, string | undefined, string>;
  tlp: "clear" | "green" | "amber" | "amber_strict";
  mail_ids: Defaulted<string[]>;
  decided_by_user_id: string | null;
  decided_by_label: string;
  decided_at: Timestamp;
  comment: string | null;
}

/** A regulatory deadline of a case: NIS 2 reports, CNIL notification (0011). */
export interface RegulatoryClocksTable {
  id: Generated<string>;
  incident_id: string;
  kind:
    | "nis2_early_warning"
    | "nis2_notification"
    | "nis2_intermediate"
    | "nis2_final_report"
    | "cnil_notification";
  aware_at: Timestamp;
  due_at: Timestamp;
  filed_at: NullableTimestamp;
  filed_by_user_id: string | null;
  filed_by_label: string | null;
  filing_reference: string | null;
  filing_note: string | null;
  reminded_due_soon_at: NullableTimestamp;
  reminded_overdue_at: NullableTimestamp;
  created_at: Timestamp;
  cancelled_at: NullableTimestamp;
}

/** A person on call over [starts_at, ends_at) at a position, 1 being called first (0009). */
export interface OncallShiftsTable {
  id: Generated<string>;
  user_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  position: number;
  created_by_user_id: string | null;
  created_at: Timestamp;
}

/** One page of a declaration at one level; escalation inserts the next level (0009). */
export interface OncallPagesTable {
  id: Generated<string>;
  incident_id: string;
  shift_user_id: string | null;
  target_email: string;
  level: number;
  created_at: Timestamp;
  sent_webhook_at: NullableTimestamp;
  webhook_attempts: Defaulted<number>;
  webhook_last_error: string | null;
  acknowledged_at: NullableTimestamp;
  acknowledged_by_user_id: string | null;
  escalated_at: NullableTimestamp;
}

/** A reference of each region's share of national hospital activity (0012). */
export interface RegionActivityReferencesTable {
  id: Generated<string>;
  reference_year: number;
  source: string;
  loaded_at: Timestamp;
  loaded_by_user_id: string | null;
}

export interface RegionActivitySharesTable {
  reference_id: string;
  region_code: string;
  /** numeric: a string on both drivers. */
  share: ColumnType<string, string | number, string | number>;
}

/** jsonb column: written as JSON text, read as the parsed value. */
type Jsonb<T> = ColumnType<T, string, string>;
/** nullable jsonb column. */
type NullableJsonb<T> = ColumnType<T | null, string | null, string | null>;
/** date column: 'YYYY-MM-DD' strings on both drivers (client.ts). */
type DateOnly = string;
/** numeric column: a string on both drivers. */
type NumericText = ColumnType<string, string | number, string | number>;

/** The report of one ingestion of a vulnerability feed (0015). */
export interface FeedRunsTable {
  id: Generated<string>;
  source: string;
  origin: string;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  status: string;
  added: Defaulted<number>;
  updated: Defaulted<number>;
  unchanged: Defaulted<number>;
  rejected: Defaulted<number>;
  problems: Jsonb<{ record: string | null; line: number | null; message: string }[]>;
  triggered_by_user_id: string | null;
}

/** One feed record as received, with its source and revision (0015). */
export interface VulnerabilitySourcesTable {
  source: string;
  record_id: string;
  revision: Defaulted<number>;
  content_hash: string;
  payload: Jsonb<unknown>;
  source_modified_at: NullableTimestamp;
  first_seen_at: Timestamp;
  last_changed_at: Timestamp;
  last_seen_at: Timestamp;
  last_run_id: string | null;
}

/** The merged view of one CVE across KEV, NVD and CERT-FR (0015). */
export interface VulnerabilitiesTable {
  cve_id: string;
  description: string | null;
  cvss_score: NumericText | null;
  cvss_severity: string | null;
  nvd_status: string | null;
  nvd_published_at: NullableTimestamp;
  nvd_last_modified_at: NullableTimestamp;
  in_kev: Defaulted<boolean>;
  kev_added_on: DateOnly | null;
  kev_due_on: DateOnly | null;
  kev_ransomware: Defaulted<boolean>;
  kev_vendor: string | null;
  kev_product: string | null;
  kev_name: string | null;
  kev_action: string | null;
  advisory_ids: Defaulted<string[]>;
  match_changed_at: Timestamp;
  updated_at: Timestamp;
}

/** One vulnerable cpeMatch of an NVD configuration (0015). */
export interface VulnerabilityCriteriaTable {
  id: ColumnType<string, never, never>;
  cve_id: string;
  criteria: string;
  part: string;
  vendor: string;
  product: string;
  version: string;
  version_start_including: string | null;
  version_start_excluding: string | null;
  version_end_including: string | null;
  version_end_excluding: string | null;
}

/** A CERT-FR alert or advisory (0015). */
export interface AdvisoriesTable {
  id: string;
  kind: string;
  title: string;
  link: string | null;
  summary: string | null;
  published_at: NullableTimestamp;
  source_updated_at: NullableTimestamp;
  cves: Defaulted<string[]>;
  updated_at: Timestamp;
}

/** An exposed asset of a structure (0016). */
export interface AssetsTable {
  id: Generated<string>;
  structure_id: string;
  kind: string;
  domain: string | null;
  /** cidr: '192.0.2.0/24' text on both drivers. */
  network: string | null;
  host: string | null;
  port: number | null;
  transport: string | null;
  service: string | null;
  vendor: string | null;
  product: string | null;
  version: string | null;
  cpe: string | null;
  match_vendor: string | null;
  match_product: string | null;
  label: string | null;
  source: string;
  created_by_user_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One finding (asset × vulnerability, sensitive service, leaked account) and its lifecycle (0016). */
export interface WatchTicketsTable {
  id: Generated<string>;
  structure_id: string;
  asset_id: string | null;
  kind: string;
  finding_key: string;
  cve_id: string | null;
  confidence: string;
  status: string;
  urgency: string;
  notified_urgency: string | null;
  details: Jsonb<Record<string, unknown>>;
  due_on: DateOnly | null;
  first_seen_at: Timestamp;
  last_seen_at: Timestamp;
  notified_at: NullableTimestamp;
  last_reminded_at: NullableTimestamp;
  reminder_count: Defaulted<number>;
  acknowledged_at: NullableTimestamp;
  acknowledged_by_user_id: string | null;
  fixed_at: NullableTimestamp;
  false_positive_until: DateOnly | null;
  false_positive_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WatchTicketHistoryTable {
  /** bigint identity, in insertion order; a string on both drivers. */
  id: ColumnType<string, never, never>;
  ticket_id: string;
  at: Timestamp;
  from_status: string | null;
  to_status: string;
  urgency: string;
  actor_user_id: string | null;
  via: string;
  note: string | null;
}

/** The grouped message of one structure and Paris day (0016). */
export interface WatchNotificationsTable {
  id: Generated<string>;
  structure_id: string;
  paris_day: DateOnly;
  sent_at: Timestamp;
  recipients: string[];
  ticket_ids: string[];
  reminder_ticket_ids: Defaulted<string[]>;
  ack_token_hash: string;
  ack_expires_at: Timestamp;
  acknowledged_at: NullableTimestamp;
}

export interface LeakImportsTable {
  id: Generated<string>;
  source: string;
  imported_at: Timestamp;
  imported_by_user_id: string | null;
  lines: number;
  addresses: number;
  matched: number;
  rejected: number;
}

export interface WatchMatchRunsTable {
  id: Generated<string>;
  mode: string;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  assets_considered: Defaulted<number>;
  vulnerabilities_considered: Defaulted<number>;
  findings: Defaulted<number>;
  tickets_opened: Defaulted<number>;
  tickets_raised: Defaulted<number>;
  tickets_fixed: Defaulted<number>;
}

/** The gapless counter of publication references, per kind and year (0014). */
export interface PublicationReferenceCountersTable {
  kind: string;
  year: number;
  last_value: number;
}

/** A publication of the CERT: its head and working copy (0014). */
export interface PublicationsTable {
  id: Generated<string>;
  kind: "alert" | "bulletin" | "reflex_sheet" | "good_practice";
  status: Defaulted<"draft" | "published" | "withdrawn">;
  reference: string | null;
  slug: string | null;
  year: number | null;
  title: string;
  summary: Defaulted<string>;
  risk: Defaulted<string>;
  products: JSONColumnType<{ vendor: string; product: string; versions: string }[]>;
  cve_ids: Defaulted<string[]>;
  exploitation: Defaulted<"none_known" | "proof_of_concept" | "actively_exploited">;
  actions: Defaulted<string>;
  reference_urls: Defaulted<string[]>;
  body: Defaulted<string>;
  tlp: Defaulted<"clear" | "green" | "amber">;
  current_revision: Defaulted<number>;
  pending_changes: Defaulted<boolean>;
  created_by_user_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  first_published_at: NullableTimestamp;
  last_published_at: NullableTimestamp;
  withdrawn_at: NullableTimestamp;
  withdrawn_by_user_id: string | null;
  withdrawal_note: string | null;
}

/** One published revision of a publication, never modified (0014). */
export interface PublicationRevisionsTable {
  publication_id: string;
  revision: number;
  title: string;
  summary: string;
  risk: string;
  products: JSONColumnType<{ vendor: string; product: string; versions: string }[]>;
  product_text: string;
  cve_ids: string[];
  exploitation: "none_known" | "proof_of_concept" | "actively_exploited";
  actions: string;
  reference_urls: string[];
  body: string;
  tlp: "clear" | "green" | "amber";
  change_note: string;
  published_by_user_id: string | null;
  published_at: Timestamp;
  search_document: ReadOnly<string>;
}

/** The audit perimeter a structure declares (0017). */
export interface AuditPerimetersTable {
  structure_id: string;
  domains: Defaulted<string[]>;
  networks: Defaulted<string[]>;
  default_credentials_opt_in: Defaulted<boolean>;
  filtering_mailbox: string | null;
  status: "draft" | "submitted" | "validated" | "rejected";
  submitted_at: NullableTimestamp;
  submitted_by_user_id: string | null;
  review_note: string | null;
  updated_at: Timestamp;
}

/** The CERT's authorisation to scan a perimeter snapshot (0017). */
export interface AuditAuthorisationsTable {
  id: Generated<string>;
  structure_id: string;
  domains: string[];
  networks: string[];
  default_credentials: boolean;
  reference: string;
  granted_by_user_id: string;
  granted_at: Timestamp;
  valid_until: DateOnly;
  revoked_at: NullableTimestamp;
  revoked_by_user_id: string | null;
}

/** Names from certificate transparency exports (0017). */
export interface AuditCtNamesTable {
  structure_id: string;
  name: string;
  first_seen: DateOnly | null;
  last_seen: DateOnly | null;
  issuer: string | null;
  imported_at: Timestamp;
}

/** One exposure audit of a structure (0017). */
export interface ExposureAuditsTable {
  id: Generated<string>;
  structure_id: string;
  authorisation_id: string | null;
  status: "scheduled" | "running" | "succeeded" | "failed" | "cancelled";
  scheduled_for: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  requested_by_user_id: string | null;
  previous_audit_id: string | null;
  scanner: NullableJsonb<unknown>;
  summary: NullableJsonb<unknown>;
  exposure: NullableJsonb<unknown>;
  out_of_perimeter: NullableJsonb<unknown>;
  error: string | null;
  created_at: Timestamp;
}

/** A finding of an exposure audit (0017). */
export interface ExposureAuditFindingsTable {
  id: Generated<string>;
  audit_id: string;
  structure_id: string;
  finding_key: string;
  check_code: string;
  category: string;
  severity: string;
  title: string;
  evidence: string;
  remediation: string;
  domain: string | null;
  host: string | null;
  ip: string | null;
  port: number | null;
  ticket_id: string | null;
}

/** A mail posture test of one domain (0017). */
export interface MailSecurityTestsTable {
  id: Generated<string>;
  structure_id: string;
  domain: string;
  status: "running" | "succeeded" | "failed";
  requested_by_user_id: string | null;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
  controls: NullableJsonb<unknown>;
  error: string | null;
}

/** A filtering test campaign: the battery sent to a mailbox, and what arrived (0017). */
export interface MailFilterCampaignsTable {
  id: Generated<string>;
  structure_id: string;
  mailbox: string;
  status: "sending" | "sent" | "failed" | "reported";
  created_by_user_id: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  messages: Jsonb<unknown>;
  arrived_tokens: string[] | null;
  reported_at: NullableTimestamp;
  reported_via: "structure" | "imap" | null;
  reported_by_user_id: string | null;
  error: string | null;
}

/** The whole schema, as Kysely sees it. */
export interface Database {
  regions: RegionsTable;
  departments: DepartmentsTable;
  structures: StructuresTable;
  users: UsersTable;
  user_structures: UserStructuresTable;
  oidc_identities: OidcIdentitiesTable;
  sessions: SessionsTable;
  email_tokens: EmailTokensTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  mail_outbox: MailOutboxTable;
  oidc_login_attempts: OidcLoginAttemptsTable;
  reference_counters: ReferenceCountersTable;
  incidents: IncidentsTable;
  incident_structures: IncidentStructuresTable;
  incident_messages: IncidentMessagesTable;
  incident_search: IncidentSearchTable;
  incident_status_changes: IncidentStatusChangesTable;
  incident_indicators: IncidentIndicatorsTable;
  attachment_blobs: AttachmentBlobsTable;
  attachments: AttachmentsTable;
  declaration_drafts: DeclarationDraftsTable;
  reflex_sheets: ReflexSheetsTable;
  reflex_sheet_versions: ReflexSheetVersionsTable;
  reflex_sheet_sendings: ReflexSheetSendingsTable;
  oncall_shifts: OncallShiftsTable;
  oncall_pages: OncallPagesTable;
  events: EventsTable;
  event_reference_counters: EventReferenceCountersTable;
  complement_requests: ComplementRequestsTable;
  support_actions: SupportActionsTable;
  incident_journal: IncidentJournalTable;
  saved_views: SavedViewsTable;
  alert_rule_sets: AlertRuleSetsTable;
  authority_contacts: AuthorityContactsTable;
  authority_notifications: AuthorityNotificationsTable;
  regulatory_clocks: RegulatoryClocksTable;
  region_activity_references: RegionActivityReferencesTable;
  region_activity_shares: RegionActivitySharesTable;
  // publications (0014): added by the publications work
  publication_reference_counters: PublicationReferenceCountersTable;
  publications: PublicationsTable;
  publication_revisions: PublicationRevisionsTable;
  feed_runs: FeedRunsTable;
  vulnerability_sources: VulnerabilitySourcesTable;
  vulnerabilities: VulnerabilitiesTable;
  vulnerability_criteria: VulnerabilityCriteriaTable;
  advisories: AdvisoriesTable;
  assets: AssetsTable;
  watch_tickets: WatchTicketsTable;
  watch_ticket_history: WatchTicketHistoryTable;
  watch_notifications: WatchNotificationsTable;
  leak_imports: LeakImportsTable;
  watch_match_runs: WatchMatchRunsTable;
  // cybersurveillance audits and mail security (0017)
  audit_perimeters: AuditPerimetersTable;
  audit_authorisations: AuditAuthorisationsTable;
  audit_ct_names: AuditCtNamesTable;
  exposure_audits: ExposureAuditsTable;
  exposure_audit_findings: ExposureAuditFindingsTable;
  mail_security_tests: MailSecurityTestsTable;
  mail_filter_campaigns: MailFilterCampaignsTable;
}
