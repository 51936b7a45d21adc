import type { FeedRunView, FeedSource } from "@vigie/contracts";
import { type Executor, vulnerabilityFeedsRepo as repo } from "@vigie/db";
import { type Actor, assertPermission } from "../../access/policy.ts";
import { toFeedRunView } from "./ingest-feed.ts";

/** The most recent feed runs with their problems (`watch:handle`). */
export async function listFeedRuns(
  db: Executor,
  actor: Actor | null,
  query: { source?: FeedSource | undefined; limit: number },
): Promise<FeedRunView[]> {
  assertPermission(actor, "watch:handle");
  return (await repo.listRuns(db, query)).map(toFeedRunView);
}

/** The most recent runs, without a permission check (command line, worker). */
export async function recentFeedRuns(
  db: Executor,
  query: { source?: FeedSource | undefined; limit: number },
): Promise<FeedRunView[]> {
  return (await repo.listRuns(db, query)).map(toFeedRunView);
}
