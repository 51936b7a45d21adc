import { z } from "zod";
import { defineJob } from "./definition.ts";

/**
 * Every 15 minutes: reminds the declarant and the assigned analyst of the regulatory clocks
 * (NIS 2, CNIL) due within 12 hours, then once more of those past due. No queue-level retry:
 * the next run picks up what is left.
 */
export const clocksRemindJob = defineJob({
  name: "clocks.remind",
  payload: z.object({}).passthrough(),
  retryLimit: 0,
  schedule: "*/15 * * * *",
});
