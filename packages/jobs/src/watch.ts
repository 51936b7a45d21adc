import { z } from "zod";
import { defineJob } from "./definition.ts";

/**
 * Every 15 minutes: matches the exposed assets against the vulnerabilities, incrementally (only
 * the assets and vulnerabilities changed since the last run), fully once a day or when asked
 * with `{ mode: "full" }`. No queue-level retry: the next run picks up what is left.
 */
export const watchMatchJob = defineJob({
  name: "watch.match",
  payload: z.object({ mode: z.enum(["full", "incremental"]).optional() }).passthrough(),
  retryLimit: 0,
  schedule: "*/15 * * * *",
});
