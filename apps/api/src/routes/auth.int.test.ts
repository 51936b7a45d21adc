import { CSRF_HEADER, SESSION_COOKIE } from "@vigie/api";
import { createStructure, createTestApp, createUser, signIn, type TestApp, totpCode } from "@vigie/test-kit";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function login(email: string, password: string, remoteAddress = "127.0.0.1") {
  return t.app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { email, password },
    remoteAddress,
  });
}

/** The cookie and CSRF headers of a login (or any) response that set a session. */
function sessionHeaders(response: Awaited<ReturnType<typeof login>>): Record<string, string> {
  const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error("no session cookie");
  return { cookie: `${SESSION_COOKIE}=${cookie.value}`, [CSRF_HEADER]: response.json().csrfToken };
}

async function auditEntries(action: string) {
  const { rows } = await sql<{
    actor_label: string;
    actor_user_id: string | null;
    object_id: string | null;
    details: Record<string, unknown>;
  }>`select actor_label, actor_user_id, object_id, details from audit_log where action = ${action} order by id`.execute(
    t.database.db,
  );
  return rows;
}

describe("password sign-in", () => {
  it("signs a declarant in directly, with a secure HTTP-only SameSite cookie", async () => {
    const structure = await createStructure(t.database.db);
    const declarant = await createUser(t.database.db, "declarant", { structureIds: [structure.id] });
    const response = await login(`  ${declarant.email.toUpperCase()} `, declarant.password);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ stage: "authenticated", csrfToken: expect.any(String) });

    const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Lax", path: "/" });
    expect(cookie?.expires).toBeInstanceOf(Date);

    const session = await t.app.inject({
      method: "GET",
      url: "/api/auth/session",
      headers: sessionHeaders(response),
    });
    expect(session.statusCode).toBe(200);
    const view = session.json();
    expect(view).toMatchObject({
      stage: "authenticated",
      csrfToken: response.json().csrfToken,
      user: { id: declarant.id, email: declarant.email, role: "declarant", mfaEnabled: false },
    });
    expect(view.user.permissions).toContain("structures:read");
    expect(view.user.structures).toEqual([
      { structureId: structure.id, finessEt: structure.finessEt, name: structure.name, status: "active" },
    ]);

    const [row] = await t.database.db
      .selectFrom("users")
      .select(["last_login_at", "failed_login_count"])
      .where("id", "=", declarant.id)
      .execute();
    expect(row?.last_login_at).not.toBeNull();
    const logins = await auditEntries("auth.login");
    expect(logins.some((e) => e.actor_user_id === declarant.id && e.actor_label === declarant.email)).toBe(
      true,
    );
  });

  it("asks a CERT analyst for the TOTP code, then authenticates", async () => {
    const analyst = await createUser(t.database.db, "cert_analyst");
    const response = await login(analyst.email, analyst.password);
    expect(response.statusCode).toBe(200);
    expect(response.json().stage).toBe("mfa_required");
    const headers = sessionHeaders(response);

    const early = await t.app.inject({ method: "GET", url: "/api/account", headers });
    expect(early.statusCode).toBe(401);
    expect(early.json().error.code).toBe("MFA_REQUIRED");
    const partial = await t.app.inject({ method: "GET", url: "/api/auth/session", headers });
    expect(partial.json().stage).toBe("mfa_required");

    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/auth/totp/verify",
      headers,
      payload: { code: totpCode(analyst.totpSecret as string, new Date(t.clock.now.getTime() - 300_000)) },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe("INVALID_TOTP");

    const verify = await t.app.inject({
      method: "POST",
      url: "/api/auth/totp/verify",
      headers,
      payload: { code: totpCode(analyst.totpSecret as string, t.clock.now) },
    });
    expect(verify.statusCode).toBe(200);
    expect(verify.json()).toEqual({ stage: "authenticated", csrfToken: headers[CSRF_HEADER] });
    const account = await t.app.inject({ method: "GET", url: "/api/account", headers });
    expect(account.statusCode).toBe(200);
    expect(account.json().email).toBe(analyst.email);
    const failedCount = await t.database.db
      .selectFrom("users")
      .select("failed_login_count")
      .where("id", "=", analyst.id)
      .executeTakeFirstOrThrow();
    expect(failedCount.failed_login_count).toBe(0);
  });

  it("gives unknown e-mails and wrong passwords the same answer, audited with the typed e-mail", async () => {
    const user = await createUser(t.database.db, "declarant");
    const unknown = await login("Personne.Inconnue@Example.test", "whatever-password");
    const wrong = await login(user.email, "not-the-right-password");
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(unknown.json().error.code).toBe("INVALID_CREDENTIALS");

    const failures = await auditEntries("auth.login_failed");
    expect(failures).toContainEqual(
      expect.objectContaining({
        actor_label: "personne.inconnue@example.test",
        actor_user_id: null,
        details: expect.objectContaining({ reason: "unknown_email" }),
      }),
    );
    expect(failures).toContainEqual(
      expect.objectContaining({
        actor_label: user.email,
        object_id: user.id,
        details: expect.objectContaining({ reason: "wrong_password" }),
      }),
    );
  });

  it("refuses a disabled account and an unverified e-mail once the password is right", async () => {
    const disabled = await createUser(t.database.db, "declarant", { disabled: true });
    expect((await login(disabled.email, "wrong-password-here")).json().error.code).toBe(
      "INVALID_CREDENTIALS",
    );
    const refused = await login(disabled.email, disabled.password);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe("ACCOUNT_DISABLED");

    const unverified = await createUser(t.database.db, "declarant");
    await t.database.db
      .updateTable("users")
      .set({ email_verified_at: null })
      .where("id", "=", unverified.id)
      .execute();
    const notVerified = await login(unverified.email, unverified.password);
    expect(notVerified.statusCode).toBe(403);
    expect(notVerified.json().error.code).toBe("EMAIL_NOT_VERIFIED");
  });

  it("rejects malformed input naming the field, in French", async () => {
    const response = await login("pas-une-adresse", "x");
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("VALIDATION_FAILED");
    expect(response.json().error.fields).toContainEqual({
      field: "email",
      message: "Adresse électronique invalide.",
    });
  });
});

