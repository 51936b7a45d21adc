import { CSRF_HEADER, SESSION_COOKIE } from "@vigie/api";
import { queueMail, startSession } from "@vigie/core";
import { createTestApp, createUser, type TestApp, type TestUser } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let t: TestApp;
let admin: TestUser;

async function sessionOf(user: TestUser): Promise<Record<string, string>> {
  const started = await startSession(
    t.database.db,
    user,
    { ttlHours: 12, mfaAlreadySatisfied: true },
    t.clock.now,
  );
  return { cookie: `${SESSION_COOKIE}=${started.cookieValue}`, [CSRF_HEADER]: started.csrfToken };
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t.database.db, "admin");
  const base = t.clock.now.getTime();
  for (let i = 0; i < 5; i++) {
    await queueMail(
      t.database.db,
      {
        to: i % 2 === 0 ? "pair@chu-essai.fr" : "impair@chu-essai.fr",
        subject: `Message ${i}`,
        text: `Corps ${i}`,
      },
      new Date(base + i * 1_000),
    );
  }
});

afterAll(async () => {
  await t.close();
});

describe("GET /api/outbox", () => {
  it("lets the administrator read the mails, newest first, by page", async () => {
    const headers = await sessionOf(admin);
    const first = await t.app.inject({ method: "GET", url: "/api/outbox?pageSize=2", headers });
    expect(first.statusCode, first.body).toBe(200);
    const body = first.json();
    expect(body.total).toBe(5);
    expect(body.items.map((m: { subject: string }) => m.subject)).toEqual(["Message 4", "Message 3"]);
    expect(body.items[0]).toMatchObject({
      to: "pair@chu-essai.fr",
      text: "Corps 4",
      sentAt: null,
      attempts: 0,
    });

    const last = await t.app.inject({ method: "GET", url: "/api/outbox?pageSize=2&page=3", headers });
    expect(last.json().items.map((m: { subject: string }) => m.subject)).toEqual(["Message 0"]);

    const filtered = await t.app.inject({
      method: "GET",
      url: "/api/outbox?to=IMPAIR@chu-essai.fr",
      headers,
    });
    expect(filtered.json().total).toBe(2);

    const audited = await t.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("actor_user_id", "=", admin.id)
      .where("action", "=", "outbox.read")
      .execute();
    expect(audited).toHaveLength(3);
  });

  it("refuses a declarant (403) and an anonymous caller (401)", async () => {
    const declarant = await createUser(t.database.db, "declarant");
    const forbidden = await t.app.inject({
      method: "GET",
      url: "/api/outbox",
      headers: await sessionOf(declarant),
    });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error.code).toBe("FORBIDDEN");
    const anonymous = await t.app.inject({ method: "GET", url: "/api/outbox" });
    expect(anonymous.statusCode).toBe(401);
  });

  it("rejects a bad page size with the field named", async () => {
    const response = await t.app.inject({
      method: "GET",
      url: "/api/outbox?pageSize=500",
      headers: await sessionOf(admin),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields[0].field).toBe("pageSize");
  });
});
