import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { withFinessCheckDigit } from "@vigie/core/directory/finess";
import { migrateToLatest, openDatabase } from "@vigie/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// `vigie watch match`, as an operator of the CERT runs it, against an embedded database on
// disk: the real NVD record loaded by `vigie feeds load`, assets by `vigie assets import`.
const bin = resolve(import.meta.dirname, "../../bin/vigie.js");
const data = (path: string) =>
  fileURLToPath(new URL(`../../../../reference/vulnerabilities/${path}`, import.meta.url));
let dataDir: string;
const FINESS = withFinessCheckDigit("38008888");

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

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "vigie-watch-cli-"));
  const database = await openDatabase({ dataDir: join(dataDir, "pgdata") });
  try {
    await migrateToLatest(database.db);
    const now = new Date();
    await database.db
      .insertInto("structures")
      .values({
        finess_et: FINESS,
        name: "CH de la Veille",
        structure_type: "es_public",
        created_at: now,
        updated_at: now,
      })
      .execute();
  } finally {
    await database.close();
  }
}, 120_000);
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("vigie watch match", () => {
  it("matches fully with --full, prints the French report, then finds nothing changed", async () => {
    const nvd = await vigie("feeds", "load", "nvd", data("CVE-2023-4966.json"));
    expect(nvd.code, nvd.stderr).toBe(0);
    const file = join(dataDir, "actifs.csv");
    await writeFile(
      file,
      "type;valeur;editeur;produit;version;cpe;hote;port;protocole;service;libelle\n" +
        "produit;;Citrix;NetScaler ADC;13.1-49.14;;192.0.2.10;443;tcp;https;Passerelle VPN\n" +
        "produit;;Citrix;NetScaler Gateway;13.1-49.15;;192.0.2.11;443;tcp;https;\n" +
        "service;;;;;;192.0.2.12;3389;tcp;rdp;\n",
    );
    const imported = await vigie("assets", "import", file, "--structure", FINESS);
    expect(imported.code, imported.stderr).toBe(0);

    const full = await vigie("watch", "match", "--full");
    expect(full.code, full.stderr).toBe(0);
    const lines = full.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^Rapprochement complet terminé en [\d,]+ s\.$/);
    expect(lines.slice(1)).toEqual([
      "Actifs examinés : 3 ; vulnérabilités examinées : 1.",
      "Constats : 2.",
      "Tickets ouverts : 2, rouverts : 0, urgence relevée : 0, inchangés : 0, corrigés : 0.",
    ]);

    const again = await vigie("watch", "match");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/^Rapprochement incrémental terminé/);
    expect(again.stdout).toContain("Actifs examinés : 0 ; vulnérabilités examinées : 0.");
  }, 240_000);

  it("documents the command in French", async () => {
    const help = await vigie("watch", "match", "--help");
    expect(help.stdout).toContain("--full");
    expect(help.stdout).toContain("Rapprochement complet");
  }, 120_000);
});
