import { z } from "zod";
import { defineJob } from "./definition.ts";

/**
 * Every minute: reads the indicators of compromise of the declarations and messages received
 * since the last run (kept off the submission path, which stays as fast as it is).
 */
export const extractIndicatorsJob = defineJob({
  name: "indicators.extract",
  payload: z.object({}).passthrough(),
  retryLimit: 3,
  retryDelaySeconds: 30,
  schedule: "* * * * *",
});
