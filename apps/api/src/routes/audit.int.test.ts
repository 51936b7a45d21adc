import { CSRF_HEADER, SESSION_COOKIE } from "@vigie/api";
import { recordAudit, startSession } from "@vigie/core";
import { createTestApp, createUser, type TestApp, type TestUser } from "@vigie/test-kit";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let t: TestApp;
let admin: TestUser;
let headers: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t.database.db, "admin");
  const started = await startSession(
    t.database.db,
    admin,
    { ttlHours: 12, mfaAlreadySatisfied: true },
    t.clock.now,
  );
  headers = { cookie: `${SESSION_COOKIE}=${started.cookieValue}`, [CSRF_HEADER]: started.csrfToken };
  const db = t.database.db;
  for (let i = 0; i < 5; i++) {
    await recordAudit(db, {
      actor: { userId: admin.id, email: admin.email },
      action: "structure.updated",
      objectType: "structure",
      objectId: `s-${i % 2}`,
      details: { i },
    });
  }
  await recordAudit(db, { actorLabel: "inconnu@exemple.fr", action: "auth.login", outcome: "failure" });
});
afterAll(async () => {
  await t?.close();
});

async function get(url: string) {
  return t.app.inject({ method: "GET", url, headers });
}

describe("GET /api/audit", () => {
  it("pages through the log newest first with a cursor", async () => {
    const first = await get("/api/audit?limit=4");
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.entries).toHaveLength(4);
    expect(page1.entries[0]).toMatchObject({
      actorLabel: "inconnu@exemple.fr",
      actorUserId: null,
      action: "auth.login",
      outcome: "failure",
    });
    const ids = page1.entries.map((e: { id: string }) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(page1.nextCursor).toBe(String(ids.at(-1)));

    const page2 = (await get(`/api/audit?limit=4&cursor=${page1.nextCursor}`)).json();
    expect(page2.entries.map((e: { id: string }) => Number(e.id))).toEqual([ids[3] - 1, ids[3] - 2]);
    expect(page2.nextCursor).toBeNull();
  });

  it("filters by actor (id or label), action and object", async () => {
    const byId = (await get(`/api/audit?actor=${admin.id}`)).json();
    expect(byId.entries).toHaveLength(5);
    const byLabel = (await get("/api/audit?actor=inconnu@exemple.fr")).json();
    expect(byLabel.entries.map((e: { action: string }) => e.action)).toEqual(["auth.login"]);
    const byObject = (
      await get("/api/audit?objectType=structure&objectId=s-1&action=structure.updated")
    ).json();
    expect(byObject.entries.map((e: { details: { i: number } }) => e.details.i)).toEqual([3, 1]);
  });

  it("names the field of a bad filter in French", async () => {
    const badCursor = await get("/api/audit?cursor=abc");
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error.fields[0]).toMatchObject({
      field: "cursor",
      message: expect.stringContaining("Curseur"),
    });
    const badLimit = await get("/api/audit?limit=1000");
    expect(badLimit.json().error.fields[0]).toEqual({
      field: "limit",
      message: "Au plus 200 entrées par page.",
    });
  });
});

describe("GET /api/audit/verify", () => {
  it("reports an intact chain, then the entry altered in the database", async () => {
    const intact = (await get("/api/audit/verify")).json();
    expect(intact.ok).toBe(true);
    expect(intact.problems).toEqual([]);
    expect(intact.checked).toBeGreaterThanOrEqual(6);

    const target = (await get("/api/audit?action=structure.updated&limit=1")).json().entries[0].id;
    await sql`update audit_log set actor_label = 'quelquun@exemple.fr' where id = ${target}`.execute(
      t.database.db,
    );
    const tampered = (await get("/api/audit/verify")).json();
    expect(tampered.ok).toBe(false);
    expect(tampered.problems).toEqual([{ id: target, kind: "altered", message: expect.any(String) }]);
  });
});
