import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { IncidentRecordSchema, ObservatoryDocumentSchema } from "@vigie/contracts";
import { computeObservatory, importIncidentRecords, withFinessCheckDigit } from "@vigie/core";
import { migrateToLatest, openDatabase } from "@vigie/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The real command, as an operator runs it, against an embedded database persisted on disk.
const bin = resolve(import.meta.dirname, "../../bin/vigie.js");
let dataDir: string;

function vigie(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // LOG_LEVEL left to its default: whatever logs, it must not reach stdout.
  const env: NodeJS.ProcessEnv = { ...process.env, VIGIE_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  delete env.LOG_LEVEL;
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { env, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

const occitanie = { finess_et: withFinessCheckDigit("31000021"), type: "es_public", region: "76" } as const;
const bretagne = { finess_et: withFinessCheckDigit("35000022"), type: "esms", region: "53" } as const;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "vigie-observatory-cli-"));
  // Declarations written beforehand in the data folder the command opens.
  const database = await openDatabase({ dataDir: join(dataDir, "pgdata") });
  await migrateToLatest(database.db);
  const records = [
    {
      reference: "CS-2023-000201",
      declared_at: "2023-03-14T09:00:00Z",
      structure: occitanie,
      origin: "malicious",
    },
    {
      reference: "CS-2023-000202",
      declared_at: "2023-06-20T13:00:00Z",
      structure: occitanie,
      support_requested: true,
    },
    { reference: "CS-2023-000203", declared_at: "2023-11-02T15:00:00Z", structure: bretagne },
  ].map((r) => IncidentRecordSchema.parse(r));
  expect((await importIncidentRecords(database.db, records, { actorLabel: "test" })).problems).toEqual([]);
  await database.close();
}, 120_000);
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("vigie observatory", () => {
  it("--json writes the document and nothing else on stdout", async () => {
    const run = await vigie("observatory", "--year", "2023", "--json");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.endsWith("}\n")).toBe(true);
    const doc = ObservatoryDocumentSchema.parse(JSON.parse(run.stdout));
    expect(doc).toMatchObject({ year: 2023, region: null, incidents: { declared: 3, in_scope: 3 } });
    expect(doc.regions.counts).toMatchObject({ "76": 2, "53": 1 });
    expect(doc.declarants).toMatchObject({ distinct: 2, es: 1, esms: 1, several: 1 });

    const regional = await vigie("observatory", "--year", "2023", "--region", "76", "--json");
    expect(regional.code, regional.stderr).toBe(0);
    expect(JSON.parse(regional.stdout)).toMatchObject({ region: "76", incidents: { declared: 2 } });
  }, 240_000);

  it("loads an activity reference from a CSV, then the document carries the index", async () => {
    const csv = join(dataDir, "parts.csv");
    await writeFile(csv, "region;share\n76;0,1\n53;5 %\n");
    const load = await vigie(
      "observatory",
      "activity",
      "load",
      "--year",
      "2022",
      "--source",
      "PMSI 2022",
      csv,
    );
    expect(load.code, load.stderr).toBe(0);
    expect(load.stdout).toContain("Référence d'activité 2022 chargée : 2 région(s)");

    const run = await vigie("observatory", "--year", "2023", "--json");
    const doc = ObservatoryDocumentSchema.parse(JSON.parse(run.stdout));
    // 76: 2 ÷ 0.1 = 20 (the highest), 53: 1 ÷ 0.05 = 20.
    expect(doc.regions.activity_index).toEqual({ "76": 100, "53": 100 });

    // The same document as computed in process from the same database.
    const database = await openDatabase({ dataDir: join(dataDir, "pgdata") });
    try {
      expect(doc).toEqual(
        JSON.parse(JSON.stringify(await computeObservatory(database.db, { year: 2023, region: null }))),
      );
    } finally {
      await database.close();
    }
  }, 240_000);

  it("prints a French summary without --json", async () => {
    const run = await vigie("observatory", "--year", "2023", "--region", "76");
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Observatoire 2023 — Occitanie (76)");
    expect(run.stdout).toContain("Déclarations : 2");
    expect(run.stdout).toContain("Demandes d'accompagnement : 1 (50 %)");
  }, 120_000);

  it("refuses bad arguments with a French message naming the option, and a failing exit code", async () => {
    const cases: Array<[string[], string]> = [
      [["observatory", "--json"], "--year"],
      [["observatory", "--year", "23", "--json"], "--year"],
      [["observatory", "--year", "2023", "--region", "99", "--json"], "--region"],
      [["observatory", "activity", "load", "--source", "x", join(dataDir, "parts.csv")], "--year"],
    ];
    for (const [args, option] of cases) {
      const run = await vigie(...args);
      expect(run.code, args.join(" ")).not.toBe(0);
      expect(run.stdout).toBe("");
      expect(run.stderr).toContain("Erreur");
      expect(run.stderr).toContain(option);
    }
    const bad = join(dataDir, "mauvais.csv");
    await writeFile(bad, "region,share\n01,0.01\n");
    const overseas = await vigie("observatory", "activity", "load", "--year", "2022", "--source", "x", bad);
    expect(overseas.code).not.toBe(0);
    expect(overseas.stderr).toContain("shares.01");
  }, 240_000);
});
