import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase, type TestDatabase } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = fileURLToPath(new URL("../bin/vigie.js", import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startVigie(env: Record<string, string>): Started {
  const child = spawn(process.execPath, [BIN, "start"], {
    env: { ...process.env, LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let database: TestDatabase;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "vigie-start-"));
  database = await createTestDatabase({ migrate: false });
  const port = await freePort();
  env = {
    PORT: String(port),
    HOST: "127.0.0.1",
    // PostgreSQL needs an explicit attachments key; PGlite generates one in the data folder.
    ...(database.url
      ? { DATABASE_URL: database.url, VIGIE_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64") }
      : { VIGIE_DATA_DIR: dataDir }),
  };
  if (!database.url) await database.close();
});
afterAll(async () => {
  if (database.url) await database.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

// Whole processes start here (migrations, 4 657 structures, argon2 hashes): slow on a busy machine.
describe(`vigie start (${process.env.VIGIE_TEST_DATABASE ?? "pglite"})`, { timeout: 180_000 }, () => {
  it("first run migrates, seeds the directory and demo accounts, serves, and stops gracefully", async () => {
    const run = startVigie(env);
    // The demo logins are printed just after the start-up line.
    await waitFor(() => run.output().includes("Vigie est démarrée"), "start-up");
    await waitFor(() => run.output().includes("declarant@chu-demo.test"), "demo logins", 10_000);
    const base = `http://127.0.0.1:${env.PORT}`;
    expect(run.output()).toContain("4657 structures chargées");
    expect(run.output()).toContain("declarant@chu-demo.test");

    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    const login = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "declarant@chu-demo.test", password: "Tournesol-Grenoble-48" }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
    const session = await fetch(`${base}/api/auth/session`, { headers: { cookie } });
    const view = (await session.json()) as { user: { structures: { finessEt: string; status: string }[] } };
    expect(view.user.structures).toEqual([
      expect.objectContaining({ finessEt: "380000067", status: "active" }),
    ]);
    expect(run.output()).toContain("3 déclarations d'exemple enregistrées");
    const declarations = await fetch(`${base}/api/declarations`, { headers: { cookie } });
    const list = (await declarations.json()) as {
      items: { reference: string; awaitingAnswer: boolean; status: string }[];
    };
    // The demo history of 2021–2023 (imported, closed) includes this structure's past declarations;
    // the three sample declarations are the open ones.
    expect(run.output()).toContain("1906 déclarations de démonstration 2021–2023");
    const samples = list.items.filter((d) => d.status !== "closed");
    expect(samples).toHaveLength(3);
    // One taken and questioned, one qualified and resolved (and grouped in an event), one new.
    expect(samples.map((d) => d.status).sort()).toEqual(["new", "resolved", "waiting_declarant"]);
    expect(list.items.every((d) => /^CS-\d{4}-\d{6}$/.test(d.reference))).toBe(true);

    // The demo watch: the reference feeds matched the demo assets; the declarant's CHU has tickets.
    expect(run.output()).toMatch(
      /Catalogue CISA KEV et fiches NVD de référence chargés ; \d+ tickets de veille ouverts/,
    );
    const tickets = await fetch(`${base}/api/watch/tickets?cve=CVE-2023-4966`, { headers: { cookie } });
    const ticketList = (await tickets.json()) as { items: { cveId: string | null }[] };
    expect(ticketList.items.map((t) => t.cveId)).toContain("CVE-2023-4966");
    expect(samples.filter((d) => d.awaitingAnswer)).toHaveLength(1);

    // The demo audits (recorded, nothing scanned): the CHU's two, and its renewal under review.
    const audits = await fetch(`${base}/api/audits`, { headers: { cookie } });
    const auditList = (await audits.json()) as { items: { status: string }[] };
    expect(auditList.items.map((a) => a.status)).toEqual(["succeeded", "succeeded"]);
    const perimeter = await fetch(`${base}/api/audits/perimeters/380000067`, { headers: { cookie } });
    expect(((await perimeter.json()) as { status: string }).status).toBe("submitted");

    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain("arrêt en cours");
  });

  it("a second run keeps the data and does not seed again", async () => {
    const run = startVigie(env);
    await waitFor(() => run.output().includes("Vigie est démarrée"), "start-up");
    expect(run.output()).not.toContain("Premier lancement");
    expect(run.output()).not.toContain("créés à l'instant");
    const ready = await fetch(`http://127.0.0.1:${env.PORT}/ready`);
    expect(ready.status).toBe(200);
    run.child.kill("SIGINT");
    expect(await run.exited).toBe(0);
  });

  it("refuses PostgreSQL without an attachments encryption key, before touching the database", async () => {
    const run = startVigie({
      ...env,
      DATABASE_URL: "postgres://127.0.0.1:1/aucune",
      VIGIE_ENCRYPTION_KEY: "",
    });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain("VIGIE_ENCRYPTION_KEY est obligatoire avec PostgreSQL");
  });

  it("refuses an invalid configuration with a French message and a failing exit code", async () => {
    const run = startVigie({ ...env, PORT: "quatre-vingt" });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain("Configuration invalide");
    expect(run.output()).toContain("PORT");
  });
});
