import { loadConfig } from "@vigie/config";
import {
  createStructure,
  createTestDatabase,
  createUser,
  type SessionHeaders,
  signIn,
  type TestApp,
} from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../app.ts";
import { createLogger } from "../logger.ts";

// The app is built with the process's real logger (at its most verbose), writing to memory:
// what is logged while a list is imported is checked for its passwords.
const logs: string[] = [];
let t: TestApp;
const as = {} as Record<"declarant" | "analyst" | "lead" | "ars", SessionHeaders>;

const PLAINTEXT = "Ornithorynque-Cafetiere-4471";
const BCRYPT = "$2y$10$7EqJtq98hPqEX7fNZaFWoOhi5BWX4Z1pLdSCl1.7N3pAQYbT9bMG6";
const SHA1 = "7c4a8d09ca3762af61e59520943dc26494f8941b";

function multipart(fields: Record<string, string>, file?: { name: string; data: string }) {
  const boundary = `----vigie${Math.random().toString(16).slice(2)}`;
  let body = "";
  for (const [name, value] of Object.entries(fields)) {
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  }
  if (file) {
    body +=
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
      `Content-Type: text/plain\r\n\r\n${file.data}\r\n`;
  }
  body += `--${boundary}--\r\n`;
  return {
    payload: Buffer.from(body),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

beforeAll(async () => {
  const database = await createTestDatabase();
  const clock = {
    now: new Date("2026-11-16T09:00:00Z"),
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "trace",
    VIGIE_NO_DEMO: "true",
    RATE_LIMIT_SCALE: "100",
  });
  const logger = createLogger(config, "vigie-test", { write: (line: string) => void logs.push(line) });
  const app = await buildApp({ config, database, clock: () => clock.now, logger });
  await app.ready();
  t = {
    app,
    database,
    clock,
    close: async () => {
      await app.close();
      await database.destroy();
    },
  };
  const db = database.db;
  const structure = await createStructure(db, { mailDomains: ["ch-essai.fr"] });
  as.declarant = await signIn(t, await createUser(db, "declarant", { structureIds: [structure.id] }));
  as.analyst = await signIn(t, await createUser(db, "cert_analyst"));
  as.lead = await signIn(t, await createUser(db, "cert_lead"));
  as.ars = await signIn(t, await createUser(db, "ars"));
});
afterAll(async () => {
  await t?.close();
});

const LIST = [
  "email;password",
  `dr.house@ch-essai.fr;${PLAINTEXT}`,
  `accueil@urgences.ch-essai.fr;${BCRYPT}`,
  `quelquun@ailleurs.example;${SHA1}`,
  `;${PLAINTEXT}`,
].join("\n");

describe("POST /api/watch/leaks", () => {
  it("imports a multipart upload for the CERT and answers counts, line numbers, never a password", async () => {
    const form = multipart({ source: "Combolist Telegram 2026-11" }, { name: "liste.csv", data: LIST });
    const response = await t.app.inject({
      method: "POST",
      url: "/api/watch/leaks",
      headers: { ...as.analyst, ...form.headers },
      payload: form.payload,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      source: "Combolist Telegram 2026-11",
      format: "csv",
      lines: 4,
      addresses: 3,
      matched: 2,
      unmatched: 1,
      rejected: 1,
      structures: 1,
      tickets: { opened: 2, reopened: 0, alreadyKnown: 0 },
      problems: [{ line: 5, column: "email", message: "Colonne de l'adresse vide." }],
    });
    for (const secret of [PLAINTEXT, BCRYPT, SHA1]) expect(response.body).not.toContain(secret);
  });

  it("imports the raw file with the source in the query; a re-import opens nothing new", async () => {
    t.clock.advance(60_000);
    const response = await t.app.inject({
      method: "POST",
      url: `/api/watch/leaks?source=${encodeURIComponent("Rediffusion")}`,
      headers: { ...as.lead, "content-type": "text/csv" },
      payload: LIST,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ matched: 2, tickets: { opened: 0, alreadyKnown: 2 } });
    t.clock.advance(60_000);
    const json = await t.app.inject({
      method: "POST",
      url: "/api/watch/leaks?source=JSON",
      headers: { ...as.lead, "content-type": "application/json" },
      payload: JSON.stringify([{ email: "dr.house@ch-essai.fr", hash: SHA1 }, "x@ch-essai.fr"]),
    });
    expect(json.statusCode).toBe(201);
    expect(json.json()).toMatchObject({
      format: "json",
      addresses: 2,
      tickets: { opened: 1, alreadyKnown: 1 },
    });
  });

  it("names the field of a missing source or file, and refuses a list without any address", async () => {
    const noSource = multipart({}, { name: "l.txt", data: "a@ch-essai.fr" });
    const r1 = await t.app.inject({
      method: "POST",
      url: "/api/watch/leaks",
      headers: { ...as.analyst, ...noSource.headers },
      payload: noSource.payload,
    });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.fields).toEqual([{ field: "source", message: expect.stringMatching(/source/) }]);

    const noFile = multipart({ source: "x" });
    const r2 = await t.app.inject({
      method: "POST",
      url: "/api/watch/leaks",
      headers: { ...as.analyst, ...noFile.headers },
      payload: noFile.payload,
    });
    expect(r2.statusCode).toBe(400);
    expect(r2.json().error.fields[0].field).toBe("file");

    const empty = await t.app.inject({
      method: "POST",
      url: "/api/watch/leaks?source=x",
      headers: { ...as.analyst, "content-type": "text/plain" },
      payload: `${PLAINTEXT}\n${BCRYPT}\n`,
    });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error.code).toBe("LEAK_LIST_EMPTY");
    expect(empty.json().error.fields).toEqual([
      { field: "ligne 1", message: "Aucune adresse de messagerie en début de ligne." },
      { field: "ligne 2", message: "Aucune adresse de messagerie en début de ligne." },
    ]);
    expect(empty.body).not.toContain(PLAINTEXT);
  });

  it("is forbidden to a declarant and an ARS, before the body is read", async () => {
    for (const headers of [as.declarant, as.ars]) {
      const response = await t.app.inject({
        method: "POST",
        url: "/api/watch/leaks?source=x",
        headers: { ...headers, "content-type": "text/plain" },
        payload: `dr.house@ch-essai.fr:${PLAINTEXT}`,
      });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe("FORBIDDEN");
      const list = await t.app.inject({ method: "GET", url: "/api/watch/leaks", headers });
      expect(list.statusCode).toBe(403);
    }
    const anonymous = await t.app.inject({ method: "GET", url: "/api/watch/leaks" });
    expect(anonymous.statusCode).toBe(401);
  });

  it("never logs a password or hash, even at the most verbose level", () => {
    const text = logs.join("");
    expect(text).toContain("/api/watch/leaks");
    for (const secret of [PLAINTEXT, BCRYPT, SHA1]) expect(text).not.toContain(secret);
  });
});

describe("GET /api/watch/leaks", () => {
  it("lists the imports, most recent first, with counts and who imported", async () => {
    const response = await t.app.inject({
      method: "GET",
      url: "/api/watch/leaks?limit=2",
      headers: as.analyst,
    });
    expect(response.statusCode).toBe(200);
    const items = response.json().items as { source: string; importedBy: string | null; matched: number }[];
    expect(items).toHaveLength(2);
    expect(items.map((i) => i.source)).toEqual(["JSON", "Rediffusion"]);
    expect(items[0]?.importedBy).toMatch(/Utilisateur cert_lead/);
    expect(JSON.stringify(items)).not.toContain("@");
  });
});
