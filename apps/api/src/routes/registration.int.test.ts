import { withFinessCheckDigit } from "@vigie/core";
import { createStructure, createTestApp, createUser, TEST_PASSWORD, type TestApp } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let t: TestApp;
let chu: { id: string; finessEt: string };
let clinic: { id: string; finessEt: string };
let ehpad: { id: string; finessEt: string };
let ipCounter = 0;

/** A distinct client address per request, so per-IP rate limits never interfere. */
function fromNewIp(): Record<string, string> {
  ipCounter++;
  return { "x-forwarded-for": `192.0.2.${ipCounter % 250}` };
}

function post(url: string, payload: Record<string, unknown>) {
  return t.app.inject({ method: "POST", url, payload, headers: fromNewIp() });
}

async function mailsTo(address: string) {
  return t.database.db
    .selectFrom("mail_outbox")
    .selectAll()
    .where("to_address", "=", address)
    .orderBy("created_at")
    .execute();
}

/** The token of the latest link to `path` mailed to the address. */
async function latestToken(address: string, path: string): Promise<string> {
  const mails = await mailsTo(address);
  const pattern = new RegExp(`${path}\\?jeton=([A-Za-z0-9_-]+)`);
  for (const mail of mails.reverse()) {
    const match = mail.text_body.match(pattern);
    if (match?.[1]) return match[1];
  }
  throw new Error(`aucun lien ${path} envoyé à ${address}`);
}

async function userByEmail(email: string) {
  return t.database.db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
}

async function membershipsOf(userId: string) {
  return t.database.db
    .selectFrom("user_structures")
    .select(["structure_id", "status"])
    .where("user_id", "=", userId)
    .execute();
}

async function auditActions(objectId: string) {
  const rows = await t.database.db
    .selectFrom("audit_log")
    .select(["action", "outcome"])
    .where("object_id", "=", objectId)
    .orderBy("id")
    .execute();
  return rows.map((r) => `${r.action}:${r.outcome}`);
}

const PASSWORD = "Lanterne-Verte-Sur-La-Colline";

beforeAll(async () => {
  t = await createTestApp({ VIGIE_PUBLIC_URL: "https://vigie.example.test" });
  chu = await createStructure(t.database.db, { mailDomains: ["chu-essai.fr"] });
  clinic = await createStructure(t.database.db);
  ehpad = await createStructure(t.database.db);
  await t.database.db
    .updateTable("structures")
    .set({ contact_emails: ["direction@ehpad-essai.fr"] })
    .where("id", "=", ehpad.id)
    .execute();
  // A structure whose only contact is a webmail address: that domain proves nothing.
  await t.database.db
    .updateTable("structures")
    .set({ contact_emails: ["clinique.essai@gmail.com"] })
    .where("id", "=", clinic.id)
    .execute();
});

afterAll(async () => {
  await t.close();
});

