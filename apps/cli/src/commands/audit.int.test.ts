import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { recordAudit } from "@vigie/core";
import { type DatabaseHandle, migrateToLatest, openDatabase } from "@vigie/db";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The real command, as an operator runs it, against an embedded database persisted on disk.
const bin = resolve(import.meta.dirname, "../../bin/vigie.js");
let dataDir: string;

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

async function withCliDatabase(body: (database: DatabaseHandle) => Promise<void>): Promise<void> {
  const database = await openDatabase({ dataDir: join(dataDir, "pgdata") });
  try {
    await migrateToLatest(database.db);
    await body(database);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "vigie-audit-cli-"));
  await withCliDatabase(async ({ db }) => {
    for (let i = 0; i < 5; i++) {
      await recordAudit(db, { actorLabel: "admin@test.vigie.localhost", action: "test.cli", details: { i } });
    }
  });
});
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("vigie audit", () => {
  it("lists the latest entries, newest first", async () => {
    const run = await vigie("audit", "list", "--limit", "2");
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^#5 .*admin@test\.vigie\.localhost {2}test\.cli$/);
    expect(lines[1]).toMatch(/^#4 /);
  });

  it("rejects a bad --limit with a French message naming the option", async () => {
    const run = await vigie("audit", "list", "--limit", "zéro");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Option --limit invalide");
  });

  it("verifies an intact log (exit 0), then reports tampering in French (exit 1)", async () => {
    const intact = await vigie("audit", "verify");
    expect(intact.stderr).toBe("");
    expect(intact.code).toBe(0);
    expect(intact.stdout.trim()).toBe("Journal d'audit intègre : 5 entrées vérifiées.");

    await withCliDatabase(async ({ db }) => {
      await sql`update audit_log set details = '{"i": 42}'::jsonb where id = 2`.execute(db);
      await sql`delete from audit_log where id = 4`.execute(db);
    });
    const tampered = await vigie("audit", "verify");
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain("Journal d'audit ALTÉRÉ : 2 problèmes détectés (4 entrées vérifiées).");
    expect(tampered.stderr).toContain("Entrée 2 : contenu modifié après écriture.");
    expect(tampered.stderr).toContain("Entrée 5 : le lien avec l'entrée précédente est rompu");
  });
});