describe("lockout", () => {
  it("locks the account after LOGIN_MAX_FAILURES wrong passwords, even for the right one, until the lock ends", async () => {
    const user = await createUser(t.database.db, "declarant");
    for (let i = 0; i < 4; i++) {
      expect((await login(user.email, `mauvais-mot-de-passe-${i}`)).statusCode).toBe(401);
    }
    const fifth = await login(user.email, "mauvais-mot-de-passe-5");
    expect(fifth.statusCode).toBe(423);
    const locked = await login(user.email, user.password);
    expect(locked.statusCode).toBe(423);
    const body = locked.json();
    expect(body.error.code).toBe("ACCOUNT_LOCKED");
    const lockedUntil = new Date(body.error.details.lockedUntil);
    expect(lockedUntil.getTime()).toBe(t.clock.now.getTime() + 15 * 60_000);

    const lockEntries = await auditEntries("auth.locked");
    expect(lockEntries.some((e) => e.object_id === user.id)).toBe(true);

    t.clock.advance(14 * 60_000);
    expect((await login(user.email, user.password)).statusCode).toBe(423);
    t.clock.advance(2 * 60_000);
    const unlocked = await login(user.email, user.password);
    expect(unlocked.statusCode).toBe(200);
  });

  it("counts wrong TOTP codes toward the lockout and ends the session that hit it", async () => {
    const analyst = await createUser(t.database.db, "cert_lead");
    const secret = analyst.totpSecret as string;
    const response = await login(analyst.email, analyst.password);
    const headers = sessionHeaders(response);
    const right = totpCode(secret, t.clock.now);
    const wrongCode = right === "000000" ? "111111" : "000000";
    for (let i = 0; i < 4; i++) {
      const wrong = await t.app.inject({
        method: "POST",
        url: "/api/auth/totp/verify",
        headers,
        payload: { code: wrongCode },
      });
      expect(wrong.json().error.code).toBe("INVALID_TOTP");
    }
    const fifth = await t.app.inject({
      method: "POST",
      url: "/api/auth/totp/verify",
      headers,
      payload: { code: wrongCode },
    });
    expect(fifth.statusCode).toBe(423);
    const after = await t.app.inject({ method: "GET", url: "/api/auth/session", headers });
    expect(after.statusCode).toBe(401);
    expect((await login(analyst.email, analyst.password)).statusCode).toBe(423);
    const failures = await auditEntries("auth.totp_failed");
    expect(failures.filter((e) => e.object_id === analyst.id)).toHaveLength(5);
  });
});

