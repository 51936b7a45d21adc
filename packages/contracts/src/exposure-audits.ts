import { z } from "zod";

/**
 * Cybersurveillance audits of a structure's Internet exposure (decision 0012): the shared
 * vocabulary (severities, categories, statuses) and the request and response schemas of the
 * perimeter, the authorisation, the audits and their report.
 */

/** How serious a finding is. `info` is reported but opens no watch ticket. */
export const findingSeverities = ["info", "low", "medium", "high", "critical"] as const;
export const FindingSeveritySchema = z.enum(findingSeverities);
export type FindingSeverity = z.infer<typeof FindingSeveritySchema>;
export const findingSeverityLabels: Record<FindingSeverity, string> = {
  info: "Information",
  low: "Faible",
  medium: "Moyenne",
  high: "Élevée",
  critical: "Critique",
};

/** What part of the audit found it. */
export const findingCategories = ["dns", "ports", "tls", "http", "service", "credentials", "mail"] as const;
export const FindingCategorySchema = z.enum(findingCategories);
export type FindingCategory = z.infer<typeof FindingCategorySchema>;
export const findingCategoryLabels: Record<FindingCategory, string> = {
  dns: "DNS et noms de domaine",
  ports: "Ports et services exposés",
  tls: "Chiffrement TLS et certificats",
  http: "Configuration des services web",
  service: "Services sensibles",
  credentials: "Identifiants par défaut ou faibles",
  mail: "Sécurité de la messagerie",
};

export const perimeterStatuses = ["draft", "submitted", "validated", "rejected"] as const;
export const PerimeterStatusSchema = z.enum(perimeterStatuses);
export type PerimeterStatus = z.infer<typeof PerimeterStatusSchema>;
export const perimeterStatusLabels: Record<PerimeterStatus, string> = {
  draft: "Brouillon",
  submitted: "Soumis au CERT",
  validated: "Validé et autorisé",
  rejected: "Refusé par le CERT",
};

export const exposureAuditStatuses = ["scheduled", "running", "succeeded", "failed", "cancelled"] as const;
export const ExposureAuditStatusSchema = z.enum(exposureAuditStatuses);
export type ExposureAuditStatus = z.infer<typeof ExposureAuditStatusSchema>;
export const exposureAuditStatusLabels: Record<ExposureAuditStatus, string> = {
  scheduled: "Planifié",
  running: "En cours",
  succeeded: "Terminé",
  failed: "Échoué",
  cancelled: "Annulé",
};

/** Where a finding stands compared with the structure's previous audit. */
export const findingChanges = ["new", "still_open", "fixed"] as const;
export type FindingChange = (typeof findingChanges)[number];
export const findingChangeLabels: Record<FindingChange, string> = {
  new: "Nouveau",
  still_open: "Toujours présent",
  fixed: "Corrigé depuis le précédent audit",
};

/** Days between two audits of one structure (« tous les deux mois »). */
export const AUDIT_PERIOD_DAYS = 61;

// ---------------------------------------------------------------------------------------------
// Perimeter and authorisation

/** What a structure declares; names and ranges are checked by the server (IDN, CIDR). */
export const PerimeterInput = z.object({
  domains: z
    .array(z.string().trim().min(1).max(253, { error: "Un nom de domaine compte 253 caractères au plus." }))
    .max(200, { error: "Le périmètre compte 200 domaines au plus." }),
  networks: z
    .array(z.string().trim().min(1).max(64, { error: "Une plage d'adresses compte 64 caractères au plus." }))
    .max(200, { error: "Le périmètre compte 200 plages d'adresses au plus." }),
  defaultCredentialsOptIn: z.boolean(),
  filteringMailbox: z
    .string()
    .trim()
    .max(254)
    .optional()
    .nullable()
    .transform((v) => (v ? v : null)),
});
export type PerimeterInput = z.infer<typeof PerimeterInput>;

export const AuthorisationInput = z.object({
  /** Last day the audits are authorised (YYYY-MM-DD, Paris). */
  validUntil: z.iso.date({ error: "Indiquez la date de fin d'autorisation (AAAA-MM-JJ)." }),
  /** Reference of the signed mandate or of the request. */
  reference: z
    .string()
    .trim()
    .min(1, { error: "Indiquez la référence du mandat ou de la demande." })
    .max(200, { error: "La référence compte 200 caractères au plus." }),
});
export type AuthorisationInput = z.infer<typeof AuthorisationInput>;

export const PerimeterRejectInput = z.object({
  reason: z
    .string()
    .trim()
    .min(1, { error: "Indiquez le motif du refus." })
    .max(2000, { error: "Le motif compte 2 000 caractères au plus." }),
});

export const AuthorisationView = z.object({
  id: z.string(),
  domains: z.array(z.string()),
  networks: z.array(z.string()),
  defaultCredentials: z.boolean(),
  reference: z.string(),
  grantedBy: z.string(),
  grantedAt: z.string(),
  validUntil: z.string(),
  revokedAt: z.string().nullable(),
  /** True when it is in force today. */
  inForce: z.boolean(),
});
export type AuthorisationView = z.infer<typeof AuthorisationView>;

