import type { FeedRunView, FeedSource } from "@vigie/contracts";
import type { Executor } from "@vigie/db";
import { type MatchRunReport, runMatching } from "../matching/run-matching.ts";
import { ingestFeed, recordFailedFeedRun } from "./ingest-feed.ts";

/** The feed URLs to fetch (from FEED_KEV_URL, FEED_NVD_URL, FEED_CERTFR_URL). */
export type FeedUrls = Partial<Record<FeedSource, string>>;

/** The configured feed URLs; an unset variable leaves its feed alone. */
export function feedUrlsFrom(config: {
  FEED_KEV_URL?: string | undefined;
  FEED_NVD_URL?: string | undefined;
  FEED_CERTFR_URL?: string | undefined;
}): FeedUrls {
  const urls: FeedUrls = {};
  if (config.FEED_KEV_URL) urls.kev = config.FEED_KEV_URL;
  if (config.FEED_NVD_URL) urls.nvd = config.FEED_NVD_URL;
  if (config.FEED_CERTFR_URL) urls.certfr = config.FEED_CERTFR_URL;
  return urls;
}

/**
 * Downloads and ingests each configured feed (KEV first: NVD and CERT-FR then find its CVEs).
 * A download that fails is recorded as a failed run; the other feeds still run.
 */
export async function fetchConfiguredFeeds(
  db: Executor,
  urls: FeedUrls,
  download: (url: string) => Promise<Uint8Array>,
  clock: () => Date,
): Promise<FeedRunView[]> {
  const runs: FeedRunView[] = [];
  for (const source of ["kev", "nvd", "certfr"] as const) {
    const url = urls[source];
    if (!url) continue;
    let content: Uint8Array;
    try {
      content = await download(url);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      runs.push(await recordFailedFeedRun(db, { source, origin: url, now: clock(), message }));
      continue;
    }
    runs.push(await ingestFeed(db, { source, content, origin: url, now: clock() }));
  }
  return runs;
}

/**
 * The `feeds.fetch` job: fetches the configured feeds, then, when a run added or changed
 * something, re-matches the assets incrementally (only the CVEs whose `match_changed_at` moved).
 */
export async function refreshVulnerabilityFeeds(
  db: Executor,
  urls: FeedUrls,
  download: (url: string) => Promise<Uint8Array>,
  clock: () => Date,
): Promise<{ runs: FeedRunView[]; matching: MatchRunReport | null }> {
  const runs = await fetchConfiguredFeeds(db, urls, download, clock);
  const changed = runs.some((r) => r.status !== "failed" && r.added + r.updated > 0);
  const matching = changed ? await runMatching(db, { mode: "incremental", now: clock() }) : null;
  return { runs, matching };
}
