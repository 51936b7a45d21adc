import { readdir, readFile } from "node:fs/promises";
import type { Executor } from "@vigie/db";
import { ingestFeed } from "../watch/feeds/ingest-feed.ts";
import { recentFeedRuns } from "../watch/feeds/list-feed-runs.ts";
import { runMatching } from "../watch/matching/run-matching.ts";
import { seedDemoAssets } from "./demo-assets.ts";

/** The KEV catalog and NVD records shipped in `reference/vulnerabilities/` (reference/README.md). */
const REFERENCE_VULNERABILITIES = new URL("../../../../reference/vulnerabilities/", import.meta.url);
const KEV_FILE = "known_exploited_vulnerabilities.json";

/** What the watch's demo seeding did. */
export interface WatchDemoReport {
  assetsCreated: number;
  /** Feed files loaded (0 when a feed had already been ingested). */
  feedFilesLoaded: number;
  /** Tickets opened by the first matching of the demo assets. */
  ticketsOpened: number;
}

/**
 * The watch of the demo, without Internet access: the demo structures' exposed assets, the
 * reference KEV catalog and NVD records through the real ingestion (only while no feed was ever
 * ingested), then one matching run, so the demo declarant and the CERT find tickets to handle.
 * The hourly notification job sends them as it would any other. Safe to run again.
 */
export async function seedWatchDemo(db: Executor, now: Date): Promise<WatchDemoReport> {
  const assetsCreated = await seedDemoAssets(db, now);
  let feedFilesLoaded = 0;
  if ((await recentFeedRuns(db, { limit: 1 })).length === 0) {
    const nvdFiles = (await readdir(REFERENCE_VULNERABILITIES))
      .filter((f) => /^CVE-.*\.json$/.test(f))
      .sort();
    for (const [source, file] of [["kev", KEV_FILE] as const, ...nvdFiles.map((f) => ["nvd", f] as const)]) {
      const content = await readFile(new URL(file, REFERENCE_VULNERABILITIES));
      await ingestFeed(db, { source, content, origin: `file:reference/vulnerabilities/${file}`, now });
      feedFilesLoaded++;
    }
  }
  const ticketsOpened =
    assetsCreated > 0 || feedFilesLoaded > 0 ? (await runMatching(db, { mode: "full", now })).opened : 0;
  return { assetsCreated, feedFilesLoaded, ticketsOpened };
}
