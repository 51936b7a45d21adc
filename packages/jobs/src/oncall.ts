import { z } from "zod";
import { defineJob } from "./definition.ts";

/**
 * Every minute: escalates the on-call pages nobody acknowledged in time and pushes the pages
 * not sent yet to ONCALL_WEBHOOK_URL. No queue-level retry: pending work is simply picked up by
 * the next run (the network never runs inside the submission).
 */
export const oncallDispatchJob = defineJob({
  name: "oncall.dispatch",
  payload: z.object({}).passthrough(),
  retryLimit: 0,
  schedule: "* * * * *",
});
