import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { withFinessCheckDigit } from "@vigie/core/directory/finess";
import { migrateToLatest, openDatabase } from "@vigie/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The real command, as an operator of the CERT runs it, against an embedded database on disk.
const bin = resolve(import.meta.dirname, "../../bin/vigie.js");
let dataDir: string;
const FINESS = withFinessCheckDigit("38009999");
const OTHER = withFinessCheckDigit("69009999");

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

async function withDb<T>(
  body: (db: Awaited<ReturnType<typeof openDatabase>>["db"]) => Promise<T>,
): Promise<T> {
  const database = await openDatabase({ dataDir: join(dataDir, "pgdata") });
  try {
    return await body(database.db);
  } finally {
    await database.close();
  }
}

const header = "type;valeur;editeur;produit;version;cpe;hote;port;protocole;service;libelle";

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "vigie-assets-cli-"));
  await withDb(async (db) => {
    await migrateToLatest(db);
    const now = new Date();
    await db
      .insertInto("structures")
      .values(
        [FINESS, OTHER].map((finess, i) => ({
          finess_et: finess,
          name: i === 0 ? "CHU d'Essai" : "Clinique Voisine",
          structure_type: "es_public",
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  });
}, 120_000);
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("vigie assets import / list", () => {
  it("refuses a file with problems: each on stderr with line and column, nothing written", async () => {
    const file = join(dataDir, "refus.csv");
    await writeFile(
      file,
      `${header}\nplage;192.0.2.5/24;;;;;;;;;\ndomaine;chu-essai.example;;;;;;;;;\nservice;;;;;;203.0.113.4;;;;\n`,
    );
    const run = await vigie("assets", "import", file, "--structure", FINESS);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n")).toEqual([
      "ligne 2, colonne valeur : Une plage s'écrit avec l'adresse de son réseau : vouliez-vous dire 192.0.2.0/24 ?",
      "ligne 4, colonne service : Saisissez le service exposé (rdp, dicom, smb…).",
      "Erreur : Fichier refusé (2 lignes rejetées) : rien n'a été importé.",
    ]);
    expect(await withDb((db) => db.selectFrom("assets").select("id").execute())).toEqual([]);
  }, 120_000);

  it("imports, is idempotent, names the owner of a conflicting range, and lists", async () => {
    const file = join(dataDir, "actifs.csv");
    await writeFile(
      file,
      `\uFEFF${header}\r\nplage;192.0.2.0/24;;;;;;;;;Plage publique\r\nproduit;;Fortinet;FortiGate;7.2.4;;192.0.2.1;443;tcp;;VPN\r\n`,
    );
    const run = await vigie("assets", "import", file, "--structure", FINESS);
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe(
      "Import terminé : 2 lignes lues — 2 actifs ajoutés, 0 inchangé, 0 rejeté.",
    );
    const again = await vigie("assets", "import", file, "--structure", FINESS);
    expect(again.stdout.trim()).toBe(
      "Import terminé : 2 lignes lues — 0 actif ajouté, 2 inchangés, 0 rejeté.",
    );

    const other = join(dataDir, "voisine.csv");
    await writeFile(other, `type,valeur\nip,192.0.2.200\n`);
    const conflict = await vigie("assets", "import", other, "--structure", OTHER);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain(
      `ligne 2, colonne valeur : Cette adresse appartient à une autre structure`,
    );
    expect(conflict.stderr).toContain(`192.0.2.0/24 (CHU d'Essai, FINESS ${FINESS})`);

    const unknown = await vigie("assets", "import", other, "--structure", "999999999");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Structure introuvable");

    const listed = await vigie("assets", "list", "--structure", FINESS);
    expect(listed.code).toBe(0);
    expect(listed.stdout.trim().split("\n")).toEqual([
      `${FINESS}  Plage d'adresses (CIDR)  192.0.2.0/24  — Plage publique`,
      `${FINESS}  Produit exposé  Fortinet FortiGate 7.2.4  192.0.2.1:443/tcp  — VPN`,
    ]);
    const audit = await withDb((db) =>
      db
        .selectFrom("audit_log")
        .select(["action", "actor_label"])
        .where("action", "=", "assets.imported")
        .execute(),
    );
    expect(audit).toEqual([
      { action: "assets.imported", actor_label: "ligne de commande" },
      { action: "assets.imported", actor_label: "ligne de commande" },
    ]);
  }, 240_000);
});
