import { z } from "zod";
import { defineJob } from "./definition.ts";

/**
 * Every day at 05:20 (Paris): plans the next exposure audit of every structure with an
 * authorisation in force and no audit waiting (every two months, spread over the period). No
 * queue-level retry: the next day picks up what is left.
 */
export const auditsScheduleJob = defineJob({
  name: "audits.schedule",
  payload: z.object({}).passthrough(),
  retryLimit: 0,
  schedule: "20 5 * * *",
});

/**
 * Every minute: runs the due exposure audits, one at a time per worker (each claimed by a
 * conditional update, so two workers never run the same one). No queue-level retry: a failed
 * audit is planned again by `audits.schedule`.
 */
export const auditsRunJob = defineJob({
  name: "audits.run",
  payload: z.object({ structureId: z.string().optional() }).passthrough(),
  retryLimit: 0,
  schedule: "* * * * *",
});
