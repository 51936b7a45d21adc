import { z } from "zod";

// Publications of the CERT (cyberveille): alerts, bulletins, reflex sheet pages and good-practice
// pages, written in French Markdown, published with a TLP marking. Only TLP:CLEAR, TLP:GREEN and
// TLP:AMBER are publishable: TLP:AMBER+STRICT and TLP:RED name their recipients, a publication
// cannot.

export const publicationKinds = ["alert", "bulletin", "reflex_sheet", "good_practice"] as const;
export type PublicationKind = (typeof publicationKinds)[number];
export const PublicationKind = z.enum(publicationKinds, {
  error:
    "Nature inconnue : « alert » (alerte), « bulletin », « reflex_sheet » (fiche réflexe) ou « good_practice » (bonnes pratiques).",
});
/** The French name of each kind, as readers see it. */
export const publicationKindLabels: Record<PublicationKind, string> = {
  alert: "Alerte",
  bulletin: "Bulletin",
  reflex_sheet: "Fiche réflexe",
  good_practice: "Bonnes pratiques",
};
/** The kind's part of the stable reference: `VIGIE-ALE-2026-001`. */
export const publicationKindCodes: Record<PublicationKind, string> = {
  alert: "ALE",
  bulletin: "BUL",
  reflex_sheet: "FIR",
  good_practice: "BPR",
};

export const exploitationStatuses = ["none_known", "proof_of_concept", "actively_exploited"] as const;
export type ExploitationStatus = (typeof exploitationStatuses)[number];
export const ExploitationStatus = z.enum(exploitationStatuses, {
  error:
    "Statut d'exploitation inconnu : « none_known » (aucune exploitation connue), « proof_of_concept » (preuve de concept) ou « actively_exploited » (exploitée activement).",
});
export const exploitationStatusLabels: Record<ExploitationStatus, string> = {
  none_known: "Aucune exploitation connue",
  proof_of_concept: "Preuve de concept publique",
  actively_exploited: "Exploitée activement",
};

/** The TLP codes a publication may carry (lowercase codes of `taxonomy.tlp`). */
export const publishableTlps = ["clear", "green", "amber"] as const;
export type PublishableTlp = (typeof publishableTlps)[number];
export const PublishableTlp = z.enum(publishableTlps, {
  error:
    "TLP non publiable : choisissez TLP:CLEAR, TLP:GREEN ou TLP:AMBER (TLP:AMBER+STRICT et TLP:RED ne se publient pas).",
});
/** The marking and what it means for the reader, in French (shown beside every reserved item). */
export const publicationTlpMeanings: Record<PublishableTlp, { marking: string; meaning: string }> = {
  clear: {
    marking: "TLP:CLEAR",
    meaning: "Diffusion libre : ce contenu peut être partagé sans restriction.",
  },
  green: {
    marking: "TLP:GREEN",
    meaning:
      "Diffusion limitée à la communauté : partagez-le avec vos pairs et partenaires du secteur de la santé, jamais en accès public.",
  },
  amber: {
    marking: "TLP:AMBER",
    meaning:
      "Diffusion limitée : partagez-le seulement au sein de votre organisation et avec les prestataires qui ont besoin d'en connaître pour se protéger.",
  },
};

export const publicationStatuses = ["draft", "published", "withdrawn"] as const;
export type PublicationStatus = (typeof publicationStatuses)[number];
export const PublicationStatus = z.enum(publicationStatuses, {
  error: "Statut inconnu : « draft » (brouillon), « published » (publiée) ou « withdrawn » (retirée).",
});
export const publicationStatusLabels: Record<PublicationStatus, string> = {
  draft: "Brouillon",
  published: "Publiée",
  withdrawn: "Retirée",
};

/** `CVE-2023-4966`: the year, then 4 digits or more. */
export const PUBLICATION_CVE_PATTERN = /^CVE-\d{4}-\d{4,}$/;
/** `VIGIE-ALE-2026-001`. */
export const PUBLICATION_REFERENCE_PATTERN = /^VIGIE-[A-Z]{3}-\d{4}-\d{3,}$/;

/** Longest Markdown text of a publication (body, actions, risk). */
export const PUBLICATION_TEXT_MAX = 30_000;

const markdown = (name: string, max = PUBLICATION_TEXT_MAX) =>
  z
    .string({ error: `${name} : texte attendu.` })
    .trim()
    .max(max, { error: `${name} : ${max} caractères au plus.` })
    .default("");

export const PublicationCveId = z
  .string({ error: "Identifiant CVE attendu." })
  .trim()
  .transform((value) => value.toUpperCase())
  .refine((value) => PUBLICATION_CVE_PATTERN.test(value), {
    error: (issue) =>
      `Identifiant CVE invalide : « ${String(issue.input)} » (format attendu : CVE-AAAA-NNNN, par exemple CVE-2023-4966).`,
  });

/** A product the publication concerns, with the affected versions in the vendor's words. */
export const PublicationProduct = z.object({
  vendor: z
    .string({ error: "Éditeur attendu." })
    .trim()
    .min(1, { error: "Indiquez l'éditeur du produit." })
    .max(100, { error: "L'éditeur compte 100 caractères au plus." }),
  product: z
    .string({ error: "Produit attendu." })
    .trim()
    .min(1, { error: "Indiquez le nom du produit." })
    .max(150, { error: "Le produit compte 150 caractères au plus." }),
  versions: z
    .string({ error: "Versions attendues en texte." })
    .trim()
    .max(300, { error: "Les versions comptent 300 caractères au plus." })
    .default(""),
});
export type PublicationProduct = z.infer<typeof PublicationProduct>;

