import { z } from "zod";
import { MessageView } from "./declaration.ts";
import { maliciousType, nonMaliciousType, tlp } from "./taxonomy.ts";

type CategoryCode =
  | "general"
  | (typeof maliciousType.values)[number]
  | (typeof nonMaliciousType.values)[number];

/** What a sheet is about: a taxonomy type code (malicious or not), or `general`. */
export const reflexSheetCategories = [
  ...new Set<CategoryCode>(["general", ...maliciousType.values, ...nonMaliciousType.values]),
] as [CategoryCode, ...CategoryCode[]];
export const ReflexSheetCategory = z.enum(reflexSheetCategories, {
  error: "Catégorie inconnue : un type d'incident de la taxonomie, ou « general ».",
});
export const reflexSheetCategoryLabels: Record<CategoryCode, string> = {
  ...nonMaliciousType.labels,
  ...maliciousType.labels,
  other: "Autre",
  general: "Général (tout incident)",
};
export type ReflexSheetCategory = z.infer<typeof ReflexSheetCategory>;

export const reflexSheetKinds = ["reflex_sheet", "recommendation"] as const;
export const ReflexSheetKind = z.enum(reflexSheetKinds, {
  error:
    "Nature inconnue : « reflex_sheet » (fiche réflexe) ou « recommendation » (modèle de recommandation).",
});
export const reflexSheetKindLabels: Record<z.infer<typeof ReflexSheetKind>, string> = {
  reflex_sheet: "Fiche réflexe",
  recommendation: "Modèle de recommandation",
};

/** Longest body of a sheet: it must fit in a thread message with its heading and footer. */
export const REFLEX_SHEET_BODY_MAX = 15_000;

const slug = z
  .string()
  .trim()
  .min(3, { error: "L'identifiant court doit compter 3 caractères au moins." })
  .max(80, { error: "L'identifiant court compte 80 caractères au plus." })
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    error: "L'identifiant court ne contient que des minuscules sans accent, des chiffres et des tirets.",
  });
const title = z
  .string()
  .trim()
  .min(3, { error: "Le titre doit compter 3 caractères au moins." })
  .max(200, { error: "Le titre compte 200 caractères au plus." });
const body = z
  .string()
  .trim()
  .min(20, { error: "Le contenu de la fiche doit compter 20 caractères au moins." })
  .max(REFLEX_SHEET_BODY_MAX, { error: `Le contenu compte ${REFLEX_SHEET_BODY_MAX} caractères au plus.` });

/** POST /api/reflex-sheets: a new sheet and its first version. */
export const CreateReflexSheetRequest = z.object({
  slug,
  title,
  category: ReflexSheetCategory,
  kind: ReflexSheetKind.default("reflex_sheet"),
  body,
  tlp: tlp.schema.default("clear"),
  changeNote: z.string().trim().max(500, { error: "La note compte 500 caractères au plus." }).optional(),
});

/** PUT /api/reflex-sheets/:id: the next version (earlier ones stay readable, unchanged). */
export const UpdateReflexSheetRequest = z.object({
  title,
  body,
  tlp: tlp.schema.default("clear"),
  changeNote: z
    .string()
    .trim()
    .min(3, { error: "Expliquez la modification (3 caractères au moins)." })
    .max(500, { error: "La note compte 500 caractères au plus." }),
  /** The version the edit was made from: refused when someone saved another version meanwhile. */
  baseVersion: z.number().int().min(1).optional(),
  category: ReflexSheetCategory.optional(),
});

/** GET /api/reflex-sheets filters. */
export const ReflexSheetListQuery = z.object({
  category: ReflexSheetCategory.optional(),
  kind: ReflexSheetKind.optional(),
  q: z.string().trim().max(200, { error: "200 caractères au maximum." }).optional(),
  archived: z
    .enum(["true", "false"], { error: "« archived » vaut true ou false." })
    .optional()
    .transform((v) => v === "true"),
});

/** A sheet of the library, as listed. */
export const ReflexSheetSummary = z.object({
  id: z.uuid(),
  slug: z.string(),
  title: z.string(),
  category: z.string(),
  kind: ReflexSheetKind,
  currentVersion: z.number().int(),
  /** TLP of the current version. */
  tlp: tlp.schema,
  updatedAt: z.string(),
  archivedAt: z.string().nullable(),
});

/** One version of a sheet (never modified once saved). */
export const ReflexSheetVersionView = z.object({
  version: z.number().int(),
  title: z.string(),
  body: z.string(),
  tlp: tlp.schema,
  createdAt: z.string(),
  /** Author's name, or « système » for the sheets shipped with Vigie. */
  createdBy: z.string(),
  changeNote: z.string().nullable(),
});

/** A sheet with its whole history, newest version first. */
export const ReflexSheetView = ReflexSheetSummary.extend({
  versions: z.array(ReflexSheetVersionView),
});

/** A sheet suggested for a declaration, with the declared types it matches. */
export const ReflexSheetSuggestion = z.object({
  sheet: ReflexSheetSummary,
  matchedTypes: z.array(z.string()),
  /** Versions already sent on this declaration. */
  sentVersions: z.array(z.number().int()),
});

/** GET /api/declarations/:id/reflex-sheets/suggestions. */
export const ReflexSheetSuggestions = z.object({
  /** The declaration's proposed types the suggestions were chosen from. */
  types: z.array(z.string()),
  items: z.array(ReflexSheetSuggestion),
});

/** POST /api/declarations/:id/reflex-sheets: send a sheet (its current version by default). */
export const SendReflexSheetRequest = z.object({
  sheetId: z.uuid({ error: "Identifiant de fiche invalide." }),
  version: z.number().int().min(1, { error: "Numéro de version invalide." }).optional(),
});

/** A sheet sent on a declaration's thread. */
export const ReflexSheetSendingView = z.object({
  incidentId: z.uuid(),
  sheetId: z.uuid(),
  version: z.number().int(),
  sentAt: z.string(),
  message: MessageView,
});
