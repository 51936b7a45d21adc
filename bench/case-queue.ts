/**
 * CERT case queue benchmark (issue "CERT case handling").
 *
 * Creates a fresh PostgreSQL database, imports the reference directory (4 657 sites), bulk-loads
 * 100 000 incidents over three years (set-based SQL, `bench/case-queue-data.ts`) with their
 * threads, then times through the core use case `listDeclarations`, as a CERT analyst, 200 runs
 * each of: the unfiltered first page, a filtered page (statuses + region + care affected) and a
 * full-text search. Prints p50/p95 (target: p95 < 100 ms on PostgreSQL).
 *
 * Usage: npx tsx bench/case-queue.ts [--count 100000] [--runs 200]. Targets 127.0.0.1 only.
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
  },
});
const COUNT = Number(args.count);
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
  let t0 = performance.now();
  const messages = await bulkInsertIncidents(db, COUNT, new Date("2026-11-28T08:00:00Z"));
  const loadMs = performance.now() - t0;
  t0 = performance.now();
  await sql`vacuum analyze`.execute(db);
  console.log(
    `loaded ${COUNT} incidents and ${messages} messages in ${(loadMs / 1000).toFixed(1)} s, ` +
      `vacuum analyze ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const analyst = await createUser(db, "cert_analyst");
  const actor = await actorForUser(db, analyst);
  const words = ["defibrillateur", "sauvegardes", "vpn prestataire", "gendarmerie", "rancon", "grenoble"];
  const scenarios: Array<{ label: string; query: (run: number) => Record<string, unknown> }> = [
    { label: "first page, no filter", query: () => ({}) },
    {
      label: "received+in_progress, region, care affected",
      query: (run) => ({
        status: ["new", "in_progress"],
        region: [["11", "84", "93", "76"][run % 4]],
        impact: ["care_affected"],
      }),
    },
    { label: "full-text search (thread included)", query: (run) => ({ q: words[run % words.length] }) },
  ];
  for (const scenario of scenarios) {
    const times: number[] = [];
    let total = 0;
    for (let run = -10; run < RUNS; run++) {
      const query = DeclarationListQuery.parse(scenario.query(run + 10));
      const start = performance.now();
      const page = await listDeclarations(db, actor, query);
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
    const page = await listDeclarations(db, actor, DeclarationListQuery.parse({ q }));
    console.log(`  « ${q} »: ${page.total} matches`);
  }
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
