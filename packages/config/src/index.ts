import { z } from "zod";

const booleanFromEnv = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** Every environment variable the platform reads, with its default. */
export const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** postgres://… — PostgreSQL ≥ 15. Absent: embedded PGlite in VIGIE_DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "doit commencer par postgres:// ou postgresql://")
    .optional(),
  VIGIE_DATA_DIR: z.string().min(1).default("./data"),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public base URL, used in e-mails and OIDC redirects. Defaults to http://HOST:PORT. */
  VIGIE_PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Secure cookies; on by default, off only for plain-HTTP local use. */
  VIGIE_SECURE_COOKIES: booleanFromEnv.optional(),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().positive().default(15),
  /** Multiplies every per-IP rate limit (sign-in, registration…); test suites raise it. */
  RATE_LIMIT_SCALE: z.coerce.number().positive().default(1),
  /** smtp://user:pass@host:port — absent: mails stay in the outbox, readable in the UI. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "doit commencer par smtp:// ou smtps://")
    .optional(),
  MAIL_FROM: z.string().min(3).default("Vigie <ne-pas-repondre@vigie.localhost>"),
  /** OpenID Connect (e.g. Pro Santé Connect). All three or none. */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_LABEL: z.string().min(1).default("Pro Santé Connect"),
  OIDC_SCOPES: z.string().min(1).default("openid email profile"),
  /**
   * Comma-separated `acr` values that prove multi-factor authentication at the provider
   * (a privileged account signing in with one of them skips Vigie's own TOTP step).
   */
  OIDC_MFA_ACR: z.string().default(""),
  /** Where the FINESS CSV and regions are read for the first-run directory load. */
  VIGIE_REFERENCE_DIR: z.string().min(1).optional(),
  /** The CERT's 24/7 on-call number, shown to declarants out of business hours. */
  ONCALL_PHONE: z.string().min(4).default("01 23 45 67 89"),
  /** Address that pages the on-call analyst (mail-to-SMS gateway, pager, shared mailbox). */
  ONCALL_EMAIL: z.email().default("astreinte@cert-sante.localhost"),
  /**
   * Optional webhook (paging service, chat) that receives each on-call page as JSON
   * {reference, structure, phone, impacts, link, level}; retried every minute until it answers 2xx.
   */
  ONCALL_WEBHOOK_URL: z
    .url({ protocol: /^https?$/, error: "doit être une adresse http:// ou https://" })
    .optional(),
  /** Minutes an unacknowledged page waits before the next position on call is paged. */
  ONCALL_ESCALATION_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
  /** Minutes to a first response of the CERT when care is affected, patients endangered or help asked. */
  CASE_FIRST_RESPONSE_URGENT_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  /** Hours to a first response of the CERT for the other declarations. */
  CASE_FIRST_RESPONSE_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /** Days to the CERT's qualification of a declaration. */
  CASE_QUALIFICATION_DAYS: z.coerce.number().int().min(1).max(365).default(5),
  /** Days a declarant has to answer a request for complements, unless the analyst sets a date. */
  COMPLEMENT_DUE_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /** Days after a request for complements at which the declarant is reminded (comma-separated). */
  COMPLEMENT_REMINDER_DAYS: z
    .string()
    .default("2,7")
    .transform((v, ctx) => {
      const days = v
        .split(",")
        .map((d) => d.trim())
        .filter((d) => d !== "")
        .map(Number);
      if (days.some((d) => !Number.isInteger(d) || d < 1 || d > 365)) {
        ctx.addIssue({ code: "custom", message: "doit être une liste de jours entre 1 et 365 (ex. 2,7)" });
        return z.NEVER;
      }
      return [...new Set(days)].sort((a, b) => a - b);
    }),
  /** Days after which an unanswered request for complements is recorded as never answered. */
  COMPLEMENT_EXPIRY_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  /**
   * 32-byte key (base64) encrypting attachments at rest. Absent with the embedded database: a key
   * is generated once in VIGIE_DATA_DIR; absent with PostgreSQL: start-up refuses.
   */
  VIGIE_ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, "base64").length === 32, "doit être 32 octets encodés en base64")
    .optional(),
  /** Days after which a watch ticket still not acknowledged is reminded to its structure. */
  WATCH_REMINDER_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /** Days the acknowledgment link of a watch notification stays valid. */
  WATCH_ACK_LINK_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Chromium (or Chrome) executable that prints the observatory's yearly report to PDF. */
  CHROMIUM_PATH: z.string().min(1).default("/usr/bin/chromium"),
  /**
   * Vulnerability feeds fetched every day by the `feeds.fetch` job (decision 0011); each one is
   * optional: unset, that feed is only loaded from files (`vigie feeds load`, the CERT's page).
   */
  FEED_KEV_URL: z
    .url({ protocol: /^https?$/, error: "doit être une adresse http:// ou https://" })
    .optional(),
  FEED_NVD_URL: z
    .url({ protocol: /^https?$/, error: "doit être une adresse http:// ou https://" })
    .optional(),
  FEED_CERTFR_URL: z
    .url({ protocol: /^https?$/, error: "doit être une adresse http:// ou https://" })
    .optional(),
  /**
   * Cybersurveillance audits (decision 0012). DNS servers the audits ask (`192.0.2.53` or
   * `192.0.2.53:5353`, comma-separated); unset, the system's resolvers.
   */
  AUDIT_DNS_SERVERS: z
    .string()
    .optional()
    .transform((v) =>
      (v ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  /** Scanner identity sent with every HTTP request; unset, `VigieScanner/1.0 (+<public URL>/audits/scanner)`. */
  AUDIT_USER_AGENT: z.string().min(1).max(300).optional(),
  /** New connections per second to one target address. */
  AUDIT_RATE_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(50),
  /** Connection and read timeout of one probe, in milliseconds. */
  AUDIT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
  /** Port scanner: nmap when installed (`auto`), always, or the built-in TCP connect scan. */
  AUDIT_NMAP: z.enum(["auto", "always", "never"]).default("auto"),
  /** Ports tried: `default` (the audit's list of about a hundred) or a comma-separated list. */
  AUDIT_PORTS: z.string().default("default"),
  /** RDAP service asked for the domains' expiry dates (`https://rdap.example/`); unset, not checked. */
  AUDIT_RDAP_URL: z
    .url({ protocol: /^https?$/, error: "doit être une adresse http:// ou https://" })
    .optional(),
  /**
   * Lets the mail test reach private, loopback and reserved addresses within the structure's
   * authorised ranges (a platform run inside a private network, and the tests' local servers).
   * Off: the MX, MTA-STS and IMAP hosts must be public addresses.
   */
  MAIL_TEST_ALLOW_NON_PUBLIC: booleanFromEnv.default(false),
  /** SMTP relay the filtering test's messages are sent through; unset, SMTP_URL. */
  MAIL_TEST_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "doit commencer par smtp:// ou smtps://")
    .optional(),
  /** Do not load demo accounts and directory on first run. */
  VIGIE_NO_DEMO: booleanFromEnv.default(false),
});

