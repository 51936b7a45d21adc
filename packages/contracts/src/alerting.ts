import { z } from "zod";
import { authorities, authorityLabels, StructureTypeSchema } from "./roles.ts";
import {
  dataImpact,
  dataType,
  maliciousType,
  nonMaliciousType,
  operationalImpact,
  origin,
  patientEndangerment,
  siEffect,
  tlp,
} from "./taxonomy.ts";

// Alerting the authorities (decision 0009): routing rules as versioned data, notifications,
// the authorities' and ARS views, and the regulatory clocks.

/** Who can be alerted: the national authorities, and the ARS of the structure's region. */
export const alertTargets = [...authorities, "ars"] as const;
export const AlertTarget = z.enum(alertTargets, { error: "Destinataire inconnu." });
export type AlertTarget = z.infer<typeof AlertTarget>;
export const alertTargetLabels: Record<AlertTarget, string> = {
  ...authorityLabels,
  ars: "ARS de la région",
};

/**
 * The facts of a case a rule may test, with the codes each takes. Effective values: the
 * CERT's qualification once qualified, the declaration before.
 */
export const ruleFacts = {
  origin: origin.values,
  malicious_types: maliciousType.values,
  non_malicious_types: nonMaliciousType.values,
  si_effect: siEffect.values,
  operational_impact: operationalImpact.values,
  patient_endangerment: patientEndangerment.values,
  data_impacts: dataImpact.values,
  data_types: dataType.values,
  structure_type: StructureTypeSchema.options,
} as const;
export type RuleFact = keyof typeof ruleFacts;
export const ruleFactLabels: Record<RuleFact, string> = {
  origin: "Origine",
  malicious_types: "Types malveillants",
  non_malicious_types: "Types non malveillants",
  si_effect: "Effet sur le SI",
  operational_impact: "Impact sur le fonctionnement",
  patient_endangerment: "Mise en danger de patients",
  data_impacts: "Impact sur les données",
  data_types: "Types de données",
  structure_type: "Type de structure",
};
/** Yes/no facts of a case. */
export const ruleFlags = ["ose", "oiv", "out_of_scope", "support_requested", "other_sectors_risk"] as const;
export type RuleFlag = (typeof ruleFlags)[number];
export const ruleFlagLabels: Record<RuleFlag, string> = {
  ose: "Opérateur de services essentiels (OSE)",
  oiv: "Opérateur d'importance vitale (OIV)",
  out_of_scope: "Hors périmètre",
  support_requested: "Accompagnement demandé",
  other_sectors_risk: "Peut toucher d'autres secteurs",
};

/** A condition on a case: a fact among codes (for lists: any of them), a flag, or a combination. */
export type RuleCondition =
  | { fact: RuleFact; in: string[] }
  | { flag: RuleFlag; is: boolean }
  | { all: RuleCondition[] }
  | { any: RuleCondition[] }
  | { not: RuleCondition };

const factCondition = z
  .object({
    fact: z.enum(Object.keys(ruleFacts) as [RuleFact, ...RuleFact[]], { error: "Critère inconnu." }),
    in: z.array(z.string()).min(1, { error: "Indiquez au moins une valeur." }),
  })
  .strict()
  .superRefine((c, ctx) => {
    const known: readonly string[] = ruleFacts[c.fact];
    const unknown = c.in.filter((v) => !known.includes(v));
    if (unknown.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["in"],
        message: `Valeur inconnue pour « ${ruleFactLabels[c.fact]} » : ${unknown.join(", ")}.`,
      });
    }
  });
const flagCondition = z
  .object({ flag: z.enum(ruleFlags, { error: "Indicateur inconnu." }), is: z.boolean() })
  .strict();
export const RuleConditionSchema: z.ZodType<RuleCondition> = z.lazy(() =>
  z.union([
    factCondition,
    flagCondition,
    z.object({ all: z.array(RuleConditionSchema).min(1) }).strict(),
    z.object({ any: z.array(RuleConditionSchema).min(1) }).strict(),
    z.object({ not: RuleConditionSchema }).strict(),
  ]),
);

/** One routing rule: when a case matches, propose (or, automatic, send) an alert to a target. */
export const AlertRule = z
  .object({
    id: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9_-]{1,59}$/, { error: "Identifiant : minuscules, chiffres, - ou _ (2 à 60)." }),
    label: z.string().trim().min(3, { error: "Décrivez la règle." }).max(300),
    target: AlertTarget,
    when: RuleConditionSchema,
    /** Sent without an analyst's confirmation once the case is qualified. */
    automatic: z.boolean().default(false),
  })
  .strict();
export type AlertRule = z.output<typeof AlertRule>;

export const RuleSetInput = z.object({
  rules: z
    .array(AlertRule)
    .max(100, { error: "100 règles au maximum." })
    .refine((rules) => new Set(rules.map((r) => r.id)).size === rules.length, {
      error: "Deux règles ont le même identifiant.",
    }),
  comment: z.string().trim().max(2000).optional(),
});

