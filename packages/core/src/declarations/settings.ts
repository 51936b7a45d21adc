import { createHmac } from "node:crypto";
import type { IncidentRow } from "@vigie/db";

/** What the declaration use cases need from the configuration. */
export interface DeclarationSettings {
  /** Base URL of the web app, for the links in receipts and e-mails. */
  publicUrl: string;
  /** The CERT's 24/7 on-call number. */
  oncallPhone: string;
  /** Address that pages the on-call analyst. */
  oncallEmail: string;
  /** Minutes to the CERT's first response to an urgent declaration (care, patients, help asked). */
  firstResponseUrgentMinutes: number;
  /** Hours to the CERT's first response to the other declarations. */
  firstResponseHours: number;
  /** Days to the CERT's qualification of a declaration. */
  qualificationDays: number;
  /** Days a declarant has to answer a request for complements, unless the analyst sets a date. */
  complementDueDays: number;
  /** Days after a request for complements at which the declarant is reminded (ascending). */
  complementReminderDays: readonly number[];
  /** Days after which an unanswered request for complements is recorded as never answered. */
  complementExpiryDays: number;
}

/** The declaration settings from the parsed configuration. */
export function declarationSettingsFrom(config: {
  publicUrl: string;
  ONCALL_PHONE: string;
  ONCALL_EMAIL: string;
  CASE_FIRST_RESPONSE_URGENT_MINUTES: number;
  CASE_FIRST_RESPONSE_HOURS: number;
  CASE_QUALIFICATION_DAYS: number;
  COMPLEMENT_DUE_DAYS: number;
  COMPLEMENT_REMINDER_DAYS: readonly number[];
  COMPLEMENT_EXPIRY_DAYS: number;
}): DeclarationSettings {
  return {
    publicUrl: config.publicUrl,
    oncallPhone: config.ONCALL_PHONE,
    oncallEmail: config.ONCALL_EMAIL,
    firstResponseUrgentMinutes: config.CASE_FIRST_RESPONSE_URGENT_MINUTES,
    firstResponseHours: config.CASE_FIRST_RESPONSE_HOURS,
    qualificationDays: config.CASE_QUALIFICATION_DAYS,
    complementDueDays: config.COMPLEMENT_DUE_DAYS,
    complementReminderDays: config.COMPLEMENT_REMINDER_DAYS,
    complementExpiryDays: config.COMPLEMENT_EXPIRY_DAYS,
  };
}

/** Pages of the web app a declaration's links open. */
export const DECLARATION_PATHS = {
  /** A signed-in declarant's page of one declaration. */
  declaration: (id: string) => `/declarations/${id}`,
  /** The secret follow-up page of a declaration made without an account. */
  follow: (token: string) => `/suivi/${token}`,
} as const;

/**
 * The secret of a declaration's follow-up link, derived from what only the submitter holds: the
 * idempotency key it chose and the hash of its payload. A retried submission (same key and
 * payload) must get back the very receipt it lost, link included, and the link already mailed
 * must keep working, so the link cannot be a fresh random value; only its sha256 is stored.
 */
export function followToken(incident: Pick<IncidentRow, "idempotency_key" | "request_hash">): string {
  return createHmac("sha256", `vigie-follow:${incident.idempotency_key}`)
    .update(incident.request_hash)
    .digest("base64url");
}

/** Where a declarant follows a declaration: their account page, or the secret link. */
export function followUrl(
  incident: Pick<IncidentRow, "id" | "idempotency_key" | "request_hash" | "follow_token_hash">,
  settings: Pick<DeclarationSettings, "publicUrl">,
): string {
  if (incident.follow_token_hash)
    return `${settings.publicUrl}${DECLARATION_PATHS.follow(followToken(incident))}`;
  return `${settings.publicUrl}${DECLARATION_PATHS.declaration(incident.id)}`;
}
