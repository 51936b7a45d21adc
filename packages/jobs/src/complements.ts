import { z } from "zod";
import { defineJob } from "./definition.ts";

/**
 * Every 15 minutes: reminds declarants of the CERT's questions left unanswered
 * (COMPLEMENT_REMINDER_DAYS), records those past COMPLEMENT_EXPIRY_DAYS as never answered and
 * cancels those of closed cases. No queue-level retry: the next run picks up what is left.
 */
export const complementsRemindJob = defineJob({
  name: "complements.remind",
  payload: z.object({}).passthrough(),
  retryLimit: 0,
  schedule: "*/15 * * * *",
});