const major: RuleCondition = {
  all: [
    { fact: "origin", in: ["malicious"] },
    { fact: "si_effect", in: ["important", "extreme"] },
  ],
};
const inScope: RuleCondition = { flag: "out_of_scope", is: false };

/** The service's practice, used until a `cert_lead` publishes a version of its own (version 0). */
export const DEFAULT_ALERT_RULES: AlertRule[] = [
  {
    id: "fssi-incident-majeur",
    label:
      "FSSI des ministères sociaux : incident majeur (malveillant à effet important ou extrême, ou prise en charge interrompue)",
    target: "fssi",
    when: { all: [inScope, { any: [major, { fact: "operational_impact", in: ["care_interrupted"] }] }] },
    automatic: false,
  },
  {
    id: "dgs-corruss-soins",
    label: "DGS / CORRUSS : prise en charge des patients touchée ou patient mis en danger",
    target: "dgs_corruss",
    when: {
      all: [
        inScope,
        {
          any: [
            { fact: "operational_impact", in: ["degraded_care", "care_interrupted"] },
            { fact: "patient_endangerment", in: ["potential", "actual"] },
          ],
        },
      ],
    },
    automatic: false,
  },
  {
    id: "agences-sanitaires-impact-majeur",
    label:
      "Agences sanitaires : impact majeur sur la prise en charge (interrompue, ou patient mis en danger de façon avérée)",
    target: "health_agency",
    when: {
      all: [
        inScope,
        {
          any: [
            { fact: "operational_impact", in: ["care_interrupted"] },
            { fact: "patient_endangerment", in: ["actual"] },
          ],
        },
      ],
    },
    automatic: false,
  },
  {
    id: "anssi-ose-oiv-ou-intersectoriel",
    label: "ANSSI : structure OSE ou OIV, ou incident majeur pouvant toucher d'autres secteurs",
    target: "anssi",
    when: {
      all: [
        inScope,
        {
          any: [
            { flag: "ose", is: true },
            { flag: "oiv", is: true },
            { all: [major, { flag: "other_sectors_risk", is: true }] },
          ],
        },
      ],
    },
    automatic: false,
  },
  {
    id: "ars-region",
    label: "ARS de la région de la structure : toute déclaration dans le périmètre",
    target: "ars",
    when: inScope,
    automatic: false,
  },
];

export const RuleSetView = z.object({
  version: z.number().int(),
  status: z.enum(["draft", "published", "retired", "default"]),
  rules: z.array(AlertRule),
  comment: z.string().nullable(),
  createdAt: z.string().nullable(),
  createdBy: z.string().nullable(),
  publishedAt: z.string().nullable(),
});

/** Try a version (or a draft not yet saved) on past cases: which targets each would alert. */
export const DryRunRequest = z.object({
  /** A saved version, or the rules themselves. */
  version: z.number().int().min(0).optional(),
  rules: z.array(AlertRule).max(100).optional(),
  /** The most recent cases declared up to this many (default 500). */
  limit: z.number().int().min(1).max(5000).default(500),
});
export const DryRunResult = z.object({
  cases: z.number().int(),
  /** Cases per target under the tried rules, and under the published ones. */
  byTarget: z.record(z.string(), z.object({ tried: z.number().int(), current: z.number().int() })),
  /** The cases whose targets differ from the published rules' (up to 200). */
  differences: z.array(
    z.object({
      id: z.uuid(),
      reference: z.string(),
      title: z.string(),
      tried: z.array(AlertTarget),
      current: z.array(AlertTarget),
    }),
  ),
});

// ——— Notifications ———

/** What the published rules propose for a case, per target, with the message prepared. */
export const AlertProposal = z.object({
  target: AlertTarget,
  regionCode: z.string().nullable(),
  ruleIds: z.array(z.string()),
  ruleSetVersion: z.number().int(),
  automatic: z.boolean(),
  recipients: z.array(z.string()),
  subject: z.string(),
  body: z.string(),
  /** Already sent to this target for this case (a new message is an update). */
  alreadySent: z.boolean(),
});

export const SendAlertRequest = z.object({
  target: AlertTarget,
  /** Edited by the analyst; the proposal's otherwise. */
  subject: z.string().trim().min(3, { error: "Objet trop court." }).max(300).optional(),
  body: z.string().trim().min(10, { error: "Message trop court." }).max(20_000).optional(),
  comment: z.string().trim().max(2000).optional(),
});
export const DismissAlertRequest = z.object({
  target: AlertTarget,
  comment: z.string().trim().min(3, { error: "Indiquez pourquoi l'alerte n'est pas envoyée." }).max(2000),
});

