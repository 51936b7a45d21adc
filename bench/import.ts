/**
 * Bulk import benchmark (issue 6, `vigie.incident/1`).
 *
 * Generates N valid records (100 000 by default: ~3 000 structures, every region, all the
 * taxonomy, events, out-of-scope cases, complements) as a JSON Lines file, then on a fresh
 * database (a PGlite data folder on disk by default, or a new PostgreSQL database):
 *   - imports the file (parse, validation, one transaction) and prints the duration and rows/s;
 *   - imports it again (everything unchanged);
 *   - exports the first year and checks the export re-reads as the same records.
 *
 * Usage: npx tsx bench/import.ts [--db pglite|postgres] [--records 100000] [--write-only file.jsonl]
 * Targets 127.0.0.1 only.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import {
  affectedSystem,
  authorityInvolved,
  channel,
  dataImpact,
  dataType,
  filing,
  type IncidentRecordInput,
  maliciousType,
  nonMaliciousType,
  operationalImpact,
  outOfScopeReason,
  patientEndangerment,
  regionCodes,
  siEffect,
  stateAtDeclaration,
  tlp,
} from "@vigie/contracts";
import { withFinessCheckDigit } from "@vigie/core/directory/finess";
import { exportIncidentsText, importIncidentFile } from "@vigie/core/exchange/index";
import { type DatabaseHandle, migrateToLatest, openDatabase } from "@vigie/db";
import { testPostgresUrl } from "@vigie/test-kit";
import pg from "pg";

const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "pglite" },
    records: { type: "string", default: "100000" },
    /** Only write the generated file there, import nothing. */
    "write-only": { type: "string" },
  },
});
const RECORDS = Number(args.records);
const YEARS = [2021, 2022, 2023, 2024];
const STRUCTURES = 3000;

