/**
 * Observatory benchmark (issue 6): the indicator document `vigie.observatory/1` of a year of
 * 1 000 000 declarations, on PostgreSQL.
 *
 * Creates the database `vigie_bench_observatory` on 127.0.0.1:5432 (dropped first if left over,
 * dropped at the end unless --keep), migrates it, loads 30 000 structures and the declarations
 * of one Paris year in set-based SQL (`bench/observatory-data.ts`), vacuums, then times
 * `computeObservatory` (after one warm-up run): national, and for one region. Prints the
 * median and the maximum of the runs (target: < 2 s national) and the machine's load average,
 * since the figures depend on what else runs.
 *
 * Usage: npx tsx bench/observatory.ts [--count 1000000] [--structures 30000] [--runs 5] [--keep]
 */
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { ObservatoryDocumentSchema } from "@vigie/contracts";
import { computeObservatory, parisStartOfDay } from "@vigie/core";
import { migrateToLatest, openDatabase } from "@vigie/db";
import { testPostgresUrl } from "@vigie/test-kit";
import { sql } from "kysely";
import pg from "pg";
import { bulkInsertIncidents, bulkInsertStructures } from "./observatory-data.ts";

const { values: args } = parseArgs({
  options: {
    count: { type: "string", default: "1000000" },
    structures: { type: "string", default: "30000" },
    runs: { type: "string", default: "5" },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  console.log(
    "npx tsx bench/observatory.ts [--count 1000000] [--structures 30000] [--runs 5] [--keep]\n" +
      "  --count       declarations of the year (default 1 000 000)\n" +
      "  --structures  declaring structures (default 30 000)\n" +
      "  --runs        timed runs per scenario, after one warm-up (default 5)\n" +
      "  --keep        keep the database vigie_bench_observatory afterwards",
  );
  process.exit(0);
}
const COUNT = Number(args.count);
const STRUCTURES = Number(args.structures);
const RUNS = Number(args.runs);
const YEAR = 2025;
const NAME = "vigie_bench_observatory";

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: testPostgresUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");

await admin(`drop database if exists ${NAME} with (force)`);
await admin(`create database ${NAME}`);
const url = new URL(testPostgresUrl);
url.pathname = `/${NAME}`;
const database = await openDatabase({ url: url.toString() });

try {
  const db = database.db;
  await migrateToLatest(db);
  let t0 = performance.now();
  await bulkInsertStructures(db, STRUCTURES);
  await bulkInsertIncidents(
    db,
    COUNT,
    parisStartOfDay(`${YEAR}-01-01`),
    parisStartOfDay(`${YEAR + 1}-01-01`),
  );
  const loadMs = performance.now() - t0;
  t0 = performance.now();
  await sql`vacuum analyze`.execute(db);
  console.log(
    `loaded ${STRUCTURES} structures and ${COUNT} declarations of ${YEAR} in ${(loadMs / 1000).toFixed(1)} s, ` +
      `vacuum analyze ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  for (const region of [null, "76"]) {
    const times: number[] = [];
    let declared = 0;
    for (let run = -1; run < RUNS; run++) {
      const start = performance.now();
      const doc = await computeObservatory(db, { year: YEAR, region });
      const elapsed = performance.now() - start;
      if (run < 0) ObservatoryDocumentSchema.parse(doc);
      else times.push(elapsed);
      declared = doc.incidents.declared;
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
    console.log(
      `computeObservatory ${YEAR} ${region === null ? "national" : `region ${region}`} (${declared} declared): ` +
        `median ${median.toFixed(0)} ms, max ${(times.at(-1) ?? Number.NaN).toFixed(0)} ms over ${RUNS} runs ` +
        `(load average 1/5/15 min: ${load()})`,
    );
  }
} finally {
  await database.close();
  if (args.keep) console.log(`database kept: ${url.toString()}`);
  else await admin(`drop database if exists ${NAME} with (force)`);
}
