import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "@vigie/db";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The real command, as an operator runs it, against an embedded database persisted on disk.
const bin = resolve(import.meta.dirname, "../../bin/vigie.js");
const data = (path: string) =>
  fileURLToPath(new URL(`../../../../reference/vulnerabilities/${path}`, import.meta.url));
let dataDir: string;

function vigie(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, VIGIE_DATA_DIR: dataDir, LOG_LEVEL: "silent" };
  delete env.DATABASE_URL;
  return new Promise((done) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "vigie-feeds-cli-"));
});
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("vigie feeds", () => {
  it("loads the full KEV catalog, prints the French report, then finds it unchanged", async () => {
    const first = await vigie("feeds", "load", "kev", data("known_exploited_vulnerabilities.json"));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(
      "Catalogue CISA KEV — file:known_exploited_vulnerabilities.json : Réussie",
    );
    expect(first.stdout).toMatch(/1\s404 ajoutés, 0 mis à jour, 0 inchangé, 0 rejeté\./);
    expect(
      first.stderr.match(/^ {2}Avertissement \(CVE-\d{4}-\d+, ligne \d+\) : Date limite/gm),
    ).toHaveLength(15);
    const again = await vigie("feeds", "load", "kev", data("known_exploited_vulnerabilities.json"));
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 ajouté, 0 mis à jour, 1\s404 inchangés, 0 rejeté\./);
  }, 240_000);

  it("a partial file exits 0 with its rejections; an unreadable one exits non-zero", async () => {
    const partial = join(dataDir, "partiel.json");
    await writeFile(
      partial,
      JSON.stringify(
        {
          vulnerabilities: [{ cveID: "CVE-2026-0001", dateAdded: "2026-01-02" }, { dateAdded: "2026-01-02" }],
        },
        null,
        2,
      ),
    );
    const run = await vigie("feeds", "load", "kev", partial);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Partielle (enregistrements rejetés)");
    expect(run.stderr).toMatch(/Erreur \(ligne 7\) : Entrée n° 2 ignorée : le champ cveID est absent\./);

    const broken = join(dataDir, "casse.xml");
    await writeFile(broken, "<rss><channel><item><title>Alerte");
    const failed = await vigie("feeds", "load", "certfr", broken);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/Échouée \(rien n'a changé\)/);
    expect(failed.stderr).toMatch(/Flux RSS illisible/);

    const unknown = await vigie("feeds", "load", "osv", partial);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("Source « osv » inconnue");
    const missing = await vigie("feeds", "load", "nvd", join(dataDir, "absent.json"));
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("fichier introuvable");
  }, 240_000);

  it("loads an NVD record and lists the runs, most recent first", async () => {
    const nvd = await vigie("feeds", "load", "nvd", data("CVE-2023-4966.json"));
    expect(nvd.code, nvd.stderr).toBe(0);
    const runs = await vigie("feeds", "runs", "--limit", "3");
    expect(runs.code, runs.stderr).toBe(0);
    const blocks = runs.stdout.split("\n").filter((l) => / · /.test(l));
    expect(blocks).toHaveLength(3);
    expect(blocks[0]).toContain("NVD (API CVE 2.0) — file:CVE-2023-4966.json : Réussie");
    expect(blocks[1]).toContain("CERT-FR");
    const database = await openDatabase({ dataDir: join(dataDir, "pgdata") });
    try {
      const r = await sql<{
        n: string;
      }>`select count(*)::text as n from vulnerability_criteria where cve_id = 'CVE-2023-4966'`.execute(
        database.db,
      );
      expect(r.rows[0]?.n).toBe("9");
    } finally {
      await database.close();
    }
  }, 240_000);
});
