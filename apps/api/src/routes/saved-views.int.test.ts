import { startSession } from "@vigie/core";
import { createStructure, createTestApp, createUser, type TestApp, type TestUser } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSRF_HEADER, SESSION_COOKIE } from "../plugins/auth.ts";

// The CERT's saved views of the queue: each person's own, by name, checked like the queue's query.
let t: TestApp;
let analyst: TestUser;
let colleague: TestUser;
let lead: TestUser;
let declarant: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = new Date("2026-03-10T09:00:00Z");
  const db = t.database.db;
  const structure = await createStructure(db, { regionCode: "11" });
  analyst = await createUser(db, "cert_analyst");
  colleague = await createUser(db, "cert_analyst");
  lead = await createUser(db, "cert_lead");
  declarant = await createUser(db, "declarant", { structureIds: [structure.id] });
});
afterAll(async () => {
  await t?.close();
});

const sessions = new Map<string, Record<string, string>>();

/** A signed-in session of the user (MFA satisfied), opened once per user. */
async function sessionOf(user: TestUser): Promise<Record<string, string>> {
  const known = sessions.get(user.id);
  if (known) return known;
  const started = await startSession(
    t.database.db,
    user,
    { ttlHours: 12, mfaAlreadySatisfied: true },
    t.clock.now,
  );
  const headers = { cookie: `${SESSION_COOKIE}=${started.cookieValue}`, [CSRF_HEADER]: started.csrfToken };
  sessions.set(user.id, headers);
  return headers;
}

async function call(
  user: TestUser,
  method: "GET" | "POST" | "DELETE",
  url: string,
  payload?: Record<string, string>,
) {
  return t.app.inject({
    method,
    url,
    headers: await sessionOf(user),
    ...(payload === undefined ? {} : { payload }),
  });
}

const save = (user: TestUser, name: string, query: string) =>
  call(user, "POST", "/api/cases/views", { name, query });

async function namesOf(user: TestUser): Promise<string[]> {
  const response = await call(user, "GET", "/api/cases/views");
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items.map((v: { name: string }) => v.name);
}

describe("saved views of the queue", () => {
  it("creates, lists by name and deletes the reader's own views", async () => {
    const first = await save(
      analyst,
      "  Urgences Île-de-France ",
      "?status=new&status=triage&region=11&page=3",
    );
    expect(first.statusCode, first.body).toBe(201);
    const view = first.json();
    expect(view).toMatchObject({
      name: "Urgences Île-de-France",
      // The page is not part of a view; parameters keep their order.
      query: "status=new&status=triage&region=11",
      createdAt: "2026-03-10T09:00:00.000Z",
    });
    expect(view.id).toMatch(/^[0-9a-f-]{36}$/);

    expect((await save(analyst, "à traiter", "assignee=me&overdue=true&sort=declared_asc")).statusCode).toBe(
      201,
    );
    expect((await save(analyst, "Bilan", "")).statusCode).toBe(201);
    expect(await namesOf(analyst)).toEqual(["à traiter", "Bilan", "Urgences Île-de-France"]);
    // Another analyst has none of them.
    expect(await namesOf(colleague)).toEqual([]);

    const listed = (await call(analyst, "GET", "/api/cases/views")).json().items;
    expect(listed.find((v: { id: string }) => v.id === view.id)).toEqual(view);

    const deleted = await call(analyst, "DELETE", `/api/cases/views/${view.id}`);
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(await namesOf(analyst)).toEqual(["à traiter", "Bilan"]);
    const again = await call(analyst, "DELETE", `/api/cases/views/${view.id}`);
    expect(again.statusCode).toBe(404);
    expect(again.json().error.code).toBe("NOT_FOUND");
  });

  it("refuses a name the same person already uses, naming the field", async () => {
    expect((await save(lead, "Rançongiciels", "type=ransomware")).statusCode).toBe(201);
    const duplicate = await save(lead, "Rançongiciels", "type=ransomware&region=84");
    expect(duplicate.statusCode).toBe(400);
    const error = duplicate.json().error;
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.fields).toEqual([
      { field: "name", message: "Vous avez déjà une vue nommée « Rançongiciels »." },
    ]);
    // The same name is free for somebody else.
    expect((await save(colleague, "Rançongiciels", "type=ransomware")).statusCode).toBe(201);
    expect(await namesOf(lead)).toEqual(["Rançongiciels"]);
  });

  it("refuses a query the queue would refuse, naming the field", async () => {
    for (const query of [
      "status=archived",
      "region=Bretagne",
      "declaredFrom=2026-03-10&declaredTo=2026-03-01",
      "overdue=oui",
      "color=blue",
      "q=a&q=b",
    ]) {
      const response = await save(lead, `Vue ${query}`, query);
      expect(response.statusCode, query).toBe(400);
      const error = response.json().error;
      expect(error.code).toBe("VALIDATION_FAILED");
      expect(error.fields.map((f: { field: string }) => f.field)).toEqual(["query"]);
      expect(error.fields[0].message).toMatch(/vue/);
    }
    const unknown = await save(lead, "Inconnu", "color=blue");
    expect(unknown.json().error.fields[0].message).toBe("Filtre inconnu dans la vue : « color ».");
    // The name is checked too, by the contract.
    const unnamed = await save(lead, "   ", "status=new");
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json().error.fields.map((f: { field: string }) => f.field)).toContain("name");
    expect(await namesOf(lead)).toEqual(["Rançongiciels"]);
  });

  it("keeps at most 50 views per person", async () => {
    const user = await createUser(t.database.db, "cert_analyst");
    for (let i = 1; i <= 50; i++) {
      const response = await save(user, `Vue ${i}`, `status=new&page=${i}`);
      expect(response.statusCode, response.body).toBe(201);
    }
    const extra = await save(user, "Vue 51", "status=new");
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.fields[0].field).toBe("name");
    const names = await namesOf(user);
    expect(names).toHaveLength(50);
    // Numbers sorted as numbers.
    expect(names.slice(0, 3)).toEqual(["Vue 1", "Vue 2", "Vue 3"]);
  });

  it("lets nobody delete somebody else's view", async () => {
    const mine = (await save(analyst, "Mes cas", "assignee=me")).json();
    const byColleague = await call(colleague, "DELETE", `/api/cases/views/${mine.id}`);
    expect(byColleague.statusCode).toBe(404);
    expect(byColleague.json().error.code).toBe("NOT_FOUND");
    const byLead = await call(lead, "DELETE", `/api/cases/views/${mine.id}`);
    expect(byLead.statusCode).toBe(404);
    expect(await namesOf(analyst)).toContain("Mes cas");
    const invalid = await call(analyst, "DELETE", "/api/cases/views/pas-un-uuid");
    expect(invalid.statusCode).toBe(400);
  });

  it("is for the CERT only", async () => {
    const listed = await call(declarant, "GET", "/api/cases/views");
    expect(listed.statusCode).toBe(403);
    expect(listed.json().error.code).toBe("FORBIDDEN");
    const saved = await save(declarant, "Mes incidents", "status=new");
    expect(saved.statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: "GET", url: "/api/cases/views" });
    expect(anonymous.statusCode).toBe(401);
    const rows = await t.database.db
      .selectFrom("saved_views")
      .select("name")
      .where("user_id", "=", declarant.id)
      .execute();
    expect(rows).toEqual([]);
  });
});
