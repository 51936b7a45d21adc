import { CSRF_HEADER, SESSION_COOKIE } from "@vigie/api";
import { createTestApp, createUser, signIn, type TestApp } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

function changePassword(headers: Record<string, string>, currentPassword: string, newPassword: string) {
  return t.app.inject({
    method: "POST",
    url: "/api/account/password",
    headers,
    payload: { currentPassword, newPassword },
  });
}

describe("POST /api/account/password", () => {
  it("applies the policy of the role: 16 characters for a CERT analyst", async () => {
    const analyst = await createUser(t.database.db, "cert_analyst");
    const headers = await signIn(t, analyst);
    const response = await changePassword(headers, analyst.password, "Riviere-Lune-47");
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe("WEAK_PASSWORD");
    expect(error.fields).toContainEqual({
      field: "newPassword",
      message: "Le mot de passe doit contenir au moins 16 caractères.",
    });
    expect((await changePassword(headers, analyst.password, "Riviere-Lune-Matin-47")).statusCode).toBe(204);
  });

  it("accepts 12 characters for a declarant but refuses common passwords", async () => {
    const declarant = await createUser(t.database.db, "declarant");
    const headers = await signIn(t, declarant);
    const common = await changePassword(headers, declarant.password, "motdepasse123");
    expect(common.statusCode).toBe(400);
    expect(common.json().error.code).toBe("WEAK_PASSWORD");
    expect(common.json().error.fields[0].message).toMatch(/trop courant/);
    const common2 = await changePassword(headers, declarant.password, "azertyuiopqsdfghjklm");
    expect(common2.json().error.code).toBe("WEAK_PASSWORD");

    expect((await changePassword(headers, declarant.password, "Riviere-Lune-47")).statusCode).toBe(204);
    const oldLogin = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: declarant.email, password: declarant.password },
    });
    expect(oldLogin.statusCode).toBe(401);
    const newLogin = await t.app.inject({
      method: "POST",
      url: "/api/auth/login",
      payload: { email: declarant.email, password: "Riviere-Lune-47" },
    });
    expect(newLogin.statusCode).toBe(200);
  });

  it("checks the current password and ends the account's other sessions", async () => {
    const declarant = await createUser(t.database.db, "declarant");
    const here = await signIn(t, declarant);
    const elsewhere = await signIn(t, declarant);

    const wrong = await changePassword(here, "pas-le-bon-mot-de-passe", "Nouvelle-Phrase-De-Passe-9");
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields).toEqual([
      { field: "currentPassword", message: "Le mot de passe actuel est incorrect." },
    ]);
    const same = await changePassword(here, declarant.password, declarant.password);
    expect(same.json().error.code).toBe("WEAK_PASSWORD");

    expect((await changePassword(here, declarant.password, "Nouvelle-Phrase-De-Passe-9")).statusCode).toBe(
      204,
    );
    expect((await t.app.inject({ method: "GET", url: "/api/account", headers: here })).statusCode).toBe(200);
    const ended = await t.app.inject({ method: "GET", url: "/api/account", headers: elsewhere });
    expect(ended.statusCode).toBe(401);
  });
});

describe("/api/account", () => {
  it("shows and updates the name, job title and phone", async () => {
    const declarant = await createUser(t.database.db, "declarant");
    const headers = await signIn(t, declarant);
    const me = await t.app.inject({ method: "GET", url: "/api/account", headers });
    expect(me.json()).toMatchObject({ id: declarant.id, email: declarant.email, jobTitle: null });

    const updated = await t.app.inject({
      method: "PATCH",
      url: "/api/account",
      headers,
      payload: { fullName: "Camille Martin", jobTitle: "RSSI", phone: "+33 4 76 00 00 00" },
    });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({
      fullName: "Camille Martin",
      jobTitle: "RSSI",
      phone: "+33 4 76 00 00 00",
    });

    const cleared = await t.app.inject({
      method: "PATCH",
      url: "/api/account",
      headers,
      payload: { phone: "" },
    });
    expect(cleared.json().phone).toBeNull();

    const invalid = await t.app.inject({
      method: "PATCH",
      url: "/api/account",
      headers,
      payload: { phone: "abc" },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.fields).toContainEqual({
      field: "phone",
      message: "Numéro de téléphone invalide.",
    });
  });

  it("needs a signed-in session", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/account" });
    expect(response.statusCode).toBe(401);
    const forged = await t.app.inject({
      method: "GET",
      url: "/api/account",
      headers: { cookie: `${SESSION_COOKIE}=inconnu`, [CSRF_HEADER]: "x" },
    });
    expect(forged.statusCode).toBe(401);
  });
});
