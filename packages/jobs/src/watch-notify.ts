import { z } from "zod";
import { defineJob } from "./definition.ts";

/**
 * Every hour: sends each structure its grouped watch message of the day (new or reopened
 * tickets, raised urgencies, reminders), at most one per Paris day. No queue-level retry: the
 * next run picks up what is left.
 */
export const watchNotifyJob = defineJob({
  name: "watch.notify",
  payload: z.object({}).passthrough(),
  retryLimit: 0,
  schedule: "7 * * * *",
});
