import { z } from "zod";
import { defineJob } from "./definition.ts";

/**
 * Every day at 05:30 (Paris): downloads and ingests the configured vulnerability feeds
 * (FEED_KEV_URL, FEED_NVD_URL, FEED_CERTFR_URL), then re-matches the assets against what
 * changed. Nothing configured: nothing done. No queue-level retry: a failed download is a failed
 * run on record, and the next day's run catches up (ingestion is incremental).
 */
export const feedsFetchJob = defineJob({
  name: "feeds.fetch",
  payload: z.object({}).passthrough(),
  retryLimit: 0,
  schedule: "30 5 * * *",
});
