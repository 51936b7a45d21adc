/**
 * Declaration submission benchmark (issue: declaration portal).
 *
 * Starts the real platform (`vigie start --api`) in a child process on PGlite or PostgreSQL,
 * then drives `POST /api/v1/declarations` (API token) from this process:
 *   - closed loop with 50 and 200 concurrent clients: sustained declarations/s, p50/p99;
 *   - the same with one attachment uploaded first (upload + submission timed together);
 *   - open loop at a fixed 200 declarations/s: p50/p99 (the target is p99 < 100 ms on PostgreSQL);
 *   - kill test: `kill -9` of the server mid-load and restart while clients retry with their
 *     idempotency keys; then checks that no confirmed declaration is lost and none is duplicated.
 *
 * Usage: npx tsx bench/declarations.ts [--db pglite|postgres] [--seconds 10] [--only load|kill]
 * Targets 127.0.0.1 only.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { actorForUser, createApiToken } from "@vigie/core";
import { type DatabaseHandle, migrateToLatest, openDatabase } from "@vigie/db";
import { createStructure, createUser, testPostgresUrl } from "@vigie/test-kit";
import { sql } from "kysely";
import pg from "pg";

const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "postgres" },
    seconds: { type: "string", default: "10" },
    only: { type: "string" },
    /** Declarations that need no on-call page (no support requested, care unaffected). */
    ordinary: { type: "boolean", default: false },
  },
});
const SECONDS = Number(args.seconds);
const BIN = fileURLToPath(new URL("../apps/cli/bin/vigie.js", import.meta.url));
const ENCRYPTION_KEY = randomBytes(32).toString("base64");

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("port")),
      );
    });
  });
}

interface Target {
  env: Record<string, string>;
  open(): Promise<DatabaseHandle>;
  cleanup(): Promise<void>;
}

async function prepareTarget(kind: string): Promise<Target> {
  if (kind === "pglite") {
    const dataDir = mkdtempSync(join(tmpdir(), "vigie-bench-"));
    return {
      env: { VIGIE_DATA_DIR: dataDir },
      open: () => openDatabase({ dataDir: join(dataDir, "pgdata") }),
      cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `vigie_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    open: () => openDatabase({ url: url.toString() }),
    cleanup: async () => {
      const dropper = new pg.Client({ connectionString: testPostgresUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

/** Seeds one structure, a declarant attached to it and an API token scoped to declare. */
async function seed(target: Target): Promise<{ finess: string; token: string }> {
  const database = await target.open();
  try {
    await migrateToLatest(database.db);
    const structure = await createStructure(database.db, { name: "Centre hospitalier du banc d'essai" });
    const user = await createUser(database.db, "declarant", { structureIds: [structure.id] });
    const actor = await actorForUser(database.db, user);
    const token = await createApiToken(
      database.db,
      actor,
      { name: "Banc d'essai", scopes: ["declarations:create"] },
      new Date(),
    );
    return { finess: structure.finessEt, token: token.token };
  } finally {
    await database.close();
  }
}

interface Server {
  child: ChildProcess;
  base: string;
  exited: Promise<number | null>;
}

async function startServer(target: Target, port: number): Promise<Server> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir", process.env.BENCH_PROFILE] : []),
      BIN,
      "start",
      "--api",
    ],
    {
      env: {
        ...process.env,
        ...target.env,
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "error",
        VIGIE_NO_DEMO: "true",
        RATE_LIMIT_SCALE: "100000",
        VIGIE_ENCRYPTION_KEY: ENCRYPTION_KEY,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      if ((await fetch(`${base}/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("server did not become ready");
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, base, exited };
}

function declaration(finess: string, key: string) {
  return {
    idempotencyKey: key,
    finess: [finess],
    declarant: { fullName: "Banc d'essai", email: "banc@chu-essai.test", phone: "01 02 03 04 05" },
    title: "Chiffrement des serveurs de fichiers",
    description: "Message de rançon sur les serveurs de fichiers, partages inaccessibles depuis 02 h.",
    detectedAt: new Date().toISOString(),
    operationalImpact: "degraded_support",
    stateAtDeclaration: "in_progress",
    supportRequested: !args.ordinary,
  };
}

const LOG_BYTES = Buffer.from(
  "2026-11-28T02:00:00Z srv-fic-01 vssadmin delete shadows /all /quiet\n".repeat(40),
);

async function submit(base: string, token: string, finess: string, key: string, withAttachment: boolean) {
  if (withAttachment) {
    const form = new FormData();
    form.append("files", new Blob([LOG_BYTES], { type: "text/plain" }), "journal-serveur.log");
    const upload = await fetch(`${base}/api/attachments?pendingKey=${key}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    if (!upload.ok) throw new Error(`upload ${upload.status}: ${await upload.text()}`);
    await upload.arrayBuffer();
  }
  const response = await fetch(`${base}/api/v1/declarations`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(declaration(finess, key)),
  });
  const body = await response.text();
  if (response.status !== 201 && response.status !== 200)
    throw new Error(`submit ${response.status}: ${body}`);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function report(label: string, latencies: number[], errors: number, seconds: number): void {
  latencies.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(44)} ${(latencies.length / seconds).toFixed(1).padStart(7)} décl./s  p50 ${percentile(
      latencies,
      50,
    )
      .toFixed(1)
      .padStart(6)} ms  p99 ${percentile(latencies, 99).toFixed(1).padStart(7)} ms  erreurs ${errors}`,
  );
}

async function closedLoop(
  base: string,
  seed: { finess: string; token: string },
  clients: number,
  withAttachment: boolean,
) {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  const end = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const start = performance.now();
        try {
          await submit(base, seed.token, seed.finess, randomUUID(), withAttachment);
          latencies.push(performance.now() - start);
        } catch (error) {
          errors++;
          firstError ??= error;
        }
      }
    }),
  );
  if (firstError) console.log(`  première erreur : ${String(firstError).slice(0, 200)}`);
  report(`${clients} clients${withAttachment ? ", 1 pièce jointe" : ""}`, latencies, errors, SECONDS);
}

