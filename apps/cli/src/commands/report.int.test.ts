import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { importIncidentRecords } from "@vigie/core";
import { readReportHtml } from "@vigie/core/observatory/report/read-report-html";
import { REPORT_DATASET_FACTS, reportDatasetRecords } from "@vigie/core/observatory/report/report-dataset";
import { migrateToLatest, openDatabase } from "@vigie/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The real command, as an operator runs it, against an embedded database persisted on disk.
const bin = resolve(import.meta.dirname, "../../bin/vigie.js");
const chromiumPath = process.env.VIGIE_CHROMIUM ?? "/usr/bin/chromium";
let dataDir: string;

function vigie(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    VIGIE_DATA_DIR: dataDir,
    LOG_LEVEL: "silent",
    CHROMIUM_PATH: chromiumPath,
  };
  delete env.DATABASE_URL;
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { env, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  // Each run starts Node, TypeScript and the embedded database: slow on a busy machine.
  dataDir = await mkdtemp(join(tmpdir(), "vigie-report-cli-"));
  const database = await openDatabase({ dataDir: join(dataDir, "pgdata") });
  try {
    await migrateToLatest(database.db);
    await importIncidentRecords(database.db, reportDatasetRecords(), { actorLabel: "test" });
  } finally {
    await database.close();
  }
});
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("vigie report", () => {
  it("writes the national report in HTML", { timeout: 180_000 }, async () => {
    const out = join(dataDir, "rapport.html");
    const run = await vigie("report", "--year", "2023", "--out", out);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Rapport 2023 \(national, 12 signalements\) écrit dans .*rapport\.html \(HTML, \d+ Ko\)\.$/m,
    );
    const read = readReportHtml(await readFile(out, "utf8"));
    expect(read.title).toBe("Observatoire des signalements d'incidents de sécurité des SI santé 2023");
    expect(read.figures).toContainEqual(
      expect.objectContaining({
        path: "incidents.declared",
        year: 2023,
        value: REPORT_DATASET_FACTS.declared[2023],
      }),
    );
    expect(read.figures).toContainEqual(
      expect.objectContaining({
        path: "incidents.declared",
        year: 2022,
        value: REPORT_DATASET_FACTS.declared[2022],
      }),
    );
  });

  it.skipIf(!existsSync(chromiumPath))("writes a region's report in PDF", { timeout: 180_000 }, async () => {
    const out = join(dataDir, "occitanie.pdf");
    const run = await vigie("report", "--year", "2023", "--region", "76", "--out", out);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Rapport 2023 (région Occitanie, 5 signalements)");
    const pdf = await readFile(out);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });

  it("names the wrong option in French", { timeout: 300_000 }, async () => {
    // Refused before the database is opened: run side by side.
    const [format, year, range, region, missing] = await Promise.all([
      vigie("report", "--year", "2023", "--out", join(dataDir, "rapport.docx")),
      vigie("report", "--year", "deux-mille", "--out", join(dataDir, "r.html")),
      vigie("report", "--year", "1999", "--out", join(dataDir, "r.html")),
      vigie("report", "--year", "2023", "--region", "7", "--out", join(dataDir, "r.html")),
      vigie("report", "--year", "2023"),
    ]);
    expect(format.code).toBe(1);
    expect(format.stderr).toContain("Option --out invalide (« ");
    expect(format.stderr).toContain("le fichier doit se terminer par .html ou .pdf");
    expect(year.code).toBe(1);
    expect(year.stderr).toContain("Option --year invalide (« deux-mille »)");
    expect(range.stderr).toContain(
      "Option --year invalide (« 1999 ») : L'année doit être comprise entre 2000 et 2100.",
    );
    expect(region.code).toBe(1);
    expect(region.stderr).toContain("Option --region invalide (« 7 »)");
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("option obligatoire manquante « --out <fichier> »");

    // Refused once the database is open (one process at a time on the embedded database).
    const unknown = await vigie(
      "report",
      "--year",
      "2023",
      "--region",
      "99",
      "--out",
      join(dataDir, "r.html"),
    );
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      "Option --region invalide (« 99 ») : aucune région ne porte ce code INSEE.",
    );
    const folder = await vigie("report", "--year", "2023", "--out", join(dataDir, "absent", "r.html"));
    expect(folder.code).toBe(1);
    expect(folder.stderr).toContain("(option --out) : le dossier n'existe pas.");
    expect(existsSync(join(dataDir, "r.html"))).toBe(false);
  });
});
