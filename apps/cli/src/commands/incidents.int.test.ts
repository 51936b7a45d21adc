import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { withFinessCheckDigit } from "@vigie/core/directory/finess";
import { openDatabase } from "@vigie/db";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The real command, as an operator runs it, against an embedded database persisted on disk.
const bin = resolve(import.meta.dirname, "../../bin/vigie.js");
let dataDir: string;
const FINESS = withFinessCheckDigit("33000111");

function vigie(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, VIGIE_DATA_DIR: dataDir, LOG_LEVEL: "silent" };
  delete env.DATABASE_URL;
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

function record(reference: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    reference,
    declared_at: "2023-04-04T09:15:00+02:00",
    structure: { finess_et: FINESS, name: "CHU d'Essai", type: "es_public", region: "75" },
    origin: "malicious",
    malicious_types: ["malicious_message"],
    ...extra,
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "vigie-incidents-cli-"));
});
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("vigie import incidents / vigie export incidents", () => {
  it("on a new data folder, creates the schema and exports nothing", async () => {
    const run = await vigie("export", "incidents", "--year", "2023");
    expect(run).toEqual({ code: 0, stdout: "", stderr: "" });
    // The schema and its reference data (the regions), nothing else: no demo, no audit entry.
    const database = await openDatabase({ dataDir: join(dataDir, "pgdata") });
    try {
      const counts = await sql<Record<string, string>>`select
        (select count(*) from regions)::text as regions, (select count(*) from users)::text as users,
        (select count(*) from structures)::text as structures, (select count(*) from incidents)::text as incidents,
        (select count(*) from audit_log)::text as audit`.execute(database.db);
      expect(counts.rows[0]).toEqual({
        regions: "18",
        users: "0",
        structures: "0",
        incidents: "0",
        audit: "0",
      });
    } finally {
      await database.close();
    }
  }, 120_000);

  it("rejects a file with an invalid line: non-zero exit, each problem on stderr, nothing written", async () => {
    const file = join(dataDir, "refuse.jsonl");
    const wrongFiness = `${FINESS.slice(0, 8)}${(Number(FINESS[8]) + 1) % 10}`;
    await writeFile(
      file,
      [
        record("CS-2023-000001"),
        record("CS-2023-000002", { structure: { finess_et: wrongFiness, type: "es_public", region: "75" } }),
        "",
        record("CS-2023-000003", { malicious_types: ["ransomware", "ransomware"], couleur: "rouge" }),
      ].join("\r\n"),
    );
    const run = await vigie("import", "incidents", file);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/^ligne 2, champ structure\.finess_et : .*clé de contrôle/),
      "ligne 4, champ couleur : Champ inconnu « couleur » : seuls les champs du format vigie.incident/1 sont acceptés (faute de frappe ?).",
      "Erreur : Fichier refusé (3 lignes lues) : rien n'a été importé.",
    ]);
    // The duplicate is only reported once the shape is right: fix the unknown field.
    await writeFile(
      file,
      [
        record("CS-2023-000001"),
        record("CS-2023-000003", { malicious_types: ["ransomware", "ransomware"] }),
      ].join("\n"),
    );
    const again = await vigie("import", "incidents", file);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("ligne 2, champ malicious_types[1] : Valeur « ransomware » en double.");
    const exported = await vigie("export", "incidents", "--year", "2023");
    expect(exported.stdout).toBe("");
  }, 120_000);

  it("imports, prints a French summary, and is idempotent; CSV by extension", async () => {
    const file = join(dataDir, "historique.jsonl");
    await writeFile(file, `${record("CS-2023-000010")}\n${record("CS-2023-000011", { tlp: "green" })}\n`);
    const run = await vigie("import", "incidents", file);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe("Import terminé : 2 incidents lus — 2 créés, 0 mis à jour, 0 inchangé.");

    const again = await vigie("import", "incidents", file);
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe("Import terminé : 2 incidents lus — 0 créé, 0 mis à jour, 2 inchangés.");

    const csv = join(dataDir, "tableur.csv");
    await writeFile(
      csv,
      `reference,declared_at,structure.finess_et,structure.type,structure.region,origin,non_malicious_types\nCS-2024-000001,2024-01-10T10:00:00+01:00,${FINESS},es_public,75,non_malicious,power_outage|human_error\n`,
    );
    const fromCsv = await vigie("import", "incidents", csv);
    expect(fromCsv.code).toBe(0);
    expect(fromCsv.stdout).toContain("1 créé");
  }, 120_000);

  it("refuses a different record unless --update is given", async () => {
    const file = join(dataDir, "modifie.jsonl");
    await writeFile(file, `${record("CS-2023-000011", { tlp: "red" })}\n`);
    const refused = await vigie("import", "incidents", file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "ligne 1, champ reference : L'incident CS-2023-000011 existe déjà avec un contenu différent",
    );
    const updated = await vigie("import", "incidents", file, "--update");
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain("1 mis à jour");
  }, 120_000);

  it("exports a year to stdout (nothing else) or to a file, by region", async () => {
    const run = await vigie("export", "incidents", "--year", "2023");
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const lines = run.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.reference, l.tlp])).toEqual([
      ["CS-2023-000010", "amber"],
      ["CS-2023-000011", "red"],
    ]);
    expect(lines[0].declared_at).toBe("2023-04-04T09:15:00+02:00");

    const out = join(dataDir, "export-2023.jsonl");
    const toFile = await vigie("export", "incidents", "--year", "2023", "--region", "75", "--out", out);
    expect(toFile.code).toBe(0);
    expect(toFile.stdout).toContain("2 incidents écrits");
    expect(await readFile(out, "utf8")).toBe(run.stdout);

    const other = await vigie("export", "incidents", "--year", "2023", "--region", "11");
    expect(other).toMatchObject({ code: 0, stdout: "" });
  }, 120_000);

  it("fails with French messages on bad options", async () => {
    const year = await vigie("export", "incidents", "--year", "23");
    expect(year.code).toBe(1);
    expect(year.stderr).toContain("--year attend une année sur 4 chiffres");
    const region = await vigie("export", "incidents", "--year", "2023", "--region", "99");
    expect(region.code).toBe(1);
    expect(region.stderr).toContain("Région « 99 » inconnue");
    const format = await vigie("import", "incidents", join(dataDir, "x.jsonl"), "--format", "xml");
    expect(format.code).toBe(1);
    expect(format.stderr).toContain("Format « xml » inconnu");
    const missing = await vigie("import", "incidents", join(dataDir, "absent.jsonl"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("fichier introuvable");
  }, 120_000);
});