/** What the CERT writes; a draft may be incomplete, publishing checks the rest. */
export const PublicationContent = z.object({
  title: z
    .string({ error: "Le titre est obligatoire." })
    .trim()
    .min(3, { error: "Le titre doit compter 3 caractères au moins." })
    .max(200, { error: "Le titre compte 200 caractères au plus." }),
  summary: markdown("Le résumé", 2_000),
  risk: markdown("Le risque", 5_000),
  products: z
    .array(PublicationProduct, { error: "Liste de produits attendue." })
    .max(50, { error: "50 produits au plus." })
    .default([]),
  cveIds: z
    .array(PublicationCveId, { error: "Liste d'identifiants CVE attendue." })
    .max(100, { error: "100 identifiants CVE au plus." })
    .default([])
    .transform((ids) => [...new Set(ids)]),
  exploitation: ExploitationStatus.default("none_known"),
  actions: markdown("Les actions recommandées"),
  referenceUrls: z
    .array(
      z
        .url({
          protocol: /^https?$/,
          error: "Référence invalide : une adresse web complète est attendue (https://…).",
        })
        .max(2_000, { error: "Adresse trop longue (2 000 caractères au plus)." }),
      { error: "Liste d'adresses attendue." },
    )
    .max(30, { error: "30 références au plus." })
    .default([]),
  body: markdown("Le contenu"),
  tlp: PublishableTlp.default("clear"),
});

/** POST /api/cert/publications: a new draft. */
export const CreatePublicationRequest = PublicationContent.extend({ kind: PublicationKind });

/** PUT /api/cert/publications/:id: the working copy (readers keep seeing the last published revision). */
export const UpdatePublicationRequest = PublicationContent.extend({
  /** The `updatedAt` the edit started from: refused (409) when someone saved meanwhile. */
  baseUpdatedAt: z.string().optional(),
});

/** POST /api/cert/publications/:id/publish: publishes the working copy as the next revision. */
export const PublishPublicationRequest = z.object({
  /** Required from the second revision on (what changed); the first one defaults to « Première publication. ». */
  changeNote: z
    .string({ error: "La note de modification est un texte." })
    .trim()
    .max(500, { error: "La note de modification compte 500 caractères au plus." })
    .optional(),
});

/** POST /api/cert/publications/:id/withdraw. */
export const WithdrawPublicationRequest = z.object({
  note: z
    .string({ error: "Le motif du retrait est obligatoire." })
    .trim()
    .min(3, { error: "Indiquez le motif du retrait (3 caractères au moins)." })
    .max(500, { error: "Le motif compte 500 caractères au plus." }),
});

const yearParam = z.coerce
  .number({ error: "Année invalide." })
  .int({ error: "Année invalide." })
  .min(2000, { error: "Année invalide (2000 au plus tôt)." })
  .max(2100, { error: "Année invalide." });

/** GET /api/publications filters (and the CERT's list, with `status`). */
export const PublicationListQuery = z.object({
  q: z.string().trim().max(200, { error: "La recherche compte 200 caractères au plus." }).optional(),
  kind: PublicationKind.optional(),
  product: z.string().trim().max(150, { error: "Le produit compte 150 caractères au plus." }).optional(),
  cve: PublicationCveId.optional(),
  year: yearParam.optional(),
  page: z.coerce.number({ error: "Page invalide." }).int().min(1, { error: "Page invalide." }).default(1),
  pageSize: z.coerce
    .number({ error: "Taille de page invalide." })
    .int()
    .min(1, { error: "Taille de page invalide." })
    .max(100, { error: "100 publications par page au plus." })
    .default(20),
});

/** GET /api/cert/publications filters. */
export const CertPublicationListQuery = PublicationListQuery.extend({ status: PublicationStatus.optional() });

/** One published revision, as the history shows it. */
export const PublicationRevisionView = z.object({
  revision: z.number().int(),
  changeNote: z.string(),
  publishedAt: z.string(),
  /** Name of the lead who published it (CERT view only; null for readers or the system). */
  publishedBy: z.string().nullable(),
  tlp: PublishableTlp,
});

/** A publication as listed: its published content (readers) or working copy (CERT list). */
export const PublicationSummary = z.object({
  id: z.uuid(),
  reference: z.string().nullable(),
  slug: z.string().nullable(),
  kind: PublicationKind,
  status: PublicationStatus,
  title: z.string(),
  summary: z.string(),
  tlp: PublishableTlp,
  cveIds: z.array(z.string()),
  products: z.array(PublicationProduct),
  exploitation: ExploitationStatus,
  revision: z.number().int(),
  firstPublishedAt: z.string().nullable(),
  lastPublishedAt: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
});

/** A publication as read: the latest published revision and the history. */
export const PublicationView = PublicationSummary.extend({
  risk: z.string(),
  actions: z.string(),
  referenceUrls: z.array(z.string()),
  body: z.string(),
  revisions: z.array(PublicationRevisionView),
  withdrawalNote: z.string().nullable(),
});

/** The CERT's view: the working copy, whether it differs from what is published, and the history. */
export const CertPublicationView = PublicationView.extend({
  hasUnpublishedChanges: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string().nullable(),
});

/** A page of publications. */
export const PublicationPage = z.object({
  items: z.array(PublicationSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
