import { SESSION_COOKIE } from "@vigie/api";
import { clearOidcDiscoveryCache } from "@vigie/integrations";
import { startTestOidcProvider, type TestOidcProvider } from "@vigie/integrations/oidc/test-provider";
import { createTestApp, createUser, type TestApp } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OIDC_COOKIE } from "./oidc.ts";

const PUBLIC_URL = "http://vigie.test";
let provider: TestOidcProvider;
let t: TestApp;

/** The whole browser journey: start → provider (auto-approved) → callback. */
async function signInWithProvider(options: { withCookie?: boolean; tamperState?: boolean } = {}) {
  const start = await t.app.inject({ method: "GET", url: "/api/auth/oidc/start" });
  expect(start.statusCode, start.body).toBe(302);
  const authorizationUrl = new URL(String(start.headers.location));
  expect(authorizationUrl.origin).toBe(provider.issuer);
  expect(authorizationUrl.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorizationUrl.searchParams.get("nonce")).toBeTruthy();
  const attemptCookie = start.cookies.find((c) => c.name === OIDC_COOKIE);
  expect(attemptCookie?.httpOnly).toBe(true);

  const callbackUrl = await provider.authorize(authorizationUrl.href);
  expect(callbackUrl.href.startsWith(`${PUBLIC_URL}/api/auth/oidc/callback`)).toBe(true);
  if (options.tamperState) callbackUrl.searchParams.set("state", "falsifie");
  const callback = await t.app.inject({
    method: "GET",
    url: `${callbackUrl.pathname}${callbackUrl.search}`,
    cookies: options.withCookie === false ? {} : { [OIDC_COOKIE]: attemptCookie?.value ?? "" },
  });
  expect(callback.statusCode, callback.body).toBe(302);
  const session = callback.cookies.find((c) => c.name === SESSION_COOKIE && c.value !== "");
  return { location: String(callback.headers.location), session };
}

async function userByEmail(email: string) {
  return t.database.db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
}

