import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { openDatabase } from "@vigie/db";
import { createStructure } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The real command, as an operator runs it, against an embedded database persisted on disk.
const bin = resolve(import.meta.dirname, "../../bin/vigie.js");
let dataDir: string;
const PLAINTEXT = "Hippocampe-Trombone-8823";
const BCRYPT = "$2y$10$Qm9yZ2V0LW1lLW5vdC1wbGVhc2UuLi4uLi4uLi4uLi4uLi4uLi4uLi";

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
  dataDir = await mkdtemp(join(tmpdir(), "vigie-leaks-cli-"));
});
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("vigie leaks import / vigie leaks list", () => {
  it("lists nothing on a new data folder", async () => {
    const run = await vigie("leaks", "list");
    expect(run).toMatchObject({ code: 0, stdout: "Aucun import d'identifiants divulgués.\n" });
  }, 180_000);

  it("imports a list, prints the French report without any password, and lists the import", async () => {
    const database = await openDatabase({ dataDir: join(dataDir, "pgdata") });
    try {
      await createStructure(database.db, { mailDomains: ["ch-cli.fr"] });
    } finally {
      await database.close();
    }
    const file = join(dataDir, "liste.txt");
    await writeFile(
      file,
      [`medecin@ch-cli.fr:${PLAINTEXT}`, `autre@ailleurs.example:${BCRYPT}`, `${PLAINTEXT}`].join("\n"),
    );
    const run = await vigie("leaks", "import", file, "--source", "Combolist Telegram 2026-11");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "Import « Combolist Telegram 2026-11 » terminé : 3 lignes lues, 2 adresses distinctes.",
    );
    expect(run.stdout).toContain("rattachées à une structure : 1 (1 structure)");
    expect(run.stdout).toContain("sans structure (comptées, non conservées) : 1");
    expect(run.stdout).toContain("tickets ouverts : 1, rouverts : 0, déjà connus : 0");
    expect(run.stdout).toContain("ligne 3 : Aucune adresse de messagerie en début de ligne.");
    for (const secret of [PLAINTEXT, BCRYPT]) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }

    const again = await vigie("leaks", "import", file, "--source", "Combolist Telegram 2026-11");
    expect(again.stdout).toContain("tickets ouverts : 0, rouverts : 0, déjà connus : 1");

    const list = await vigie("leaks", "list");
    expect(list.code).toBe(0);
    expect(list.stdout.trim().split("\n")).toHaveLength(2);
    expect(list.stdout).toContain(
      "« Combolist Telegram 2026-11 »  3 lignes, 2 adresses, 1 rattachées, 1 refusée — ligne de commande",
    );
  }, 300_000);

  it("fails in French on a missing file or a missing source", async () => {
    const missing = await vigie("leaks", "import", join(dataDir, "absent.txt"), "--source", "x");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("fichier introuvable");
    const noSource = await vigie("leaks", "import", join(dataDir, "liste.txt"));
    expect(noSource.code).not.toBe(0);
    expect(noSource.stderr).toContain("--source");
  }, 180_000);
});
