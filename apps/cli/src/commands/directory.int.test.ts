import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { withFinessCheckDigit } from "@vigie/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The real command, as an operator runs it, against an embedded database persisted on disk.
const bin = resolve(import.meta.dirname, "../../bin/vigie.js");
let dataDir: string;
let goodFile: string;
let badFile: string;
const badFiness = Array.from({ length: 25 }, (_, i) => {
  const valid = withFinessCheckDigit(`750${String(i).padStart(5, "0")}`);
  return `${valid.slice(0, 8)}${(Number(valid[8]) + 1) % 10}`;
});

function vigie(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, VIGIE_DATA_DIR: dataDir, LOG_LEVEL: "silent" };
  delete env.DATABASE_URL;
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

const HEADER =
  "nofinesset,nofinessej,rs_courte,rs_longue,telephone,departement_code,departement_nom,ville_cp," +
  "categorie_libelle,categorie_groupe_libelle,statut_juridique_lib,siret";

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "vigie-directory-cli-"));
  goodFile = join(dataDir, "annuaire.csv");
  badFile = join(dataDir, "invalide.csv");
  await writeFile(
    goodFile,
    [
      HEADER,
      `${withFinessCheckDigit("69888001")},,CENTRE HOSPITALIER DE TÉLÉCOMMANDE,,,69,RHONE,69003 LYON,Centre Hospitalier (C.H.),Centres Hospitaliers,Etablissement public de santé,`,
      `${withFinessCheckDigit("2B888002")},,CLINIQUE DE BASTIA TEST,,,2B,HAUTE CORSE,20200 BASTIA,,,,`,
      `${badFiness[0]},,CLE FAUSSE,,,69,RHONE,69003 LYON,,,,`,
    ].join("\n"),
    "latin1",
  );
  await writeFile(
    badFile,
    [HEADER, ...badFiness.map((f) => `${f},,CLE FAUSSE,,,69,RHONE,69003 LYON,,,,`)].join("\n"),
  );
});
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("vigie directory", () => {
  it("imports a file, prints the summary and the rejected lines", async () => {
    const run = await vigie("directory", "import", goodFile);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Lignes lues : 3");
    expect(run.stdout).toContain("ajoutées : 2");
    expect(run.stdout).toContain(`ligne 4 (FINESS ${badFiness[0]}) : FINESS ET`);

    const again = await vigie("directory", "import", goodFile, "--format", "csv");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("inchangées : 2");
  }, 90_000);

  it("finds an imported structure regardless of accents", async () => {
    const run = await vigie("directory", "search", "telecommande");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `${withFinessCheckDigit("69888001")}  CENTRE HOSPITALIER DE TÉLÉCOMMANDE — LYON (69)`,
    );
    expect(run.stdout).toContain("1 résultat.");
  });

  it("fails with a French message when nothing is valid, listing 20 rejected lines and counting the rest", async () => {
    const run = await vigie("directory", "import", badFile);
    expect(run.code).toBe(1);
    expect(run.stdout.match(/^ {2}ligne \d+/gm)).toHaveLength(20);
    expect(run.stdout).toContain("… et 5 autres lignes rejetées.");
    expect(run.stderr).toContain("Aucune ligne valide dans le fichier");
  });

  it("fails with a French message when the file cannot be read or the format is unknown", async () => {
    const missing = await vigie("directory", "import", join(dataDir, "absent.csv"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("fichier introuvable");
    const format = await vigie("directory", "import", goodFile, "--format", "xls");
    expect(format.code).toBe(1);
    expect(format.stderr).toContain("Format « xls » inconnu");
  });
});