async function stageOf(cookieValue: string) {
  const response = await t.app.inject({
    method: "GET",
    url: "/api/auth/session",
    cookies: { [SESSION_COOKIE]: cookieValue },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { stage: string; user: { email: string; role: string } };
}

beforeAll(async () => {
  clearOidcDiscoveryCache();
  provider = await startTestOidcProvider({ redirectUri: `${PUBLIC_URL}/api/auth/oidc/callback` });
  t = await createTestApp({
    VIGIE_PUBLIC_URL: PUBLIC_URL,
    VIGIE_SECURE_COOKIES: "false",
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
    OIDC_LABEL: "Fournisseur d'essai",
    OIDC_MFA_ACR: "eidas3, eidas2",
  });
});

afterAll(async () => {
  await t?.close();
  await provider?.close();
});

describe("OpenID Connect sign-in", () => {
  it("says a provider is configured and its label", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/auth/oidc" });
    expect(response.json()).toEqual({ enabled: true, label: "Fournisseur d'essai" });
  });

  it("creates a declarant on first sign-in, then reuses the identity", async () => {
    provider.accounts.set("psc-0001", {
      sub: "psc-0001",
      email: "Nouveau.Medecin@hopital-essai.fr",
      email_verified: true,
      name: "Nouveau Médecin",
    });
    provider.nextLogin = { sub: "psc-0001" };
    const first = await signInWithProvider();
    expect(first.location).toBe("/");
    expect(first.session).toBeDefined();
    const user = await userByEmail("nouveau.medecin@hopital-essai.fr");
    expect(user).toMatchObject({ role: "declarant", full_name: "Nouveau Médecin", password_hash: null });
    expect(user?.email_verified_at).toBeInstanceOf(Date);
    const identity = await t.database.db
      .selectFrom("oidc_identities")
      .selectAll()
      .where("subject", "=", "psc-0001")
      .executeTakeFirst();
    expect(identity).toMatchObject({ issuer: provider.issuer, user_id: user?.id });
    const session = await stageOf(first.session?.value ?? "");
    expect(session.stage).toBe("authenticated");
    expect(session.user.email).toBe("nouveau.medecin@hopital-essai.fr");

    // Second sign-in: same subject, even with another e-mail at the provider → same account.
    provider.accounts.set("psc-0001", { sub: "psc-0001", email: "autre@ailleurs.fr", email_verified: true });
    const second = await signInWithProvider();
    expect(second.location).toBe("/");
    expect((await stageOf(second.session?.value ?? "")).user.email).toBe("nouveau.medecin@hopital-essai.fr");
    expect(await userByEmail("autre@ailleurs.fr")).toBeUndefined();

    const logins = await t.database.db
      .selectFrom("audit_log")
      .select(["action", "details"])
      .where("actor_user_id", "=", user?.id ?? "")
      .orderBy("id")
      .execute();
    expect(logins.map((l) => l.action)).toEqual(["account.registered", "auth.login", "auth.login"]);
    expect(logins[1]?.details).toMatchObject({ method: "oidc", matchedBy: "created" });
    expect(logins[2]?.details).toMatchObject({ method: "oidc", matchedBy: "identity" });
  });

  it("links an existing account by verified e-mail; a privileged role still needs TOTP", async () => {
    const admin = await createUser(t.database.db, "admin", { email: "admin@cert-essai.fr" });
    provider.accounts.set("psc-admin", {
      sub: "psc-admin",
      email: "admin@cert-essai.fr",
      email_verified: true,
    });
    provider.nextLogin = { sub: "psc-admin", amr: ["pwd"] };
    const result = await signInWithProvider();
    expect(result.location).toBe("/");
    const identity = await t.database.db
      .selectFrom("oidc_identities")
      .select("user_id")
      .where("subject", "=", "psc-admin")
      .executeTakeFirst();
    expect(identity?.user_id).toBe(admin.id);
    expect((await stageOf(result.session?.value ?? "")).stage).toBe("mfa_required");
    // The password account keeps its password.
    expect((await userByEmail(admin.email))?.password_hash).toBe(admin.password_hash);
  });

  it("linking an unverified account verifies it and drops the password someone else may have set", async () => {
    const squatted = await createUser(t.database.db, "declarant", { email: "proie@chu-essai.fr" });
    await t.database.db
      .updateTable("users")
      .set({ email_verified_at: null })
      .where("id", "=", squatted.id)
      .execute();
    provider.accounts.set("psc-owner", {
      sub: "psc-owner",
      email: "proie@chu-essai.fr",
      email_verified: true,
    });
    provider.nextLogin = { sub: "psc-owner" };
    const result = await signInWithProvider();
    expect(result.location).toBe("/");
    const after = await userByEmail("proie@chu-essai.fr");
    expect(after?.email_verified_at).toBeInstanceOf(Date);
    expect(after?.password_hash).toBeNull();
  });

  it("skips TOTP when the provider proves multi-factor by amr or by a configured acr", async () => {
    await createUser(t.database.db, "cert_analyst", { email: "analyste@cert-essai.fr" });
    provider.accounts.set("psc-analyst", {
      sub: "psc-analyst",
      email: "analyste@cert-essai.fr",
      email_verified: true,
    });
    provider.nextLogin = { sub: "psc-analyst", amr: ["pwd", "otp"] };
    const byAmr = await signInWithProvider();
    expect((await stageOf(byAmr.session?.value ?? "")).stage).toBe("authenticated");

    provider.nextLogin = { sub: "psc-analyst", acr: "eidas3" };
    const byAcr = await signInWithProvider();
    expect((await stageOf(byAcr.session?.value ?? "")).stage).toBe("authenticated");

    provider.nextLogin = { sub: "psc-analyst", acr: "eidas1" };
    const weak = await signInWithProvider();
    expect((await stageOf(weak.session?.value ?? "")).stage).toBe("mfa_required");
  });

  it("does not link or create an account without a verified e-mail", async () => {
    await createUser(t.database.db, "declarant", { email: "cible@chu-essai.fr" });
    provider.accounts.set("psc-unverified", {
      sub: "psc-unverified",
      email: "cible@chu-essai.fr",
      email_verified: false,
    });
    provider.nextLogin = { sub: "psc-unverified" };
    const result = await signInWithProvider();
    expect(result.location).toBe("/connexion?erreur=oidc&motif=courriel");
    expect(result.session).toBeUndefined();
    const linked = await t.database.db
      .selectFrom("oidc_identities")
      .select("user_id")
      .where("subject", "=", "psc-unverified")
      .execute();
    expect(linked).toHaveLength(0);
  });

  it("refuses a disabled account", async () => {
    await createUser(t.database.db, "declarant", { email: "parti@chu-essai.fr", disabled: true });
    provider.accounts.set("psc-disabled", {
      sub: "psc-disabled",
      email: "parti@chu-essai.fr",
      email_verified: true,
    });
    provider.nextLogin = { sub: "psc-disabled" };
    const result = await signInWithProvider();
    expect(result.location).toBe("/connexion?erreur=oidc&motif=compte-desactive");
    expect(result.session).toBeUndefined();
  });

  it("fails safely without the browser cookie, with a forged state, or when the provider denies", async () => {
    provider.accounts.set("psc-0002", { sub: "psc-0002", email: "csrf@chu-essai.fr", email_verified: true });
    provider.nextLogin = { sub: "psc-0002" };
    const noCookie = await signInWithProvider({ withCookie: false });
    expect(noCookie.location).toBe("/connexion?erreur=oidc");
    expect(noCookie.session).toBeUndefined();

    const forged = await signInWithProvider({ tamperState: true });
    expect(forged.location).toBe("/connexion?erreur=oidc");
    expect(forged.session).toBeUndefined();

    provider.nextLogin = null;
    const denied = await signInWithProvider();
    expect(denied.location).toBe("/connexion?erreur=oidc");
    expect(await userByEmail("csrf@chu-essai.fr")).toBeUndefined();

    const failures = await t.database.db
      .selectFrom("audit_log")
      .select("details")
      .where("action", "=", "auth.login_failed")
      .execute();
    const reasons = failures.map((f) => (f.details as { reason?: string }).reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        "unknown_or_expired_attempt",
        "token_validation_failed",
        "provider_error:access_denied",
      ]),
    );
  });
});

describe("without a provider", () => {
  it("reports OIDC as disabled and refuses to start", async () => {
    const plain = await createTestApp();
    try {
      expect((await plain.app.inject({ method: "GET", url: "/api/auth/oidc" })).json()).toEqual({
        enabled: false,
        label: null,
      });
      const start = await plain.app.inject({ method: "GET", url: "/api/auth/oidc/start" });
      expect(start.statusCode).toBe(404);
      expect(start.json().error.code).toBe("OIDC_NOT_CONFIGURED");
    } finally {
      await plain.close();
    }
  });
});
