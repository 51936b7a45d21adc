import { withFinessCheckDigit } from "@vigie/core";
import {
  createStructure,
  createTestApp,
  createUser,
  signIn,
  TEST_PASSWORD,
  type TestApp,
  type TestUser,
} from "@vigie/test-kit";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let t: TestApp;
let admin: TestUser;
let adminHeaders: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t.database.db, "admin");
  adminHeaders = await signIn(t, admin);
});
afterAll(async () => {
  await t?.close();
});

let counter = 0;
function newEmail(prefix: string): string {
  counter++;
  return `${prefix}.${counter}.${Date.now()}@comptes.test`;
}

function createAccount(payload: Record<string, unknown>, headers = adminHeaders) {
  return t.app.inject({ method: "POST", url: "/api/users", headers, payload });
}

function login(email: string, password: string) {
  return t.app.inject({ method: "POST", url: "/api/auth/login", payload: { email, password } });
}

describe("POST /api/users", () => {
  it("creates a verified declarant attached to structures by FINESS, who can sign in", async () => {
    const a = await createStructure(t.database.db);
    const b = await createStructure(t.database.db);
    const email = newEmail("Declarant");
    const response = await createAccount({
      email: email.toUpperCase(),
      fullName: "Camille Martin",
      jobTitle: "RSSI",
      role: "declarant",
      password: "Riviere-Lune-47",
      finess: [a.finessEt, ` ${b.finessEt} `],
    });
    expect(response.statusCode).toBe(201);
    const view = response.json();
    expect(view).toMatchObject({
      email: email.toLowerCase(),
      fullName: "Camille Martin",
      jobTitle: "RSSI",
      role: "declarant",
      emailVerified: true,
      mfaEnabled: false,
      disabled: false,
    });
    expect(view.structures.map((s: { finessEt: string }) => s.finessEt).sort()).toEqual(
      [a.finessEt, b.finessEt].sort(),
    );
    expect(view).not.toHaveProperty("passwordHash");

    const signedIn = await login(email, "Riviere-Lune-47");
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().stage).toBe("authenticated");

    const { rows } = await sql<{ actor_user_id: string; details: { after: Record<string, unknown> } }>`
      select actor_user_id, details from audit_log where action = 'user.created' and object_id = ${view.id}
    `.execute(t.database.db);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.actor_user_id).toBe(admin.id);
    expect(rows[0]?.details.after).toMatchObject({ email: email.toLowerCase(), role: "declarant" });
  });

  it("names the unknown or malformed FINESS numbers", async () => {
    const known = await createStructure(t.database.db);
    const unknown = withFinessCheckDigit("99000001");
    const response = await createAccount({
      email: newEmail("declarant"),
      fullName: "Dominique Petit",
      role: "declarant",
      password: TEST_PASSWORD,
      finess: [known.finessEt, unknown, "12345"],
    });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.fields).toEqual([
      { field: "finess[1]", message: `Aucune structure n'a le numéro FINESS ${unknown} dans l'annuaire.` },
      { field: "finess[2]", message: "Le numéro FINESS doit comporter 9 caractères." },
    ]);
    const none = await createAccount({
      email: newEmail("declarant"),
      fullName: "Dominique Petit",
      role: "declarant",
      password: TEST_PASSWORD,
    });
    expect(none.json().error.fields[0].field).toBe("finess");
  });

  it("enforces the scope of each role", async () => {
    const base = { fullName: "Claude Robert", password: TEST_PASSWORD };
    const noRegion = await createAccount({ ...base, email: newEmail("ars"), role: "ars" });
    expect(noRegion.json().error.fields).toEqual([
      { field: "regionCode", message: "Une région est requise pour un compte d'ARS." },
    ]);
    const badRegion = await createAccount({ ...base, email: newEmail("ars"), role: "ars", regionCode: "99" });
    expect(badRegion.json().error.fields).toEqual([
      { field: "regionCode", message: "Région inconnue : 99." },
    ]);
    const noAuthority = await createAccount({ ...base, email: newEmail("aut"), role: "authority" });
    expect(noAuthority.json().error.fields[0].field).toBe("authority");
    const analystWithRegion = await createAccount({
      ...base,
      email: newEmail("cert"),
      role: "cert_analyst",
      regionCode: "84",
    });
    expect(analystWithRegion.json().error.fields[0].field).toBe("regionCode");

    const ars = await createAccount({ ...base, email: newEmail("ars"), role: "ars", regionCode: "84" });
    expect(ars.statusCode).toBe(201);
    expect(ars.json()).toMatchObject({ role: "ars", regionCode: "84", authority: null });
    const authority = await createAccount({
      ...base,
      email: newEmail("aut"),
      role: "authority",
      authority: "anssi",
    });
    expect(authority.json()).toMatchObject({ role: "authority", authority: "anssi" });
  });

  it("applies the password policy of the role, refuses a taken e-mail, and makes CERT accounts enrol", async () => {
    const email = newEmail("analyste");
    const weak = await createAccount({
      email,
      fullName: "Alex Bernard",
      role: "cert_analyst",
      password: "Riviere-Lune-47",
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe("WEAK_PASSWORD");
    expect(weak.json().error.fields[0].field).toBe("password");

    const created = await createAccount({
      email,
      fullName: "Alex Bernard",
      role: "cert_analyst",
      password: "Riviere-Lune-Matin-47",
    });
    expect(created.statusCode).toBe(201);
    const taken = await createAccount({
      email: email.toUpperCase(),
      fullName: "Alex Bernard",
      role: "cert_analyst",
      password: "Riviere-Lune-Matin-47",
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe("EMAIL_TAKEN");

    const signedIn = await login(email, "Riviere-Lune-Matin-47");
    expect(signedIn.json().stage).toBe("mfa_enrolment");
  });

  it("lets only one of two simultaneous creations of an address succeed", async () => {
    const payload = { email: newEmail("race"), fullName: "Course", role: "admin", password: TEST_PASSWORD };
    const statuses = (await Promise.all([createAccount(payload), createAccount(payload)])).map(
      (r) => r.statusCode,
    );
    expect(statuses.sort()).toEqual([201, 409]);
  });

  it("is refused to accounts without users:manage", async () => {
    const lead = await createUser(t.database.db, "cert_lead");
    const headers = await signIn(t, lead);
    const response = await createAccount(
      { email: newEmail("x"), fullName: "Refusé", role: "admin", password: TEST_PASSWORD },
      headers,
    );
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe("FORBIDDEN");
    expect((await t.app.inject({ method: "GET", url: "/api/users", headers })).statusCode).toBe(200);

    const declarant = await createUser(t.database.db, "declarant");
    const declarantHeaders = await signIn(t, declarant);
    expect(
      (await t.app.inject({ method: "GET", url: "/api/users", headers: declarantHeaders })).statusCode,
    ).toBe(403);
  });
});

describe("GET /api/users", () => {
  it("filters by role and text, with pagination", async () => {
    for (let i = 0; i < 3; i++)
      await createUser(t.database.db, "authority", { email: newEmail(`listing-${i}`) });
    const page1 = await t.app.inject({
      method: "GET",
      url: "/api/users?role=authority&q=LISTING&pageSize=2",
      headers: adminHeaders,
    });
    expect(page1.statusCode).toBe(200);
    expect(page1.json()).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect(page1.json().items).toHaveLength(2);
    const page2 = await t.app.inject({
      method: "GET",
      url: "/api/users?role=authority&q=listing&pageSize=2&page=2",
      headers: adminHeaders,
    });
    expect(page2.json().items).toHaveLength(1);
    expect(page2.json().items[0].role).toBe("authority");

    const bad = await t.app.inject({ method: "GET", url: "/api/users?role=chef", headers: adminHeaders });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toBe("role");

    const one = await t.app.inject({ method: "GET", url: `/api/users/${admin.id}`, headers: adminHeaders });
    expect(one.json()).toMatchObject({ id: admin.id, role: "admin", mfaEnabled: true });
    const missing = await t.app.inject({
      method: "GET",
      url: "/api/users/00000000-0000-4000-8000-000000000000",
      headers: adminHeaders,
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe("PATCH /api/users/:id", () => {
  it("disables an account (ending its sessions) and enables it again", async () => {
    const declarant = await createUser(t.database.db, "declarant");
    const headers = await signIn(t, declarant);
    const disabled = await t.app.inject({
      method: "PATCH",
      url: `/api/users/${declarant.id}`,
      headers: adminHeaders,
      payload: { disabled: true },
    });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().disabled).toBe(true);
    expect((await t.app.inject({ method: "GET", url: "/api/account", headers })).statusCode).toBe(401);
    expect((await login(declarant.email, declarant.password)).json().error.code).toBe("ACCOUNT_DISABLED");

    const enabled = await t.app.inject({
      method: "PATCH",
      url: `/api/users/${declarant.id}`,
      headers: adminHeaders,
      payload: { disabled: false },
    });
    expect(enabled.json().disabled).toBe(false);
    expect((await login(declarant.email, declarant.password)).statusCode).toBe(200);

    const { rows } = await sql<{ action: string; details: Record<string, unknown> }>`
      select action, details from audit_log where object_id = ${declarant.id} and action like 'user.%' order by id
    `.execute(t.database.db);
    expect(rows.map((r) => r.action)).toEqual(["user.disabled", "user.enabled"]);
    expect(rows[0]?.details).toEqual({ before: { disabled: false }, after: { disabled: true } });
  });

  it("changes role and scope, audited with before and after", async () => {
    const structure = await createStructure(t.database.db);
    const declarant = await createUser(t.database.db, "declarant", { structureIds: [structure.id] });
    const missingRegion = await t.app.inject({
      method: "PATCH",
      url: `/api/users/${declarant.id}`,
      headers: adminHeaders,
      payload: { role: "ars" },
    });
    expect(missingRegion.json().error.fields).toEqual([
      { field: "regionCode", message: "Une région est requise pour un compte d'ARS." },
    ]);
    const response = await t.app.inject({
      method: "PATCH",
      url: `/api/users/${declarant.id}`,
      headers: adminHeaders,
      payload: { role: "ars", regionCode: "11" },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ role: "ars", regionCode: "11", structures: [] });

    const { rows } = await sql<{
      details: { before: Record<string, unknown>; after: Record<string, unknown> };
    }>`
      select details from audit_log where object_id = ${declarant.id} and action = 'user.updated'
    `.execute(t.database.db);
    expect(rows[0]?.details).toEqual({
      before: { role: "declarant", regionCode: null, finess: [structure.finessEt] },
      after: { role: "ars", regionCode: "11", finess: [] },
    });

    const other = await createStructure(t.database.db);
    const back = await t.app.inject({
      method: "PATCH",
      url: `/api/users/${declarant.id}`,
      headers: adminHeaders,
      payload: { role: "declarant", finess: [other.finessEt] },
    });
    expect(back.json()).toMatchObject({ role: "declarant", regionCode: null });
    expect(back.json().structures).toEqual([
      { structureId: other.id, finessEt: other.finessEt, name: other.name, status: "active" },
    ]);
  });

  it("does not let administrators disable or demote themselves", async () => {
    const disable = await t.app.inject({
      method: "PATCH",
      url: `/api/users/${admin.id}`,
      headers: adminHeaders,
      payload: { disabled: true },
    });
    expect(disable.statusCode).toBe(403);
    expect(disable.json().error.message).toBe("Vous ne pouvez pas désactiver votre propre compte.");
    const demote = await t.app.inject({
      method: "PATCH",
      url: `/api/users/${admin.id}`,
      headers: adminHeaders,
      payload: { role: "cert_lead" },
    });
    expect(demote.statusCode).toBe(403);
    const rename = await t.app.inject({
      method: "PATCH",
      url: `/api/users/${admin.id}`,
      headers: adminHeaders,
      payload: { fullName: "Sacha Leroy" },
    });
    expect(rename.statusCode).toBe(200);
  });

  it("resets MFA: the account enrols again at its next sign-in", async () => {
    const analyst = await createUser(t.database.db, "cert_analyst");
    const reset = await t.app.inject({
      method: "POST",
      url: `/api/users/${analyst.id}/reset-mfa`,
      headers: adminHeaders,
    });
    expect(reset.statusCode).toBe(200);
    expect(reset.json().mfaEnabled).toBe(false);
    expect((await login(analyst.email, analyst.password)).json().stage).toBe("mfa_enrolment");
  });
});
