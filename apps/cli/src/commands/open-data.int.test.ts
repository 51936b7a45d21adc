import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { IncidentRecordSchema } from "@vigie/contracts";
import {
  importIncidentRecords,
  type OpenDataRow,
  readOpenDataCsv,
  recomputableWithheldCells,
  withFinessCheckDigit,
} from "@vigie/core";
import { migrateToLatest, openDatabase } from "@vigie/db";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// `vigie opendata --year 2023 --out <dossier>`, as an operator runs it, against an embedded
// database persisted on disk.
const bin = resolve(import.meta.dirname, "../../bin/vigie.js");
let dataDir: string;

function vigie(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, VIGIE_DATA_DIR: dataDir, LOG_LEVEL: "silent" };
  delete env.DATABASE_URL;
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { env, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

const hospital = {
  finess_et: withFinessCheckDigit("31000111"),
  name: "CH Occitan Essai",
  type: "es_public",
  region: "76",
};
const small = {
  finess_et: withFinessCheckDigit("2B000222"),
  name: "CH Bastia Essai",
  type: "es_public",
  region: "94",
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "vigie-opendata-cli-"));
  const database = await openDatabase({ dataDir: join(dataDir, "pgdata") });
  try {
    await migrateToLatest(database.db);
    // Occitanie 12 declarations, Corse 2.
    const records = [
      ...Array.from({ length: 12 }, (_, i) => ({ structure: hospital, n: i })),
      ...Array.from({ length: 2 }, (_, i) => ({ structure: small, n: 12 + i })),
    ].map(({ structure, n }) =>
      IncidentRecordSchema.parse({
        reference: `CS-2023-${String(n + 1).padStart(6, "0")}`,
        declared_at: "2023-04-04T10:00:00+02:00",
        structure,
        origin: "undetermined",
        description: "Description libre à ne jamais publier",
      }),
    );
    const report = await importIncidentRecords(database.db, records);
    expect(report.problems).toEqual([]);
  } finally {
    await database.close();
  }
});
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("vigie opendata", { timeout: 180_000 }, () => {
  it("writes the CSV and its JSON Schema into the folder, creating it", async () => {
    const out = join(dataDir, "publication", "2023");
    const run = await vigie("opendata", "--year", "2023", "--out", out);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    // 20 lines (France, 18 regions, without region) × 130 cells; French digit grouping.
    expect(run.stdout).toMatch(/^Données ouvertes 2023 : 2\u202f600 lignes \(/);
    expect(run.stdout).toContain(join(out, "observatoire-2023.csv"));

    const csv = await readFile(join(out, "observatoire-2023.csv"), "utf8");
    const schema = JSON.parse(await readFile(join(out, "observatoire-2023.schema.json"), "utf8"));
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    const rows = readOpenDataCsv(csv) as unknown as OpenDataRow[];
    const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
    expect(rows.filter((row) => !validate(row))).toEqual([]);

    const total = (code: string | null) =>
      rows.find(
        (r) => r.code_region === code && r.niveau !== "hors_region" && r.indicateur === "declarations",
      );
    expect(total(null)).toMatchObject({ valeur: 14, statut: "publie" });
    // Corse's 2 are secret, and Occitanie's 12 with them (14 − 12 would give the 2 back).
    expect(total("94")).toMatchObject({ valeur: null, statut: "secret" });
    expect(total("76")).toMatchObject({ valeur: null, statut: "secret_secondaire" });
    expect(recomputableWithheldCells(rows)).toEqual([]);
    for (const text of [
      hospital.finess_et,
      small.finess_et,
      hospital.name,
      small.name,
      "Description libre",
    ]) {
      expect(csv).not.toContain(text);
    }
  });

  it("rejects a bad year and an output path that is a file, in French", async () => {
    const year = await vigie("opendata", "--year", "vingt", "--out", dataDir);
    expect(year.code).toBe(1);
    expect(year.stderr).toContain("Option --year invalide");
    const file = join(dataDir, "un-fichier");
    await writeFile(file, "");
    const out = await vigie("opendata", "--year", "2023", "--out", file);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("Impossible d'écrire");
  });
});
