/**
 * Directory benchmark: imports the reference FINESS file (4 657 sites) into a fresh database,
 * re-imports it (idempotent path), then times the declaration form's autocomplete queries.
 * Run: `npx tsx bench/directory.ts` (PGlite) or with VIGIE_TEST_DATABASE=postgres.
 */
import { performance } from "node:perf_hooks";
import { loadReferenceDirectory, searchStructures } from "@vigie/core";
import { createTestDatabase } from "@vigie/test-kit";

const database = await createTestDatabase();

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

try {
  let t0 = performance.now();
  const first = await loadReferenceDirectory(database.db);
  const importMs = performance.now() - t0;
  t0 = performance.now();
  const second = await loadReferenceDirectory(database.db);
  const reimportMs = performance.now() - t0;

  const queries = [
    "chu grenoble",
    "380000067",
    "38000",
    "hopital nord",
    "saint",
    "clinique",
    "ch de",
    "marseille",
    "bordeaux",
    "ajaccio",
  ];
  for (const q of queries) await searchStructures(database.db, { q, limit: 10 }); // warm-up
  const timings: number[] = [];
  for (let round = 0; round < 20; round++) {
    for (const q of queries) {
      const start = performance.now();
      await searchStructures(database.db, { q, limit: 10 });
      timings.push(performance.now() - start);
    }
  }
  timings.sort((a, b) => a - b);
  const rss = process.memoryUsage().rss / 1024 / 1024;
  console.log(`database: ${database.kind}`);
  console.log(`import: ${first.inserted} inserted in ${importMs.toFixed(0)} ms`);
  console.log(`re-import: ${second.unchanged} unchanged in ${reimportMs.toFixed(0)} ms`);
  console.log(
    `search (${timings.length} queries): p50 ${percentile(timings, 50).toFixed(2)} ms, p95 ${percentile(timings, 95).toFixed(2)} ms, max ${timings.at(-1)?.toFixed(2)} ms`,
  );
  console.log(`rss: ${rss.toFixed(0)} MiB`);
} finally {
  await database.destroy();
}
