import { randomUUID } from "node:crypto";
import { CSRF_HEADER, SESSION_COOKIE } from "@vigie/api";
import { createApiToken, sha256, startSession } from "@vigie/core";
import { usersRepo } from "@vigie/db";
import { createTestApp, createUser, type TestApp, type TestUser } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let t: TestApp;
let lead: TestUser;
let analyst: TestUser;
let leadSession: Record<string, string>;

/** A fully authenticated session opened directly (the login flow has its own tests). */
async function sessionOf(user: TestUser): Promise<Record<string, string>> {
  const started = await startSession(
    t.database.db,
    user,
    { ttlHours: 12, mfaAlreadySatisfied: true },
    t.clock.now,
  );
  return { cookie: `${SESSION_COOKIE}=${started.cookieValue}`, [CSRF_HEADER]: started.csrfToken };
}

function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

async function createToken(
  headers: Record<string, string>,
  payload: Record<string, unknown>,
): Promise<{ id: string; token: string; prefix: string; scopes: string[]; expiresAt: string | null }> {
  const response = await t.app.inject({ method: "POST", url: "/api/tokens", headers, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

beforeAll(async () => {
  t = await createTestApp();
  lead = await createUser(t.database.db, "cert_lead");
  analyst = await createUser(t.database.db, "cert_analyst");
  leadSession = await sessionOf(lead);
});
afterAll(async () => {
  await t?.close();
});

describe("API tokens", () => {
  it("creates a token shown once, stored only as its hash, and audited", async () => {
    const created = await createToken(leadSession, { name: "Supervision", scopes: ["audit:read"] });
    expect(created.token).toMatch(/^vig_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.token.slice(4, 12));
    expect(created.scopes).toEqual(["audit:read"]);
    expect(created.expiresAt).toBeNull();

    const list = await t.app.inject({ method: "GET", url: "/api/tokens", headers: leadSession });
    expect(list.statusCode).toBe(200);
    const listed = list.json().tokens as Record<string, unknown>[];
    expect(listed.map((x) => x.id)).toContain(created.id);
    expect(list.body).not.toContain(created.token.slice(4));
    expect(list.body).not.toContain(sha256(created.token));
    for (const token of listed) expect(Object.keys(token)).not.toContain("token");

    const rows = await t.database.db
      .selectFrom("api_tokens")
      .selectAll()
      .where("id", "=", created.id)
      .execute();
    expect(rows[0]?.token_hash).toBe(sha256(created.token));
    expect(JSON.stringify(rows)).not.toContain(created.token.slice(4));

    const audit = await t.database.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "token.created")
      .where("object_id", "=", created.id)
      .executeTakeFirst();
    expect(audit?.actor_user_id).toBe(lead.id);
    expect(JSON.stringify(audit?.details)).not.toContain(created.token.slice(4));
  });

  it("authenticates the requests a token is scoped for, and only those", async () => {
    const auditToken = await createToken(leadSession, { name: "Lecture audit", scopes: ["audit:read"] });
    const searchToken = await createToken(leadSession, { name: "Annuaire", scopes: ["structures:read"] });

    const allowed = await t.app.inject({
      method: "GET",
      url: "/api/audit",
      headers: bearer(auditToken.token),
    });
    expect(allowed.statusCode).toBe(200);
    const row = await t.database.db
      .selectFrom("api_tokens")
      .select("last_used_at")
      .where("id", "=", auditToken.id)
      .executeTakeFirst();
    expect(row?.last_used_at).not.toBeNull();

    // The role grants audit:read, the token does not: refused.
    const outside = await t.app.inject({
      method: "GET",
      url: "/api/audit",
      headers: bearer(searchToken.token),
    });
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.code).toBe("FORBIDDEN");
  });

  it("refuses scopes beyond the owner's role, naming the field", async () => {
    const analystSession = await sessionOf(analyst);
    for (const scopes of [["audit:read"], ["structures:read", "users:manage"], ["tokens:manage"]]) {
      const response = await t.app.inject({
        method: "POST",
        url: "/api/tokens",
        headers: analystSession,
        payload: { name: "Trop large", scopes },
      });
      expect(response.statusCode).toBe(400);
      const error = response.json().error;
      expect(error.code).toBe("VALIDATION_FAILED");
      expect(error.fields).toEqual([
        { field: "scopes", message: expect.stringContaining("hors de votre rôle") },
      ]);
    }
    const unknown = await t.app.inject({
      method: "POST",
      url: "/api/tokens",
      headers: analystSession,
      payload: { name: "Inconnu", scopes: ["everything"] },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields[0].field).toMatch(/^scopes/);
    const none = await t.app.inject({
      method: "POST",
      url: "/api/tokens",
      headers: analystSession,
      payload: { name: "Vide", scopes: [] },
    });
    expect(none.json().error.fields).toEqual([
      { field: "scopes", message: "Choisissez au moins une autorisation." },
    ]);
  });

  it("never lets a token exceed its owner's current role", async () => {
    const owner = await createUser(t.database.db, "cert_lead");
    const created = await createToken(await sessionOf(owner), { name: "Audit", scopes: ["audit:read"] });
    expect((await t.app.inject({ url: "/api/audit", headers: bearer(created.token) })).statusCode).toBe(200);
    await usersRepo.updateUser(t.database.db, owner.id, { role: "cert_analyst" });
    const demoted = await t.app.inject({ url: "/api/audit", headers: bearer(created.token) });
    expect(demoted.statusCode).toBe(403);
    expect(demoted.json().error.code).toBe("FORBIDDEN");
  });

  it("manages tokens only from a session, never with another token", async () => {
    const created = await createToken(leadSession, { name: "Intégration", scopes: ["audit:read"] });
    for (const request of [
      { method: "GET" as const, url: "/api/tokens" },
      { method: "POST" as const, url: "/api/tokens", payload: { name: "Fils", scopes: ["audit:read"] } },
      { method: "DELETE" as const, url: `/api/tokens/${created.id}` },
    ]) {
      const response = await t.app.inject({ ...request, headers: bearer(created.token) });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe("FORBIDDEN");
    }
    // Second lock, in the use case itself: even a token actor holding tokens:manage is refused.
    await expect(
      createApiToken(
        t.database.db,
        {
          userId: lead.id,
          email: lead.email,
          role: "cert_lead",
          regionCode: null,
          authority: null,
          structureIds: [],
          via: "token",
          scopes: ["tokens:manage", "audit:read"],
        },
        { name: "Fils", scopes: ["audit:read"] },
        t.clock.now,
      ),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("revokes its owner's token (401 afterwards, audited); others' tokens are not found", async () => {
    const created = await createToken(leadSession, { name: "À révoquer", scopes: ["audit:read"] });
    const other = await createUser(t.database.db, "cert_lead");
    const otherSession = await sessionOf(other);

    const foreign = await t.app.inject({
      method: "DELETE",
      url: `/api/tokens/${created.id}`,
      headers: otherSession,
    });
    expect(foreign.statusCode).toBe(404);
    expect((await t.app.inject({ url: "/api/audit", headers: bearer(created.token) })).statusCode).toBe(200);

    const revoked = await t.app.inject({
      method: "DELETE",
      url: `/api/tokens/${created.id}`,
      headers: leadSession,
    });
    expect(revoked.statusCode).toBe(204);
    const after = await t.app.inject({ url: "/api/audit", headers: bearer(created.token) });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe("UNAUTHENTICATED");

    const again = await t.app.inject({
      method: "DELETE",
      url: `/api/tokens/${created.id}`,
      headers: leadSession,
    });
    expect(again.statusCode).toBe(404);
    const unknown = await t.app.inject({
      method: "DELETE",
      url: `/api/tokens/${randomUUID()}`,
      headers: leadSession,
    });
    expect(unknown.statusCode).toBe(404);
    const malformed = await t.app.inject({ method: "DELETE", url: "/api/tokens/abc", headers: leadSession });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.fields[0].field).toBe("id");

    const listed = (await t.app.inject({ url: "/api/tokens", headers: leadSession })).json().tokens;
    expect(listed.find((x: { id: string }) => x.id === created.id).revokedAt).not.toBeNull();
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select(["actor_user_id"])
      .where("action", "=", "token.revoked")
      .where("object_id", "=", created.id)
      .execute();
    expect(audit).toEqual([{ actor_user_id: lead.id }]);
  });

  it("stops working when its owner is disabled", async () => {
    const owner = await createUser(t.database.db, "admin");
    const created = await createToken(await sessionOf(owner), { name: "Admin", scopes: ["audit:read"] });
    expect((await t.app.inject({ url: "/api/audit", headers: bearer(created.token) })).statusCode).toBe(200);
    await usersRepo.updateUser(t.database.db, owner.id, { disabled_at: t.clock.now });
    expect((await t.app.inject({ url: "/api/audit", headers: bearer(created.token) })).statusCode).toBe(401);
  });

  it("rejects unknown and malformed bearer tokens", async () => {
    for (const token of ["vig_nope", "nope", `vig_${"A".repeat(43)}`]) {
      const response = await t.app.inject({ url: "/api/audit", headers: bearer(token) });
      expect(response.statusCode).toBe(401);
    }
  });

  // Last: moves the clock past the expiry.
  it("expires after the chosen number of days", async () => {
    const created = await createToken(leadSession, {
      name: "Temporaire",
      scopes: ["audit:read"],
      expiresInDays: 1,
    });
    expect(Date.parse(created.expiresAt ?? "")).toBe(t.clock.now.getTime() + 86_400_000);
    expect((await t.app.inject({ url: "/api/audit", headers: bearer(created.token) })).statusCode).toBe(200);
    t.clock.advance(86_400_000 + 1000);
    const expired = await t.app.inject({ url: "/api/audit", headers: bearer(created.token) });
    expect(expired.statusCode).toBe(401);
    const tooLong = await t.app.inject({
      method: "POST",
      url: "/api/tokens",
      headers: await sessionOf(lead),
      payload: { name: "Éternel", scopes: ["audit:read"], expiresInDays: 5000 },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.fields[0].field).toBe("expiresInDays");
  });
});
