/**
 * CERT case queue benchmark (issue "CERT case handling").
 *
 * Creates a fresh PostgreSQL database, imports the reference directory (4 657 sites), bulk-loads
 * 100 000 incidents over three years (set-based SQL, `bench/case-queue-data.ts`) with their
 * threads and handling (8 analysts assigned, deadlines, qualifications), then times through the
 * core use case `listDeclarations`, as one of the analysts (so with the CERT's counters), 200 runs
 * each of: the unfiltered first page, a filtered page (statuses + region + care affected), a
 * full-text search, the analyst's overdue cases (assignee=me + overdue) and the open cases by
 * nearest deadline. Prints p50/p95 (target: p95 < 100 ms on PostgreSQL).
 *
 * Usage: npx tsx bench/case-queue.ts [--count 100000] [--runs 200] [--keep] [--help]. Targets
 * 127.0.0.1 only.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { DeclarationListQuery } from "@vigie/contracts";
import { actorForUser, listDeclarations, loadReferenceDirectory } from "@vigie/core";
import { migrateToLatest, openDatabase } from "@vigie/db";
import { createUser, testPostgresUrl } from "@vigie/test-kit";
import { sql } from "kysely";
import pg from "pg";
import { bulkInsertIncidents } from "./case-queue-data.ts";

const { values: args } = parseArgs({
  options: {
    count: { type: "string", default: "100000" },
    runs: { type: "string", default: "200" },
    /** Keep the database afterwards (its name is printed) to EXPLAIN the queries. */
    keep: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  console.log(
    "npx tsx bench/case-queue.ts [--count 100000] [--runs 200] [--keep]\n" +
      "  --count  incidents to load (default 100000)\n" +
      "  --runs   timed runs per query (default 200, after 10 warm-up runs)\n" +
      "  --keep   keep the database afterwards and print its address (to EXPLAIN the queries)",
  );
  process.exit(0);
}
const COUNT = Number(args.count);
/** The bench's "now": the data are declared over the three years before it. */
const NOW = new Date("2026-11-28T08:00:00Z");
const RUNS = Number(args.runs);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const name = `vigie_bench_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: testPostgresUrl });
await admin.connect();
await admin.query(`create database ${name}`);
await admin.end();
const url = new URL(testPostgresUrl);
url.pathname = `/${name}`;
const database = await openDatabase({ url: url.toString() });

try {
  const db = database.db;
  await migrateToLatest(db);
  await loadReferenceDirectory(db);
  // The CERT's analysts the cases are assigned to; the bench reads as the first one.
  const analysts = [];
  for (let i = 0; i < 8; i++) analysts.push(await createUser(db, "cert_analyst"));
  let t0 = performance.now();
  const messages = await bulkInsertIncidents(
    db,
    COUNT,
    NOW,
    analysts.map((a) => a.id),
  );
  const loadMs = performance.now() - t0;
  t0 = performance.now();
  await sql`vacuum analyze`.execute(db);
  console.log(
    `loaded ${COUNT} incidents and ${messages} messages in ${(loadMs / 1000).toFixed(1)} s, ` +
      `vacuum analyze ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const actor = await actorForUser(db, analysts[0] as NonNullable<(typeof analysts)[0]>);
  const words = ["defibrillateur", "sauvegardes", "vpn prestataire", "gendarmerie", "rancon", "grenoble"];
  const scenarios: Array<{ label: string; query: (run: number) => Record<string, unknown> }> = [
    { label: "first page, no filter", query: () => ({}) },
    {
      label: "new+in_progress, region, care affected",
      query: (run) => ({
        status: ["new", "in_progress"],
        region: [["11", "84", "93", "76"][run % 4]],
        impact: ["care_affected"],
      }),
    },
    { label: "full-text search (thread included)", query: (run) => ({ q: words[run % words.length] }) },
    { label: "assignee me + overdue", query: () => ({ assignee: "me", overdue: "true" }) },
    {
      label: "open cases, nearest deadline first",
      query: () => ({ status: ["new", "triage", "in_progress", "waiting_declarant"], sort: "due" }),
    },
  ];
  for (const scenario of scenarios) {
    const times: number[] = [];
    let total = 0;
    for (let run = -10; run < RUNS; run++) {
      const query = DeclarationListQuery.parse(scenario.query(run + 10));
      const start = performance.now();
      const page = await listDeclarations(db, actor, query, NOW);
      if (run >= 0) {
        times.push(performance.now() - start);
        total += page.total;
      }
    }
    times.sort((a, b) => a - b);
    console.log(
      `${scenario.label}: p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, ` +
        `max ${times.at(-1)?.toFixed(1)} ms, mean matches ${(total / RUNS).toFixed(0)}`,
    );
  }
  for (const q of words) {
    const page = await listDeclarations(db, actor, DeclarationListQuery.parse({ q }), NOW);
    console.log(`  « ${q} »: ${page.total} matches`);
  }
  const counters = (await listDeclarations(db, actor, DeclarationListQuery.parse({}), NOW)).counters;
  console.log(`counters (no filter): ${JSON.stringify(counters)}`);
} finally {
  await database.close();
  if (args.keep) {
    console.log(`database kept: ${url.toString()}`);
    process.exit(0);
  }
  const dropper = new pg.Client({ connectionString: testPostgresUrl });
  await dropper.connect();
  await dropper.query(`drop database if exists ${name} with (force)`);
  await dropper.end();
}