describe("TOTP", () => {
  it("refuses a code already used (replay)", async () => {
    const analyst = await createUser(t.database.db, "cert_analyst");
    const secret = analyst.totpSecret as string;
    const code = totpCode(secret, t.clock.now);
    const first = sessionHeaders(await login(analyst.email, analyst.password));
    const ok = await t.app.inject({
      method: "POST",
      url: "/api/auth/totp/verify",
      headers: first,
      payload: { code },
    });
    expect(ok.statusCode).toBe(200);

    const second = sessionHeaders(await login(analyst.email, analyst.password));
    const replay = await t.app.inject({
      method: "POST",
      url: "/api/auth/totp/verify",
      headers: second,
      payload: { code },
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe("INVALID_TOTP");
    const failures = await auditEntries("auth.totp_failed");
    expect(failures).toContainEqual(
      expect.objectContaining({
        object_id: analyst.id,
        details: expect.objectContaining({ reason: "replay" }),
      }),
    );

    t.clock.advance(30_000);
    const next = await t.app.inject({
      method: "POST",
      url: "/api/auth/totp/verify",
      headers: second,
      payload: { code: totpCode(secret, t.clock.now) },
    });
    expect(next.statusCode).toBe(200);
  });

  it("makes a privileged account without MFA enrol before anything else", async () => {
    const lead = await createUser(t.database.db, "cert_lead", { mfa: false });
    const response = await login(lead.email, lead.password);
    expect(response.json().stage).toBe("mfa_enrolment");
    const headers = sessionHeaders(response);

    for (const url of ["/api/account", "/api/users"]) {
      const blocked = await t.app.inject({ method: "GET", url, headers });
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().error.code).toBe("MFA_ENROLMENT_REQUIRED");
    }
    const verify = await t.app.inject({
      method: "POST",
      url: "/api/auth/totp/verify",
      headers,
      payload: { code: "123456" },
    });
    expect(verify.json().error.code).toBe("MFA_ENROLMENT_REQUIRED");

    const enableTooEarly = await t.app.inject({
      method: "POST",
      url: "/api/auth/totp/enable",
      headers,
      payload: { code: "123456" },
    });
    expect(enableTooEarly.statusCode).toBe(400);

    const setup = await t.app.inject({ method: "POST", url: "/api/auth/totp/setup", headers });
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUri, qrCodeSvg } = setup.json();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Vigie:/);
    expect(otpauthUri).toContain(`secret=${secret}`);
    expect(qrCodeSvg).toContain("<svg");

    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/auth/totp/enable",
      headers,
      payload: { code: totpCode(secret, new Date(t.clock.now.getTime() + 600_000)) },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe("INVALID_TOTP");

    const enable = await t.app.inject({
      method: "POST",
      url: "/api/auth/totp/enable",
      headers,
      payload: { code: totpCode(secret, t.clock.now) },
    });
    expect(enable.statusCode).toBe(200);
    expect(enable.json()).toEqual({ stage: "authenticated", csrfToken: headers[CSRF_HEADER] });

    const users = await t.app.inject({ method: "GET", url: "/api/users", headers });
    expect(users.statusCode).toBe(200);
    const account = await t.app.inject({ method: "GET", url: "/api/account", headers });
    expect(account.json().mfaEnabled).toBe(true);
    expect((await auditEntries("auth.totp_enabled")).some((e) => e.object_id === lead.id)).toBe(true);

    const again = await login(lead.email, lead.password);
    expect(again.json().stage).toBe("mfa_required");
    const resetup = await t.app.inject({ method: "POST", url: "/api/auth/totp/setup", headers });
    expect(resetup.statusCode).toBe(409);
  });

  it("lets a declarant turn MFA on from the account page and off again; others cannot turn it off", async () => {
    const declarant = await createUser(t.database.db, "declarant");
    const headers = await signIn(t, declarant);
    const setup = await t.app.inject({ method: "POST", url: "/api/auth/totp/setup", headers });
    expect(setup.statusCode).toBe(200);
    const { secret } = setup.json();
    const enable = await t.app.inject({
      method: "POST",
      url: "/api/auth/totp/enable",
      headers,
      payload: { code: totpCode(secret, t.clock.now) },
    });
    expect(enable.statusCode).toBe(200);
    expect((await login(declarant.email, declarant.password)).json().stage).toBe("mfa_required");

    t.clock.advance(30_000);
    const disable = await t.app.inject({
      method: "POST",
      url: "/api/auth/totp/disable",
      headers,
      payload: { code: totpCode(secret, t.clock.now) },
    });
    expect(disable.statusCode).toBe(204);
    expect((await login(declarant.email, declarant.password)).json().stage).toBe("authenticated");
    expect((await auditEntries("auth.totp_disabled")).some((e) => e.object_id === declarant.id)).toBe(true);

    const analyst = await createUser(t.database.db, "cert_analyst");
    const analystHeaders = await signIn(t, analyst);
    t.clock.advance(30_000);
    const refused = await t.app.inject({
      method: "POST",
      url: "/api/auth/totp/disable",
      headers: analystHeaders,
      payload: { code: totpCode(analyst.totpSecret as string, t.clock.now) },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe("FORBIDDEN");
  });
});

describe("session, CSRF and sign-out", () => {
  it("refuses state changes without the right CSRF token, and sign-out ends the session", async () => {
    const declarant = await createUser(t.database.db, "declarant");
    const headers = await signIn(t, declarant);
    const cookieOnly = { cookie: headers.cookie as string };

    const missing = await t.app.inject({ method: "POST", url: "/api/auth/logout", headers: cookieOnly });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.code).toBe("CSRF_INVALID");
    const wrong = await t.app.inject({
      method: "POST",
      url: "/api/auth/logout",
      headers: { ...cookieOnly, [CSRF_HEADER]: "jeton-faux" },
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.code).toBe("CSRF_INVALID");
    const patch = await t.app.inject({
      method: "PATCH",
      url: "/api/account",
      headers: cookieOnly,
      payload: { fullName: "Nouveau Nom" },
    });
    expect(patch.json().error.code).toBe("CSRF_INVALID");

    const logout = await t.app.inject({ method: "POST", url: "/api/auth/logout", headers });
    expect(logout.statusCode).toBe(204);
    const cleared = logout.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cleared?.value).toBe("");
    const after = await t.app.inject({ method: "GET", url: "/api/auth/session", headers });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe("UNAUTHENTICATED");
    expect((await auditEntries("auth.logout")).some((e) => e.object_id === declarant.id)).toBe(true);
  });

  it("lets a browser holding a live session cookie sign in again without a CSRF token", async () => {
    const declarant = await createUser(t.database.db, "declarant");
    const headers = await signIn(t, declarant);
    const again = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      headers: { cookie: headers.cookie as string },
      payload: { email: declarant.email, password: declarant.password },
    });
    expect(again.statusCode).toBe(200);
    expect(again.cookies.find((c) => c.name === SESSION_COOKIE)?.value).not.toBe("");
  });

  it("answers 401 without a session", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/auth/session" });
    expect(response.statusCode).toBe(401);
  });
});

describe("rate limit", () => {
  it("answers 429 RATE_LIMITED after 20 sign-in attempts a minute from one IP", async () => {
    const strict = await createTestApp({ RATE_LIMIT_SCALE: "1" });
    try {
      const attempt = (remoteAddress: string) =>
        strict.app.inject({
          method: "POST",
          url: "/api/auth/login",
          payload: { email: "x@example.test", password: "y" },
          remoteAddress,
        });
      for (let i = 0; i < 20; i++) expect((await attempt("10.1.2.3")).statusCode).toBe(401);
      const limited = await attempt("10.1.2.3");
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe("RATE_LIMITED");
      expect((await attempt("10.1.2.4")).statusCode).toBe(401);
    } finally {
      await strict.close();
    }
  });
});
