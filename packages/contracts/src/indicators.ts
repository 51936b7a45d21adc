import { z } from "zod";

/** Kinds of indicator of compromise. */
export const indicatorKinds = ["ip", "domain", "url", "email", "hash"] as const;
export const IndicatorKind = z.enum(indicatorKinds, {
  error: "Type d'indicateur invalide : ip, domain, url, email ou hash attendu.",
});

/** French names of the kinds, for screens and exports. */
export const indicatorKindLabels: Record<(typeof indicatorKinds)[number], string> = {
  ip: "Adresse IP",
  domain: "Nom de domaine",
  url: "Adresse web (URL)",
  email: "Adresse électronique",
  hash: "Empreinte de fichier",
};

/** Where an indicator was found. */
export const IndicatorSource = z.enum(["description", "message", "attachment", "analyst"]);

/** An analyst records an indicator by hand (defanged spellings are accepted). */
export const AddIndicatorRequest = z.object({
  kind: IndicatorKind,
  value: z
    .string({ error: "Valeur de l'indicateur requise." })
    .trim()
    .min(1, { error: "Valeur de l'indicateur requise." })
    .max(2048, { error: "2048 caractères au maximum." }),
});

/** Another declaration holding the same indicator. */
export const CorrelatedIncident = z.object({
  id: z.uuid(),
  reference: z.string(),
  title: z.string(),
  declaredAt: z.string(),
});

/** One indicator of a declaration, with the other declarations that share it. */
export const IndicatorView = z.object({
  id: z.uuid(),
  kind: IndicatorKind,
  value: z.string(),
  source: IndicatorSource,
  sourceId: z.uuid().nullable(),
  firstSeenAt: z.string(),
  addedBy: z.string().nullable(),
  /** A private or loopback address, or a host under an internal suffix such as `.local`. */
  internal: z.boolean(),
  hashType: z.enum(["md5", "sha1", "sha256"]).nullable(),
  correlation: z.object({
    /** How many other declarations (within the reader's scope) hold it. */
    count: z.number().int(),
    /** « vu dans 3 autres dossiers », or null when it is seen nowhere else. */
    label: z.string().nullable(),
    incidents: z.array(CorrelatedIncident),
  }),
});

/** The indicators of a declaration. */
export const IndicatorList = z.object({ items: z.array(IndicatorView) });
