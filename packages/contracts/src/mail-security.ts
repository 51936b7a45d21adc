import { z } from "zod";

/**
 * The mail security test (decision 0012): a domain's posture as control points, and the
 * filtering battery sent to a mailbox the structure designates.
 */

export const mailControlStatuses = ["pass", "warn", "fail", "info"] as const;
export const MailControlStatusSchema = z.enum(mailControlStatuses);
export type MailControlStatus = z.infer<typeof MailControlStatusSchema>;
export const mailControlStatusLabels: Record<MailControlStatus, string> = {
  pass: "Conforme",
  warn: "À améliorer",
  fail: "Non conforme",
  info: "Information",
};

/** The families of control points of the posture test. */
export const mailControlFamilies = [
  "spf",
  "dkim",
  "dmarc",
  "mta_sts",
  "tls_rpt",
  "starttls",
  "dane",
  "dnssec",
] as const;
export type MailControlFamily = (typeof mailControlFamilies)[number];
export const mailControlFamilyLabels: Record<MailControlFamily, string> = {
  spf: "SPF",
  dkim: "DKIM",
  dmarc: "DMARC",
  mta_sts: "MTA-STS",
  tls_rpt: "TLS-RPT",
  starttls: "STARTTLS et TLS des serveurs MX",
  dane: "DANE (TLSA)",
  dnssec: "DNSSEC",
};

export const MailControl = z.object({
  /** e.g. `spf.all`, `dmarc.policy`, `starttls.mx1.example.fr` */
  code: z.string(),
  family: z.enum(mailControlFamilies),
  status: MailControlStatusSchema,
  title: z.string(),
  /** What it means and what to do, in French. */
  explanation: z.string(),
  evidence: z.string().nullable(),
});
export type MailControl = z.infer<typeof MailControl>;

/** Families of the filtering battery. */
export const filteringCategories = [
  "sender",
  "headers",
  "encoding",
  "multipart",
  "attachment",
  "archive",
  "malware",
  "macro",
  "link",
] as const;
export type FilteringCategory = (typeof filteringCategories)[number];
export const filteringCategoryLabels: Record<FilteringCategory, string> = {
  sender: "Expéditeurs usurpés ou ressemblants",
  headers: "En-têtes malformés ou dupliqués",
  encoding: "Encodages",
  multipart: "Structures multipart imbriquées",
  attachment: "Pièces jointes dangereuses",
  archive: "Archives contenant des fichiers dangereux",
  malware: "Fichier de test antivirus (EICAR)",
  macro: "Documents à macros",
  link: "Liens vers des adresses IP et des domaines ressemblants",
};

export const MailSecurityTestInput = z.object({
  structureId: z.string().min(1, { error: "Choisissez une structure." }),
  domain: z
    .string()
    .trim()
    .min(1, { error: "Indiquez le domaine de messagerie à tester." })
    .max(253, { error: "Un nom de domaine compte 253 caractères au plus." }),
});

export const MailSecurityTestView = z.object({
  id: z.string(),
  structureId: z.string(),
  structureName: z.string(),
  domain: z.string(),
  status: z.enum(["running", "succeeded", "failed"]),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  counts: z.object({
    pass: z.number().int(),
    warn: z.number().int(),
    fail: z.number().int(),
    info: z.number().int(),
  }),
  controls: z.array(MailControl),
  error: z.string().nullable(),
});
export type MailSecurityTestView = z.infer<typeof MailSecurityTestView>;

export const FilteringCampaignInput = z.object({
  structureId: z.string().min(1, { error: "Choisissez une structure." }),
  mailbox: z
    .email({ error: "Indiquez l'adresse de la boîte aux lettres de test." })
    .max(254, { error: "Une adresse compte 254 caractères au plus." }),
});

/** The structure's report of what arrived: codes of the messages found in the mailbox. */
export const FilteringArrivalsInput = z.object({
  arrivedTokens: z.array(z.string().max(64)).max(1000),
});

export const FilteringImapCheckInput = z.object({
  host: z.string().trim().min(1, { error: "Indiquez le serveur IMAP." }).max(253),
  port: z.coerce.number().int().min(1).max(65535, { error: "Le port est compris entre 1 et 65535." }),
  secure: z.boolean(),
  user: z.string().min(1, { error: "Indiquez l'identifiant IMAP." }).max(254),
  /** Used for this check only; never stored. */
  password: z.string().min(1, { error: "Indiquez le mot de passe IMAP." }).max(1024),
});

export const FilteringMessageView = z.object({
  token: z.string(),
  code: z.string(),
  category: z.enum(filteringCategories),
  title: z.string(),
  /** null until the arrivals are reported. */
  arrived: z.boolean().nullable(),
});

export const FilteringCampaignView = z.object({
  id: z.string(),
  structureId: z.string(),
  structureName: z.string(),
  mailbox: z.string(),
  status: z.enum(["sending", "sent", "failed", "reported"]),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  reportedAt: z.string().nullable(),
  reportedVia: z.enum(["structure", "imap"]).nullable(),
  messages: z.array(FilteringMessageView),
  /** By category: sent, arrived (let through). */
  byCategory: z.array(
    z.object({
      category: z.enum(filteringCategories),
      label: z.string(),
      sent: z.number().int(),
      arrived: z.number().int(),
    }),
  ),
  error: z.string().nullable(),
});
export type FilteringCampaignView = z.infer<typeof FilteringCampaignView>;