export const PerimeterView = z.object({
  structureId: z.string(),
  structureName: z.string(),
  status: PerimeterStatusSchema,
  domains: z.array(z.string()),
  networks: z.array(z.string()),
  defaultCredentialsOptIn: z.boolean(),
  filteringMailbox: z.string().nullable(),
  submittedAt: z.string().nullable(),
  reviewNote: z.string().nullable(),
  /** The authorisation in force, else the latest one. */
  authorisation: AuthorisationView.nullable(),
  /** Names imported from certificate transparency exports. */
  ctNames: z.number().int(),
});
export type PerimeterView = z.infer<typeof PerimeterView>;

// ---------------------------------------------------------------------------------------------
// Audits and report

export const SeverityCounts = z.object({
  info: z.number().int(),
  low: z.number().int(),
  medium: z.number().int(),
  high: z.number().int(),
  critical: z.number().int(),
});
export type SeverityCounts = z.infer<typeof SeverityCounts>;

export const AuditSummaryCounts = z.object({
  bySeverity: SeverityCounts,
  hosts: z.number().int(),
  openPorts: z.number().int(),
  new: z.number().int(),
  stillOpen: z.number().int(),
  fixed: z.number().int(),
  outOfPerimeter: z.number().int(),
});
export type AuditSummaryCounts = z.infer<typeof AuditSummaryCounts>;

export const ExposureAuditSummary = z.object({
  id: z.string(),
  structureId: z.string(),
  structureName: z.string(),
  status: ExposureAuditStatusSchema,
  scheduledFor: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** Null until the audit succeeded. */
  counts: AuditSummaryCounts.nullable(),
  error: z.string().nullable(),
});
export type ExposureAuditSummary = z.infer<typeof ExposureAuditSummary>;

export const AuditFindingView = z.object({
  findingKey: z.string(),
  checkCode: z.string(),
  category: FindingCategorySchema,
  severity: FindingSeveritySchema,
  title: z.string(),
  evidence: z.string(),
  remediation: z.string(),
  domain: z.string().nullable(),
  host: z.string().nullable(),
  ip: z.string().nullable(),
  port: z.number().int().nullable(),
  change: z.enum(findingChanges),
  ticketId: z.string().nullable(),
});
export type AuditFindingView = z.infer<typeof AuditFindingView>;

/** The exposure map: each host with its addresses and open services. */
export const ExposureHost = z.object({
  name: z.string().nullable(),
  ips: z.array(z.string()),
  services: z.array(
    z.object({
      ip: z.string(),
      port: z.number().int(),
      transport: z.enum(["tcp", "udp"]),
      service: z.string().nullable(),
      tls: z.boolean(),
      product: z.string().nullable(),
      version: z.string().nullable(),
      banner: z.string().nullable(),
    }),
  ),
});
export type ExposureHost = z.infer<typeof ExposureHost>;

export const ExposureAuditDetail = ExposureAuditSummary.extend({
  authorisation: AuthorisationView.nullable(),
  previousAuditId: z.string().nullable(),
  scanner: z
    .object({ engine: z.enum(["nmap", "builtin"]), userAgent: z.string(), ports: z.number().int() })
    .nullable(),
  exposure: z.array(ExposureHost),
  outOfPerimeter: z.array(z.object({ name: z.string(), ip: z.string() })),
  /** Findings of this audit (new and still open), most severe first. */
  findings: z.array(AuditFindingView),
  /** Findings of the previous audit not found again. */
  fixed: z.array(AuditFindingView),
  /** When the previous audit (the comparison) finished. */
  previousFinishedAt: z.string().nullable(),
  /** Remarks on what was scanned, in French (e.g. a range capped). */
  notes: z.array(z.string()),
});
export type ExposureAuditDetail = z.infer<typeof ExposureAuditDetail>;

export const ExposureAuditListQuery = z.object({
  structureId: z.string().optional(),
  status: ExposureAuditStatusSchema.optional(),
  page: z.coerce.number().int().min(1).default(1),
});

export const ExposureAuditList = z.object({
  items: z.array(ExposureAuditSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** The CERT's progress and the 2023-style counts for a Paris year. */
export const ExposureAuditStats = z.object({
  year: z.number().int(),
  audits: z.number().int(),
  structuresAudited: z.number().int(),
  byStructureType: z.array(
    z.object({ structureType: z.string(), label: z.string(), audits: z.number().int() }),
  ),
  /** GHT with at least one audited hospital, and those with more than half audited. */
  ghtCovered: z.number().int(),
  ghtOverHalf: z.number().int(),
  /** Validated perimeters, audits due in the coming period, overdue, running, failed. */
  progress: z.object({
    validatedPerimeters: z.number().int(),
    perimetersToReview: z.number().int(),
    scheduled: z.number().int(),
    overdue: z.number().int(),
    running: z.number().int(),
    failedLast30Days: z.number().int(),
  }),
});
export type ExposureAuditStats = z.infer<typeof ExposureAuditStats>;
