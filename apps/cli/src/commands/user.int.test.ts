import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { verifyPassword } from "@vigie/core";
import { type DatabaseHandle, openDatabase } from "@vigie/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Each run starts a process and opens PGlite (a few seconds): generous per-test timeouts.
const CLI_TEST_TIMEOUT = 120_000;

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

/** Opens the CLI's database once the command has exited (PGlite allows one process at a time). */
async function withCliDatabase<T>(body: (database: DatabaseHandle) => Promise<T>): Promise<T> {
  const database = await openDatabase({ dataDir: join(dataDir, "pgdata") });
  try {
    return await body(database);
  } finally {
    await database.close();
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "vigie-user-cli-"));
});
afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe("vigie user", () => {
  it(
    "creates an ARS account with a generated password, audited as the command line",
    async () => {
      const run = await vigie(
        "user",
        "create",
        "--email",
        "Claude.Robert@ARS.test",
        "--nom",
        "Claude Robert",
        "--role",
        "ars",
        "--region",
        "84",
      );
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("Compte créé : claude.robert@ars.test — Agence régionale de santé");
      const password = /Mot de passe généré \(affiché une seule fois\) : (\S+)/.exec(run.stdout)?.[1];
      expect(password).toHaveLength(24);

      await withCliDatabase(async ({ db }) => {
        const user = await db
          .selectFrom("users")
          .selectAll()
          .where("email", "=", "claude.robert@ars.test")
          .executeTakeFirstOrThrow();
        expect(user).toMatchObject({ role: "ars", region_code: "84" });
        expect(user.email_verified_at).not.toBeNull();
        expect(await verifyPassword(user.password_hash as string, password as string)).toBe(true);
        const audit = await db
          .selectFrom("audit_log")
          .select(["actor_label", "action"])
          .where("object_id", "=", user.id)
          .execute();
        expect(audit).toEqual([{ actor_label: "ligne de commande", action: "user.created" }]);
      });
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    "fails with exit code 1 and a French message naming the option",
    async () => {
      const unknownRegion = await vigie(
        "user",
        "create",
        "--email",
        "x@ars.test",
        "--nom",
        "Claude Robert",
        "--role",
        "ars",
        "--region",
        "99",
      );
      expect(unknownRegion.code).toBe(1);
      expect(unknownRegion.stderr).toContain("--region : Région inconnue : 99.");

      const weak = await vigie(
        "user",
        "create",
        "--email",
        "y@cert.test",
        "--nom",
        "Alex Bernard",
        "--role",
        "cert_analyst",
        "--mot-de-passe",
        "Riviere-Lune-47",
      );
      expect(weak.code).toBe(1);
      expect(weak.stderr).toContain("--mot-de-passe : Le mot de passe doit contenir au moins 16 caractères.");

      const missing = await vigie("user", "create", "--nom", "Personne");
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain("Options obligatoires manquantes : --email, --role.");
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    "lists, disables, enables accounts and resets their MFA",
    async () => {
      const created = await vigie(
        "user",
        "create",
        "--email",
        "admin@vigie.test",
        "--nom",
        "Sacha Leroy",
        "--role",
        "admin",
        "--mot-de-passe",
        "Clef-Platine-Console-2026",
      );
      expect(created.code).toBe(0);

      const list = await vigie("user", "list", "--role", "admin");
      expect(list.code).toBe(0);
      const lines = list.stdout.trim().split("\n");
      expect(lines[0]).toMatch(/^Adresse\s+Nom\s+Rôle/);
      expect(lines[2]).toMatch(/^admin@vigie\.test\s+Sacha Leroy\s+Administrateur\s+non\s+actif\s+jamais$/);
      expect(lines.at(-1)).toBe("1 compte.");

      expect((await vigie("user", "disable", "admin@vigie.test")).stdout).toContain("Compte désactivé");
      await withCliDatabase(async ({ db }) => {
        const row = await db
          .selectFrom("users")
          .select("disabled_at")
          .where("email", "=", "admin@vigie.test")
          .executeTakeFirstOrThrow();
        expect(row.disabled_at).not.toBeNull();
      });
      expect((await vigie("user", "enable", "admin@vigie.test")).stdout).toContain("Compte réactivé");
      expect((await vigie("user", "reset-mfa", "admin@vigie.test")).code).toBe(0);
      await withCliDatabase(async ({ db }) => {
        const row = await db
          .selectFrom("users")
          .select(["disabled_at", "totp_enabled_at"])
          .where("email", "=", "admin@vigie.test")
          .executeTakeFirstOrThrow();
        expect(row).toEqual({ disabled_at: null, totp_enabled_at: null });
        const actions = await db
          .selectFrom("audit_log")
          .select("action")
          .where("actor_label", "=", "ligne de commande")
          .orderBy("id")
          .execute();
        expect(actions.map((a) => a.action)).toEqual([
          "user.created",
          "user.created",
          "user.disabled",
          "user.enabled",
          "user.mfa_reset",
        ]);
      });

      const unknown = await vigie("user", "disable", "personne@vigie.test");
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain("Aucun compte avec l'adresse personne@vigie.test.");
      const badRole = await vigie("user", "list", "--role", "chef");
      expect(badRole.code).toBe(1);
      expect(badRole.stderr).toContain("Option --role invalide");
    },
    CLI_TEST_TIMEOUT,
  );
});