async function openLoop(
  base: string,
  seed: { finess: string; token: string },
  rate: number,
  maxInFlight: number,
) {
  const latencies: number[] = [];
  let errors = 0;
  let inFlight = 0;
  let skipped = 0;
  const total = rate * SECONDS;
  const started = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (inFlight >= maxInFlight) {
      skipped++;
      continue;
    }
    inFlight++;
    const t0 = performance.now();
    pending.push(
      submit(base, seed.token, seed.finess, randomUUID(), false)
        .then(() => void latencies.push(performance.now() - t0))
        .catch(() => void errors++)
        .finally(() => void inFlight--),
    );
  }
  await Promise.all(pending);
  report(`débit imposé ${rate}/s (≤ ${maxInFlight} en vol)`, latencies, errors + skipped, SECONDS);
}

async function killTest(target: Target, seed: { finess: string; token: string }, port: number) {
  let server = await startServer(target, port);
  const confirmed = new Set<string>();
  const attempted = new Set<string>();
  let retries = 0;
  let stop = false;
  const clients = Array.from({ length: 50 }, async () => {
    while (!stop) {
      const key = randomUUID();
      attempted.add(key);
      // A client keeps its key until the server confirms: that is what makes retries safe.
      for (;;) {
        try {
          await submit(server.base, seed.token, seed.finess, key, false);
          confirmed.add(key);
          break;
        } catch {
          retries++;
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    }
  });
  await new Promise((r) => setTimeout(r, (SECONDS * 1000) / 3));
  const beforeKill = confirmed.size;
  server.child.kill("SIGKILL");
  await server.exited;
  const killedAt = performance.now();
  server = await startServer(target, port);
  const downMs = performance.now() - killedAt;
  await new Promise((r) => setTimeout(r, (SECONDS * 1000) / 3));
  stop = true;
  await Promise.all(clients);
  server.child.kill("SIGTERM");
  await server.exited;

  const database = await target.open();
  try {
    const rows = await sql<{ key: string; n: string }>`
      select idempotency_key::text as key, count(*) as n from incidents group by idempotency_key`.execute(
      database.db,
    );
    // Rows of the earlier load phases share the database: judge only this test's keys.
    const stored = new Map(rows.rows.filter((r) => attempted.has(r.key)).map((r) => [r.key, Number(r.n)]));
    const lost = [...confirmed].filter((k) => !stored.has(k)).length;
    const duplicated = [...stored.values()].filter((n) => n > 1).length;
    console.log(
      `kill -9 : ${confirmed.size} déclarations confirmées (${beforeKill} avant l'arrêt brutal), ` +
        `redémarrage en ${(downMs / 1000).toFixed(1)} s, ${retries} nouveaux essais ; ` +
        `perdues ${lost} ; en double ${duplicated}`,
    );
    if (lost > 0 || duplicated > 0) process.exitCode = 1;
  } finally {
    await database.close();
  }
}

const target = await prepareTarget(args.db ?? "postgres");
try {
  const seeded = await seed(target);
  const port = await freePort();
  console.log(
    `base : ${args.db}, durée de chaque mesure : ${SECONDS} s, ` +
      `${args.ordinary ? "déclarations ordinaires" : "déclarations avec demande d'appui (astreinte prévenue hors heures ouvrées)"}`,
  );
  if (args.only !== "kill") {
    const server = await startServer(target, port);
    try {
      await closedLoop(server.base, seeded, 1, false);
      await closedLoop(server.base, seeded, 10, false);
      await closedLoop(server.base, seeded, 50, false);
      await closedLoop(server.base, seeded, 200, false);
      await closedLoop(server.base, seeded, 50, true);
      await closedLoop(server.base, seeded, 200, true);
      await openLoop(server.base, seeded, 200, 200);
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  }
  if (args.only !== "load") await killTest(target, seeded, port);
} finally {
  await target.cleanup();
}
