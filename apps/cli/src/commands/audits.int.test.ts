import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { withFinessCheckDigit } from "@vigie/core/directory/finess";
import { migrateToLatest, openDatabase } from "@vigie/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The real command against an embedded database on disk. Nothing here scans: the range is a
// documentation range and no audit is run.
const bin = resolve(import.meta.dirname, "../../bin/vigie.js");
let dataDir: string;
const FINESS = withFinessCheckDigit("38008888");
const CERT_EMAIL = "analyste.audits@cert.test";

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
  dataDir = await mkdtemp(join(tmpdir(), "vigie-audits-cli-"));
  const database = await openDatabase({ dataDir: join(dataDir, "pgdata") });
  try {
    await migrateToLatest(database.db);
    const now = new Date();
    await database.db
      .insertInto("structures")
      .values({
        finess_et: FINESS,
        name: "CH Ligne de Commande",
        structure_type: "es_public",
        created_at: now,
        updated_at: now,
      })
      .execute();
    await database.db
      .insertInto("users")
      .values({ email: CERT_EMAIL, full_name: "Analyste", role: "cert_analyst", email_verified_at: now })
      .execute();
  } finally {
    await database.close();
  }
}, 120_000);
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("vigie audits", () => {
  it("declares and authorises a perimeter, imports CT names, schedules", async () => {
    const refused = await vigie("audits", "perimeter", FINESS, "--network", "192.0.2.1/24");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("networks.0");

    const ok = await vigie(
      "audits",
      "perimeter",
      FINESS,
      "--domain",
      "ch-cli.fr",
      "--network",
      "192.0.2.0/28",
      "--authorise",
      "--until",
      new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10),
      "--reference",
      "Mandat CLI",
      "--by",
      CERT_EMAIL,
    );
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("validé et autorisé");
    expect(ok.stdout).toContain("Mandat CLI");

    const file = join(dataDir, "crt.txt");
    await writeFile(file, "www.ch-cli.fr\n*.intranet.ch-cli.fr\nautre.fr\n");
    const ct = await vigie("audits", "ct-import", FINESS, file);
    expect(ct.stdout).toContain("3 noms lus, 2 gardés, 1 ignorés");

    const scheduled = await vigie("audits", "schedule");
    expect(scheduled.stdout).toMatch(/^1 audits planifiés/);

    const report = await vigie(
      "audits",
      "report",
      "00000000-0000-4000-8000-000000000000",
      "--output",
      join(dataDir, "r.html"),
    );
    expect(report.code).toBe(1);
    expect(report.stderr).toContain("Audit introuvable");
  }, 180_000);
});
