import { z } from "zod";

/** How a matching run reads the inventory: everything, or only what changed since the last run. */
export const matchRunModes = ["full", "incremental"] as const;
export const MatchRunModeSchema = z.enum(matchRunModes, {
  error: "Mode attendu : « full » (tout) ou « incremental » (ce qui a changé).",
});
export type MatchRunMode = z.infer<typeof MatchRunModeSchema>;
export const matchRunModeLabels: Record<MatchRunMode, string> = {
  full: "Complet",
  incremental: "Incrémental",
};

/** `POST /api/watch/matching/run`. */
export const MatchRunRequest = z.object({ mode: MatchRunModeSchema.default("incremental") });
export type MatchRunRequest = z.infer<typeof MatchRunRequest>;

/** What a run did. */
export const MatchRunReport = z.object({
  runId: z.string(),
  mode: MatchRunModeSchema,
  startedAt: z.string(),
  finishedAt: z.string(),
  assetsConsidered: z.number().int(),
  vulnerabilitiesConsidered: z.number().int(),
  findings: z.number().int(),
  opened: z.number().int(),
  reopened: z.number().int(),
  raised: z.number().int(),
  seen: z.number().int(),
  fixed: z.number().int(),
});
export type MatchRunReport = z.infer<typeof MatchRunReport>;

/** A stored run. */
export const MatchRunView = z.object({
  id: z.string(),
  mode: MatchRunModeSchema,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  assetsConsidered: z.number().int(),
  vulnerabilitiesConsidered: z.number().int(),
  findings: z.number().int(),
  ticketsOpened: z.number().int(),
  ticketsRaised: z.number().int(),
  ticketsFixed: z.number().int(),
});
export type MatchRunView = z.infer<typeof MatchRunView>;

/** `GET /api/watch/matching/runs`. */
export const MatchRunListQuery = z.object({
  limit: z.coerce
    .number({ error: "Nombre de passes attendu." })
    .int({ error: "Nombre entier attendu." })
    .min(1, { error: "Au moins 1." })
    .max(200, { error: "200 au plus." })
    .default(50),
});
export const MatchRunList = z.object({ items: z.array(MatchRunView) });
export type MatchRunList = z.infer<typeof MatchRunList>;
