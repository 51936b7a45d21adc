export { cveIdsIn } from "./common.ts";
export * from "./fetch-feeds.ts";
export * from "./ingest-feed.ts";
export * from "./list-feed-runs.ts";
export * from "./list-vulnerabilities.ts";
export * from "./parse-certfr.ts";
export * from "./parse-kev.ts";
export * from "./parse-nvd.ts";