describe("POST /api/auth/register", () => {
  it("creates an unverified declarant, active on its own domain's structure and pending elsewhere", async () => {
    const response = await post("/api/auth/register", {
      email: "Camille.Rssi@DSI.chu-essai.fr",
      fullName: "Camille Rssi",
      jobTitle: "RSSI",
      password: PASSWORD,
      finess: [chu.finessEt, clinic.finessEt],
    });
    expect(response.statusCode, response.body).toBe(202);
    const user = await userByEmail("camille.rssi@dsi.chu-essai.fr");
    expect(user).toMatchObject({ role: "declarant", email_verified_at: null, job_title: "RSSI" });
    const memberships = await membershipsOf(user?.id ?? "");
    expect(memberships).toHaveLength(2);
    expect(memberships.find((m) => m.structure_id === chu.id)?.status).toBe("active");
    expect(memberships.find((m) => m.structure_id === clinic.id)?.status).toBe("pending");
    const mails = await mailsTo("camille.rssi@dsi.chu-essai.fr");
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toContain("confirmez votre adresse");
    expect(mails[0]?.text_body).toMatch(/https:\/\/vigie\.example\.test\/verifier-courriel\?jeton=/);
    expect(await auditActions(user?.id ?? "")).toContain("account.registered:success");
  });

  it("makes the membership active when the domain is a structure contact's, but not a webmail's", async () => {
    const onContact = await post("/api/auth/register", {
      email: "infirmier@ehpad-essai.fr",
      fullName: "Dominique Soin",
      password: PASSWORD,
      finess: [ehpad.finessEt],
    });
    expect(onContact.statusCode, onContact.body).toBe(202);
    const user = await userByEmail("infirmier@ehpad-essai.fr");
    expect((await membershipsOf(user?.id ?? ""))[0]?.status).toBe("active");

    const onWebmail = await post("/api/auth/register", {
      email: "quelquun@gmail.com",
      fullName: "Quelqu'un",
      password: PASSWORD,
      finess: [clinic.finessEt],
    });
    expect(onWebmail.statusCode, onWebmail.body).toBe(202);
    const other = await userByEmail("quelquun@gmail.com");
    expect((await membershipsOf(other?.id ?? ""))[0]?.status).toBe("pending");
  });

  it("refuses a weak password with WEAK_PASSWORD naming the field", async () => {
    const response = await post("/api/auth/register", {
      email: "faible@chu-essai.fr",
      fullName: "Mot Faible",
      password: "motdepasse",
      finess: [],
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.code).toBe("WEAK_PASSWORD");
    expect(body.error.fields[0].field).toBe("password");
    expect(body.error.fields[0].message).toMatch(/au moins 12 caractères/);
    expect(await userByEmail("faible@chu-essai.fr")).toBeUndefined();
  });

  it("names every invalid or unknown FINESS number by its rank", async () => {
    const unknown = withFinessCheckDigit("99999999");
    const response = await post("/api/auth/register", {
      email: "finess@chu-essai.fr",
      fullName: "Finess Faux",
      password: PASSWORD,
      finess: [chu.finessEt, "12345", "123456789", unknown],
    });
    expect(response.statusCode).toBe(400);
    const body = response.json();
    expect(body.error.code).toBe("VALIDATION_FAILED");
    const fields = body.error.fields as { field: string; message: string }[];
    expect(fields.map((f) => f.field)).toEqual(["finess.1", "finess.2", "finess.3"]);
    expect(fields[0]?.message).toMatch(/9 caractères/);
    expect(fields[1]?.message).toMatch(/clé de contrôle/);
    expect(fields[2]?.message).toContain(unknown);
    expect(await userByEmail("finess@chu-essai.fr")).toBeUndefined();
  });

  it("answers 202 for a known address without a second account, and mails its owner", async () => {
    const existing = await createUser(t.database.db, "declarant", { email: "deja@chu-essai.fr" });
    const response = await post("/api/auth/register", {
      email: "deja@chu-essai.fr",
      fullName: "Usurpateur",
      password: PASSWORD,
      finess: [],
    });
    expect(response.statusCode, response.body).toBe(202);
    const after = await userByEmail("deja@chu-essai.fr");
    expect(after?.full_name).toBe(existing.full_name);
    expect(after?.password_hash).toBe(existing.password_hash);
    const mails = await mailsTo("deja@chu-essai.fr");
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toContain("déjà un compte");
    expect(await auditActions(existing.id)).toContain("account.registered:failure");
  });

  it("rejects a malformed e-mail with a French message naming the field", async () => {
    const response = await post("/api/auth/register", {
      email: "pas-une-adresse",
      fullName: "X Y",
      password: PASSWORD,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields[0]).toMatchObject({
      field: "email",
      message: "Adresse électronique invalide.",
    });
  });
});

describe("POST /api/auth/verify-email", () => {
  it("verifies the address once, then the declarant can sign in", async () => {
    const email = "verif@chu-essai.fr";
    await post("/api/auth/register", {
      email,
      fullName: "Vérif Iée",
      password: PASSWORD,
      finess: [chu.finessEt],
    });
    const before = await post("/api/auth/login", { email, password: PASSWORD });
    expect(before.json().error.code).toBe("EMAIL_NOT_VERIFIED");

    const token = await latestToken(email, "/verifier-courriel");
    const first = await post("/api/auth/verify-email", { token });
    expect(first.statusCode, first.body).toBe(200);
    const user = await userByEmail(email);
    expect(user?.email_verified_at).toBeInstanceOf(Date);
    expect(await auditActions(user?.id ?? "")).toContain("account.email_verified:success");

    const again = await post("/api/auth/verify-email", { token });
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe("TOKEN_INVALID");

    const login = await post("/api/auth/login", { email, password: PASSWORD });
    expect(login.statusCode, login.body).toBe(200);
    expect(login.json().stage).toBe("authenticated");
  });

  it("refuses an expired link (48 hours) and an unknown one", async () => {
    const email = "expire@chu-essai.fr";
    await post("/api/auth/register", { email, fullName: "Lien Expiré", password: PASSWORD, finess: [] });
    const token = await latestToken(email, "/verifier-courriel");
    t.clock.advance(48 * 3_600_000 + 1_000);
    const late = await post("/api/auth/verify-email", { token });
    expect(late.statusCode).toBe(400);
    expect(late.json().error.code).toBe("TOKEN_INVALID");
    expect((await userByEmail(email))?.email_verified_at).toBeNull();

    const unknown = await post("/api/auth/verify-email", { token: "inconnu-inconnu-inconnu" });
    expect(unknown.json().error.code).toBe("TOKEN_INVALID");

    // A new link can be asked for; it works.
    const resend = await post("/api/auth/resend-verification", { email });
    expect(resend.statusCode).toBe(202);
    const fresh = await latestToken(email, "/verifier-courriel");
    expect(fresh).not.toBe(token);
    const ok = await post("/api/auth/verify-email", { token: fresh });
    expect(ok.statusCode, ok.body).toBe(200);
  });

  it("resend answers the same for unknown and verified addresses, and sends nothing", async () => {
    const unknown = await post("/api/auth/resend-verification", { email: "personne@nulle-part.fr" });
    const verified = await post("/api/auth/resend-verification", { email: "verif@chu-essai.fr" });
    expect(unknown.statusCode).toBe(202);
    expect(verified.statusCode).toBe(202);
    expect(unknown.json()).toEqual(verified.json());
    expect(await mailsTo("personne@nulle-part.fr")).toHaveLength(0);
    expect(await mailsTo("verif@chu-essai.fr")).toHaveLength(1);
  });

  it("caps the links mailed to one address per hour", async () => {
    const email = "quota@chu-essai.fr";
    await post("/api/auth/register", { email, fullName: "Quota Atteint", password: PASSWORD, finess: [] });
    for (let i = 0; i < 5; i++) await post("/api/auth/resend-verification", { email });
    expect(await mailsTo(email)).toHaveLength(3);
  });
});

describe("password reset", () => {
  it("sets a new password with the link, ends sessions, clears the lock, and the link works once", async () => {
    const user = await createUser(t.database.db, "declarant", { email: "oubli@chu-essai.fr" });
    const oldLogin = await post("/api/auth/login", { email: user.email, password: TEST_PASSWORD });
    expect(oldLogin.statusCode).toBe(200);
    await t.database.db
      .updateTable("users")
      .set({ failed_login_count: 3, locked_until: new Date(t.clock.now.getTime() + 600_000) })
      .where("id", "=", user.id)
      .execute();

    const request = await post("/api/auth/password-reset/request", { email: "OUBLI@chu-essai.fr" });
    expect(request.statusCode).toBe(202);
    const token = await latestToken(user.email, "/reinitialiser-mot-de-passe");

    const weak = await post("/api/auth/password-reset/confirm", { token, password: "azertyuiop" });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.code).toBe("WEAK_PASSWORD");

    const newPassword = "Riviere-Calme-Au-Petit-Matin";
    const confirm = await post("/api/auth/password-reset/confirm", { token, password: newPassword });
    expect(confirm.statusCode, confirm.body).toBe(200);
    const sessions = await t.database.db
      .selectFrom("sessions")
      .select("id")
      .where("user_id", "=", user.id)
      .execute();
    expect(sessions).toHaveLength(0);
    const after = await userByEmail(user.email);
    expect(after).toMatchObject({ failed_login_count: 0, locked_until: null });

    const reused = await post("/api/auth/password-reset/confirm", {
      token,
      password: "Une-Autre-Phrase-De-Passe-9",
    });
    expect(reused.json().error.code).toBe("TOKEN_INVALID");

    expect((await post("/api/auth/login", { email: user.email, password: TEST_PASSWORD })).statusCode).toBe(
      401,
    );
    expect((await post("/api/auth/login", { email: user.email, password: newPassword })).statusCode).toBe(
      200,
    );
    const subjects = (await mailsTo(user.email)).map((m) => m.subject);
    expect(subjects.some((s) => s.includes("a été modifié"))).toBe(true);
    expect(await auditActions(user.id)).toEqual(
      expect.arrayContaining(["account.password_reset_requested:success", "account.password_reset:success"]),
    );
  });

  it("applies the policy of the account's role (16 characters for the CERT)", async () => {
    const analyst = await createUser(t.database.db, "cert_analyst", { email: "analyste@cert-essai.fr" });
    await post("/api/auth/password-reset/request", { email: analyst.email });
    const token = await latestToken(analyst.email, "/reinitialiser-mot-de-passe");
    const short = await post("/api/auth/password-reset/confirm", { token, password: "Treize-Lettres" });
    expect(short.json().error.code).toBe("WEAK_PASSWORD");
    expect(short.json().error.fields[0].message).toMatch(/16 caractères/);
  });

  it("expires after one hour and answers unknown addresses like known ones", async () => {
    const user = await createUser(t.database.db, "declarant", { email: "lent@chu-essai.fr" });
    const known = await post("/api/auth/password-reset/request", { email: user.email });
    const unknown = await post("/api/auth/password-reset/request", { email: "inconnu@chu-essai.fr" });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.json()).toEqual(known.json());
    expect(await mailsTo("inconnu@chu-essai.fr")).toHaveLength(0);

    const token = await latestToken(user.email, "/reinitialiser-mot-de-passe");
    t.clock.advance(3_600_000 + 1_000);
    const late = await post("/api/auth/password-reset/confirm", {
      token,
      password: "Riviere-Calme-Au-Petit-Matin",
    });
    expect(late.json().error.code).toBe("TOKEN_INVALID");
  });

  it("sends nothing to a disabled account", async () => {
    const user = await createUser(t.database.db, "declarant", {
      email: "desactive@chu-essai.fr",
      disabled: true,
    });
    const response = await post("/api/auth/password-reset/request", { email: user.email });
    expect(response.statusCode).toBe(202);
    expect(await mailsTo(user.email)).toHaveLength(0);
  });
});
