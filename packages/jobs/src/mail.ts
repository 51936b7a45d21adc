import { z } from "zod";
import { defineJob } from "./definition.ts";

/**
 * Delivers the mail outbox over SMTP, every minute. The handler (worker) calls core's
 * `deliverOutbox`; no retry at the queue level, since the outbox keeps its own per-message
 * attempts and backoff, and a missed run is simply caught up by the next one.
 */
export const mailDeliverJob = defineJob({
  name: "mail.deliver",
  payload: z.object({}).passthrough(),
  retryLimit: 0,
  schedule: "* * * * *",
});