export type Env = z.infer<typeof EnvSchema>;

/** The parsed configuration every app reads; built once per process by `loadConfig`. */
export interface Config extends Env {
  publicUrl: string;
  /** The scanner identity of the audits (User-Agent with a URL). */
  auditUserAgent: string;
  secureCookies: boolean;
  oidc: {
    issuer: string;
    clientId: string;
    clientSecret: string;
    label: string;
    scopes: string;
    /** `acr` values accepted as multi-factor (parsed from OIDC_MFA_ACR). */
    mfaAcrValues: string[];
  } | null;
}

/** Thrown when the environment is invalid; its message lists every wrong variable in French. */
export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Configuration invalide :\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses and checks the environment once; fails fast with every problem named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".")} : ${i.message}`));
  }
  const e = parsed.data;
  const oidcParts = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET];
  if (oidcParts.some(Boolean) && !oidcParts.every(Boolean)) {
    throw new ConfigError([
      "OIDC_ISSUER, OIDC_CLIENT_ID et OIDC_CLIENT_SECRET doivent être renseignés ensemble",
    ]);
  }
  const displayHost = e.HOST === "0.0.0.0" || e.HOST === "::" ? "localhost" : e.HOST;
  const publicUrl = (e.VIGIE_PUBLIC_URL ?? `http://${displayHost}:${e.PORT}`).replace(/\/$/, "");
  return {
    ...e,
    publicUrl,
    auditUserAgent: e.AUDIT_USER_AGENT ?? `VigieScanner/1.0 (+${publicUrl}/audits/scanner)`,
    secureCookies: e.VIGIE_SECURE_COOKIES ?? true,
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET
        ? {
            issuer: e.OIDC_ISSUER,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
            label: e.OIDC_LABEL,
            scopes: e.OIDC_SCOPES,
            mfaAcrValues: e.OIDC_MFA_ACR.split(",")
              .map((v) => v.trim())
              .filter(Boolean),
          }
        : null,
  };
}