/** A small deterministic generator (mulberry32), so every run imports the same file. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const rand = random(20231231);
const pick = <T>(values: readonly T[]): T => values[Math.floor(rand() * values.length)] as T;
const some = <T>(values: readonly T[], max: number): T[] => {
  const n = Math.floor(rand() * (max + 1));
  return [...new Set(Array.from({ length: n }, () => pick(values)))];
};

const structureTypes = [
  "es_public",
  "es_private_nonprofit",
  "es_private_forprofit",
  "esms",
  "lbm",
  "other",
] as const;
const structures = Array.from({ length: STRUCTURES }, (_, i) => ({
  finess_et: withFinessCheckDigit(
    `${String(10 + (i % 85)).padStart(2, "0")}${String(900000 + i).padStart(6, "0")}`,
  ),
  name: `Structure de banc n° ${i} — Hôpital « Saint-Éloi »`,
  type: pick(structureTypes),
  region: pick(regionCodes),
  department: String(10 + (i % 85)),
  ose: rand() < 0.2,
  oiv: rand() < 0.05,
  ght_support: rand() < 0.1,
  ...(rand() < 0.5 ? { ght: `GHT-${i % 130}` } : {}),
}));

function record(index: number): IncidentRecordInput {
  const year = YEARS[index % YEARS.length] as number;
  const perYear = Math.floor(index / YEARS.length) + 1;
  const declared = new Date(Date.UTC(year, 0, 1) + Math.floor(rand() * 364 * 86_400_000));
  const outOfScope = rand() < 0.04;
  const origin = outOfScope ? null : pick(["malicious", "non_malicious", "undetermined", null] as const);
  const impacts =
    rand() < 0.35
      ? ["none" as const]
      : some(
          dataImpact.values.filter((v) => v !== "none"),
          3,
        );
  const hasData = impacts.length > 0 && impacts[0] !== "none";
  const requested = rand() < 0.1 ? new Date(declared.getTime() + 3_600_000) : null;
  return {
    reference: `CS-${year}-${String(perYear).padStart(6, "0")}`,
    declared_at: declared.toISOString(),
    detected_at: rand() < 0.8 ? new Date(declared.getTime() - 7_200_000).toISOString() : null,
    channel: pick(channel.values),
    structure: pick(structures),
    out_of_scope: outOfScope,
    out_of_scope_reason: outOfScope ? pick(outOfScopeReason.values) : null,
    state_at_declaration: pick(stateAtDeclaration.values),
    support_requested: rand() < 0.28,
    origin,
    malicious_types:
      origin === "malicious"
        ? [pick(maliciousType.values), ...some(maliciousType.values, 1)].filter(
            (v, i, a) => a.indexOf(v) === i,
          )
        : [],
    non_malicious_types: origin === "non_malicious" ? [pick(nonMaliciousType.values)] : [],
    si_effect: origin === "malicious" ? pick(siEffect.values) : null,
    data_impacts: impacts,
    data_types: hasData ? some(dataType.values, 2) : [],
    operational_impact: rand() < 0.1 ? null : pick(operationalImpact.values),
    degraded_mode_hours: rand() < 0.3 ? Math.round(rand() * 960) / 4 : null,
    patient_endangerment: pick([...patientEndangerment.values, null]),
    affected_systems: some(affectedSystem.values, 3),
    persons_affected: rand() < 0.2 ? Math.floor(rand() * 100_000) : null,
    filings: some(filing.values, 2),
    technical_support_provided: rand() < 0.16,
    authorities_involved: some(authorityInvolved.values, 1),
    complement_requested_at: requested?.toISOString() ?? null,
    complement_answered_at:
      requested && rand() < 0.8 ? new Date(requested.getTime() + 86_400_000).toISOString() : null,
    event_ref: rand() < 0.05 ? `EV-${year}-${String(1 + Math.floor(rand() * 40)).padStart(4, "0")}` : null,
    tlp: pick(tlp.values),
    title: `Incident n° ${index} : messagerie indisponible`,
    description: `Description libre de l'incident ${index}, avec accents (é, ç), guillemets "doubles" et emoji 🔒.`,
  };
}

interface Target {
  open(): Promise<DatabaseHandle>;
  cleanup(): Promise<void>;
}

async function prepareTarget(kind: string): Promise<Target> {
  if (kind === "pglite") {
    const dataDir = mkdtempSync(join(tmpdir(), "vigie-bench-import-"));
    return {
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
    open: () => openDatabase({ url: url.toString() }),
    cleanup: async () => {
      const dropper = new pg.Client({ connectionString: testPostgresUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString("fr-FR")} lignes/s`;

const workDir = mkdtempSync(join(tmpdir(), "vigie-bench-import-file-"));
const file = args["write-only"] ?? join(workDir, "incidents.jsonl");
writeFileSync(file, `${Array.from({ length: RECORDS }, (_, i) => JSON.stringify(record(i))).join("\n")}\n`);
if (args["write-only"]) {
  rmSync(workDir, { recursive: true, force: true });
  console.log(`Écrit : ${file}`);
  process.exit(0);
}
console.log(
  `Fichier : ${RECORDS.toLocaleString("fr-FR")} enregistrements, ${(statSync(file).size / 1e6).toFixed(1)} Mo, base ${args.db}`,
);

const target = await prepareTarget(args.db ?? "pglite");
const database = await target.open();
try {
  await migrateToLatest(database.db);

  let start = performance.now();
  const cpu = process.cpuUsage();
  const report = await importIncidentFile(database.db, await readFile(file), { format: "jsonl" });
  const importMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  if (report.problems.length > 0) throw new Error(JSON.stringify(report.problems.slice(0, 5)));
  console.log(
    `Import (lecture, validation, écriture) : ${seconds(importMs)} — ${rate(RECORDS, importMs)} — créés ${report.created}` +
      ` (temps processeur ${seconds((used.user + used.system) / 1000)} ; charge de la machine ${loadavg()[0]?.toFixed(1)})`,
  );

  start = performance.now();
  const again = await importIncidentFile(database.db, await readFile(file), { format: "jsonl" });
  const againMs = performance.now() - start;
  console.log(
    `Réimport du même fichier : ${seconds(againMs)} — ${rate(RECORDS, againMs)} — inchangés ${again.unchanged}`,
  );

  start = performance.now();
  const exported = await exportIncidentsText(database.db, { year: YEARS[0] as number });
  const exportMs = performance.now() - start;
  const lines = exported.split("\n").filter(Boolean).length;
  console.log(
    `Export de ${YEARS[0]} : ${lines.toLocaleString("fr-FR")} lignes en ${seconds(exportMs)} — ${rate(lines, exportMs)}`,
  );
} finally {
  await database.close();
  await target.cleanup();
  rmSync(workDir, { recursive: true, force: true });
}
