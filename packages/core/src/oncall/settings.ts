/** What the on-call use cases need from the configuration. */
export interface OncallSettings {
  /** Base URL of the web app, for the links in pages. */
  publicUrl: string;
  /** Paged when nobody is scheduled (and as the last escalation step). */
  oncallEmail: string;
  /** Receives every page as JSON; null: no webhook. */
  webhookUrl: string | null;
  /** Minutes an unacknowledged page waits before the next person on call is paged. */
  escalationMinutes: number;
}

/** The on-call settings from the parsed configuration. */
export function oncallSettingsFrom(config: {
  publicUrl: string;
  ONCALL_EMAIL: string;
  ONCALL_WEBHOOK_URL?: string | undefined;
  ONCALL_ESCALATION_MINUTES: number;
}): OncallSettings {
  return {
    publicUrl: config.publicUrl,
    oncallEmail: config.ONCALL_EMAIL,
    webhookUrl: config.ONCALL_WEBHOOK_URL ?? null,
    escalationMinutes: config.ONCALL_ESCALATION_MINUTES,
  };
}

/** Posts a JSON body; throws when the receiver does not answer 2xx. Implemented in `@vigie/integrations`. */
export type WebhookPoster = (url: string, body: unknown) => Promise<void>;
