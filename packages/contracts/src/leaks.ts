import { z } from "zod";

/**
 * Leaked credentials (decision 0011, « Leaked credentials »): the CERT imports a list of leaked
 * accounts; only the e-mail addresses are read, every password or hash is discarded at parsing
 * and never stored, logged or echoed. Matched addresses raise `leaked_credential` tickets.
 */

/** Limits of one imported list. */
export const leakListLimits = {
  /** Bytes of the file. */
  maxBytes: 50 * 1024 * 1024,
  /** Physical lines of the file. */
  maxLines: 2_000_000,
  /** Problems listed in a report (the count of rejected lines is always complete). */
  maxProblems: 100,
} as const;

/** The shapes of list recognised from the file's first line. */
export const leakListFormats = ["lines", "csv", "json", "jsonl"] as const;
export type LeakListFormat = (typeof leakListFormats)[number];
export const leakListFormatLabels: Record<LeakListFormat, string> = {
  lines: "Une adresse par ligne (adresse, éventuellement suivie d'un séparateur et d'un mot de passe)",
  csv: "CSV avec en-tête",
  json: "Liste JSON",
  jsonl: "JSON Lines (un objet par ligne)",
};

/** The name the CERT gives the list, e.g. « Combolist Telegram 2026-11 ». */
export const LeakSourceSchema = z
  .string({ error: "Indiquez la source de la liste." })
  .trim()
  .min(1, { error: "Indiquez la source de la liste (par exemple « Combolist Telegram 2026-11 »)." })
  .max(200, { error: "Source trop longue (200 caractères au plus)." });

/** The query of a raw-body import (`POST /api/watch/leaks?source=…`). */
export const LeakImportQuery = z.object({ source: LeakSourceSchema.optional() });

/**
 * A rejected line, named by its number and, in a CSV or JSON file, the address column: never
 * its content (it may hold a password).
 */
export const LeakProblem = z.object({
  line: z.number().int(),
  column: z.string().optional(),
  message: z.string(),
});
export type LeakProblem = z.infer<typeof LeakProblem>;

/** What an import did. */
export const LeakImportReport = z.object({
  id: z.string(),
  source: z.string(),
  importedAt: z.string(),
  format: z.enum(leakListFormats),
  /** Entries read: lines (header and blank lines excluded) or JSON elements. */
  lines: z.number().int(),
  /** Distinct valid addresses. */
  addresses: z.number().int(),
  /** Distinct addresses on the mail domain of at least one structure. */
  matched: z.number().int(),
  /** Distinct addresses of no structure: counted, never stored. */
  unmatched: z.number().int(),
  rejected: z.number().int(),
  /** Structures with at least one matched address. */
  structures: z.number().int(),
  tickets: z.object({
    opened: z.number().int(),
    reopened: z.number().int(),
    /** Already open (a re-import): nothing new. */
    alreadyKnown: z.number().int(),
  }),
  problems: z.array(LeakProblem),
  /** True when more lines were rejected than `problems` lists. */
  problemsTruncated: z.boolean(),
});
export type LeakImportReport = z.infer<typeof LeakImportReport>;

/** One import of the history (counts only: the addresses are in the tickets). */
export const LeakImportSummary = z.object({
  id: z.string(),
  source: z.string(),
  importedAt: z.string(),
  importedBy: z.string().nullable(),
  lines: z.number().int(),
  addresses: z.number().int(),
  matched: z.number().int(),
  rejected: z.number().int(),
});
export type LeakImportSummary = z.infer<typeof LeakImportSummary>;

export const LeakImportListQuery = z.object({
  limit: z.coerce
    .number({ error: "Nombre d'imports attendu." })
    .int()
    .min(1, { error: "Au moins 1." })
    .max(500, { error: "500 au plus." })
    .default(50),
});
export const LeakImportList = z.object({ items: z.array(LeakImportSummary) });
export type LeakImportList = z.infer<typeof LeakImportList>;