export const AlertNotificationView = z.object({
  id: z.uuid(),
  target: AlertTarget,
  regionCode: z.string().nullable(),
  status: z.enum(["sent", "dismissed"]),
  ruleSetVersion: z.number().int().nullable(),
  ruleIds: z.array(z.string()),
  automatic: z.boolean(),
  recipients: z.array(z.string()),
  subject: z.string(),
  body: z.string(),
  tlp: tlp.schema,
  decidedBy: z.string(),
  decidedAt: z.string(),
  comment: z.string().nullable(),
  /** Delivery of the e-mails: all delivered, pending (retrying), or failed. */
  delivery: z.enum(["delivered", "pending", "failed", "none"]),
});

export const CaseAlerts = z.object({
  proposals: z.array(AlertProposal),
  notifications: z.array(AlertNotificationView),
  /** Why nothing can be sent (a TLP:RED case). */
  blockedReason: z.string().nullable(),
});

// ——— Contacts ———

export const AuthorityContactInput = z.object({
  target: AlertTarget,
  regionCode: z
    .string()
    .regex(/^\d{2,3}$/, { error: "Code de région invalide." })
    .nullish(),
  email: z.email({ error: "Adresse électronique invalide." }),
  label: z.string().trim().min(2, { error: "Nommez le destinataire." }).max(200),
});
export const AuthorityContactView = z.object({
  id: z.uuid(),
  target: AlertTarget,
  regionCode: z.string().nullable(),
  email: z.string(),
  label: z.string(),
});

// ——— Regulatory clocks ———

export const clockKinds = [
  "nis2_early_warning",
  "nis2_notification",
  "nis2_intermediate",
  "nis2_final_report",
  "cnil_notification",
] as const;
export const ClockKind = z.enum(clockKinds);
export const clockKindLabels: Record<z.infer<typeof ClockKind>, string> = {
  nis2_early_warning: "NIS 2 — alerte précoce (24 h)",
  nis2_notification: "NIS 2 — notification d'incident (72 h)",
  nis2_intermediate: "NIS 2 — rapport intermédiaire (sur demande)",
  nis2_final_report: "NIS 2 — rapport final (1 mois)",
  cnil_notification: "CNIL — notification de violation de données (72 h)",
};
export const ClockView = z.object({
  id: z.uuid(),
  incidentId: z.uuid(),
  reference: z.string(),
  structureName: z.string(),
  kind: ClockKind,
  awareAt: z.string(),
  dueAt: z.string(),
  state: z.enum(["pending", "due_soon", "overdue", "filed", "filed_late", "cancelled"]),
  filedAt: z.string().nullable(),
  filedBy: z.string().nullable(),
  filingReference: z.string().nullable(),
  filingNote: z.string().nullable(),
});
export const FileClockRequest = z.object({
  filedAt: z.iso.datetime({ offset: true, error: "Date et heure invalides." }).optional(),
  filingReference: z.string().trim().max(200).optional(),
  filingNote: z.string().trim().max(2000).optional(),
});
export const RequestIntermediateReport = z.object({
  dueAt: z.iso.datetime({ offset: true, error: "Date et heure invalides." }),
});
export const ClockListQuery = z.object({
  state: z.enum(["open", "due_soon", "overdue", "all"], { error: "État inconnu." }).default("open"),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export const ClockPage = z.object({
  items: z.array(ClockView),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

// ——— Authorities' and ARS views ———

/** A case as an authority sees it: what was sent to its body, and the case's later state. */
export const AuthorityCaseSummary = z.object({
  incidentId: z.uuid(),
  reference: z.string(),
  structureType: z.string(),
  regionCode: z.string().nullable(),
  firstSentAt: z.string(),
  lastSentAt: z.string(),
  notifications: z.number().int(),
  status: z.string(),
});
export const AuthorityCaseView = AuthorityCaseSummary.extend({
  /** Every message sent to this body about the case, oldest first. */
  sent: z.array(
    z.object({ id: z.uuid(), subject: z.string(), body: z.string(), sentAt: z.string(), tlp: tlp.schema }),
  ),
});

export const AuthorityCaseListQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
/** The cases an authority was told about, the most recently told first. */
export const AuthorityCasePage = z.object({
  items: z.array(AuthorityCaseSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const RegionalDashboardQuery = z.object({
  /** The Paris calendar year; the current one by default. */
  year: z.coerce
    .number({ error: "Année invalide." })
    .int({ error: "Année invalide." })
    .min(2000, { error: "Année invalide (2000 au plus tôt)." })
    .max(2100, { error: "Année invalide." })
    .optional(),
  /** CERT only: the region to show (an ARS always sees its own). */
  region: z
    .string()
    .regex(/^\d{2,3}$/, { error: "Code de région invalide." })
    .optional(),
});

/** The ARS's regional dashboard for a year. */
export const RegionalDashboard = z.object({
  year: z.number().int(),
  regionCode: z.string(),
  declared: z.number().int(),
  byMonth: z.array(z.number().int()),
  byStructureType: z.record(z.string(), z.number().int()),
  byOrigin: z.record(z.string(), z.number().int()),
  byOperationalImpact: z.record(z.string(), z.number().int()),
  careAffected: z.number().int(),
});
