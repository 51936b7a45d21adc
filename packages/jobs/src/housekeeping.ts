import { z } from "zod";
import { defineJob } from "./definition.ts";

/** Hourly clean-up: expired sessions and links, stale OIDC attempts, abandoned uploads. */
export const purgeExpiredJob = defineJob({
  name: "housekeeping.purge-expired",
  payload: z.object({}).passthrough(),
  retryLimit: 3,
  retryDelaySeconds: 60,
  schedule: "17 * * * *",
});
