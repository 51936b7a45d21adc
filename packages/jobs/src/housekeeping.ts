import { z } from "zod";
import { defineJob } from "./definition.ts";

/** Removes expired sessions and used or expired e-mail links, every hour. */
export const purgeExpiredJob = defineJob({
  name: "housekeeping.purge-expired",
  payload: z.object({}).passthrough(),
  retryLimit: 3,
  retryDelaySeconds: 60,
  schedule: "17 * * * *",
});
