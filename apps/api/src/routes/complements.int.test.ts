import { randomUUID } from "node:crypto";
import { loadConfig } from "@vigie/config";
import { declarationSettingsFrom, remindComplements, startSession } from "@vigie/core";
import { createStructure, createTestApp, createUser, type TestApp, type TestUser } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSRF_HEADER, SESSION_COOKIE } from "../plugins/auth.ts";

let t: TestApp;
let structure: Awaited<ReturnType<typeof createStructure>>;
let analyst: TestUser;

/** Tuesday 10 March 2026, 10:00 in Paris. */
const START = new Date("2026-03-10T09:00:00Z");
const DAY = 24 * 60 * 60_000;
const QUESTION = "Quel est le numéro de version exact du VPN exposé ? (détail sensible)";
const settings = declarationSettingsFrom(loadConfig({ NODE_ENV: "test" }));

const at = (base: Date, days: number) => new Date(base.getTime() + days * DAY);

async function sessionOf(user: TestUser): Promise<Record<string, string>> {
  const started = await startSession(
    t.database.db,
    user,
    { ttlHours: 24 * 365, mfaAlreadySatisfied: true },
    t.clock.now,
  );
  return { cookie: `${SESSION_COOKIE}=${started.cookieValue}`, [CSRF_HEADER]: started.csrfToken };
}

/** A declaration made without an account: its follow link's token and the declarant's address. */
async function declareAnonymously(): Promise<{
  id: string;
  token: string;
  email: string;
  followUrl: string;
}> {
  const email = `rssi.${randomUUID().slice(0, 8)}@ch-complements.test`;
  const response = await t.app.inject({
    method: "POST",
    url: "/api/declarations",
    payload: {
      idempotencyKey: randomUUID(),
      finess: [structure.finessEt],
      declarant: { fullName: "Hélène Roux", email, phone: "0123456789" },
      title: "Connexions VPN suspectes",
      description: "Connexions VPN répétées depuis l'étranger sur des comptes de service.",
      detectedAt: "2026-03-10T07:30:00+01:00",
      operationalImpact: "none",
      stateAtDeclaration: "in_progress",
      supportRequested: false,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  const receipt = response.json() as { id: string; followUrl: string };
  return {
    id: receipt.id,
    token: receipt.followUrl.split("/suivi/")[1] as string,
    email,
    followUrl: receipt.followUrl,
  };
}

async function ask(incidentId: string, extra: Record<string, unknown> = {}) {
  return t.app.inject({
    method: "POST",
    url: `/api/declarations/${incidentId}/messages`,
    headers: await sessionOf(analyst),
    payload: { kind: "question", body: QUESTION, ...extra },
  });
}

/** Answers what is open on a declaration (so the reminder runs of later tests see only theirs). */
async function answerThroughLink(token: string): Promise<void> {
  const response = await t.app.inject({
    method: "POST",
    url: `/api/follow/${token}/messages`,
    payload: { kind: "answer", body: "Réponse." },
  });
  expect(response.statusCode, response.body).toBe(201);
}

function requestsOf(incidentId: string) {
  return t.database.db
    .selectFrom("complement_requests")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .orderBy("requested_at")
    .execute();
}

function incident(incidentId: string) {
  return t.database.db
    .selectFrom("incidents")
    .select(["status", "complement_requested_at", "complement_answered_at"])
    .where("id", "=", incidentId)
    .executeTakeFirstOrThrow();
}

function mailsTo(address: string) {
  return t.database.db
    .selectFrom("mail_outbox")
    .selectAll()
    .where("to_address", "=", address)
    .orderBy("created_at")
    .execute();
}

async function journalKinds(
  incidentId: string,
): Promise<{ kind: string; actor: string; newValue: unknown }[]> {
  const response = await t.app.inject({
    method: "GET",
    url: `/api/cases/${incidentId}/journal`,
    headers: await sessionOf(analyst),
  });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { kind: string; actor: string; newValue: unknown }[]).filter((e) =>
    e.kind.startsWith("complement_"),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = START;
  structure = await createStructure(t.database.db, { name: "Centre hospitalier des Compléments" });
  analyst = await createUser(t.database.db, "cert_analyst");
});
afterAll(async () => {
  await t?.close();
});

describe(`requests for complements (${process.env.VIGIE_TEST_DATABASE ?? "pglite"})`, () => {
  it("a question opens a request due in COMPLEMENT_DUE_DAYS; an answer through the follow link closes it", async () => {
    t.clock.now = START;
    const declared = await declareAnonymously();
    const asked = await ask(declared.id);
    expect(asked.statusCode, asked.body).toBe(201);

    const [request] = await requestsOf(declared.id);
    expect(request).toMatchObject({
      question_message_id: asked.json().id,
      requested_by_user_id: analyst.id,
      status: "open",
      reminders_sent: 0,
      answered_at: null,
    });
    expect(new Date(request?.requested_at as Date).toISOString()).toBe(START.toISOString());
    expect(new Date(request?.due_at as Date).toISOString()).toBe(at(START, 7).toISOString());
    expect(await incident(declared.id)).toMatchObject({
      status: "waiting_declarant",
      complement_answered_at: null,
    });
    expect(new Date((await incident(declared.id)).complement_requested_at as Date).toISOString()).toBe(
      START.toISOString(),
    );

    t.clock.now = at(START, 1);
    const answer = await t.app.inject({
      method: "POST",
      url: `/api/follow/${declared.token}/messages`,
      payload: { kind: "answer", body: "Version 9.1.4, mise à jour en cours." },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    const [answered] = await requestsOf(declared.id);
    expect(answered).toMatchObject({ status: "answered", answer_message_id: answer.json().id });
    expect(new Date(answered?.answered_at as Date).toISOString()).toBe(t.clock.now.toISOString());
    const row = await incident(declared.id);
    expect(row.status).toBe("in_progress");
    expect(new Date(row.complement_answered_at as Date).toISOString()).toBe(t.clock.now.toISOString());

    expect(await journalKinds(declared.id)).toMatchObject([
      {
        kind: "complement_requested",
        actor: expect.stringContaining(analyst.full_name),
        newValue: { dueAt: at(START, 7).toISOString() },
      },
      { kind: "complement_answered", actor: "Hélène Roux", newValue: expect.any(Object) },
    ]);

    // An answered request is neither reminded nor expired.
    const report = await remindComplements(t.database.db, settings, at(START, 30));
    expect(report).toMatchObject({ reminded: 0, neverAnswered: 0 });
    expect((await requestsOf(declared.id))[0]?.status).toBe("answered");
  });

  it("takes the analyst's due date, which must be in the future; only a question has one", async () => {
    t.clock.now = START;
    const declared = await declareAnonymously();
    const past = await ask(declared.id, { dueAt: "2026-03-09T12:00:00+01:00" });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.fields).toEqual([
      { field: "dueAt", message: "L'échéance de la réponse doit être dans le futur." },
    ]);
    const notAQuestion = await t.app.inject({
      method: "POST",
      url: `/api/declarations/${declared.id}/messages`,
      headers: await sessionOf(analyst),
      payload: { kind: "message", body: "Pour information", dueAt: "2026-03-20T12:00:00+01:00" },
    });
    expect(notAQuestion.statusCode).toBe(400);
    expect(notAQuestion.json().error.fields[0].field).toBe("dueAt");
    const malformed = await ask(declared.id, { dueAt: "demain" });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.fields[0].field).toBe("dueAt");
    expect(await requestsOf(declared.id)).toEqual([]);

    const chosen = await ask(declared.id, { dueAt: "2026-03-12T18:00:00+01:00" });
    expect(chosen.statusCode, chosen.body).toBe(201);
    const [request] = await requestsOf(declared.id);
    expect(new Date(request?.due_at as Date).toISOString()).toBe("2026-03-12T17:00:00.000Z");
    await answerThroughLink(declared.token);
  });

  it("reminds on days 2 and 7, records never answered on day 14, idempotently; a late answer still counts", async () => {
    t.clock.now = START;
    const declared = await declareAnonymously();
    expect((await ask(declared.id)).statusCode).toBe(201);
    const mailsBefore = (await mailsTo(declared.email)).length;

    expect(await remindComplements(t.database.db, settings, at(START, 1))).toMatchObject({ reminded: 0 });
    expect((await requestsOf(declared.id))[0]?.reminders_sent).toBe(0);

    // Day 2: first reminder; two workers running at once send it once.
    const day2 = at(START, 2);
    const [a, b] = await Promise.all([
      remindComplements(t.database.db, settings, day2),
      remindComplements(t.database.db, settings, day2),
    ]);
    expect(a.reminded + b.reminded).toBe(1);
    expect(await remindComplements(t.database.db, settings, day2)).toMatchObject({ reminded: 0 });
    let [request] = await requestsOf(declared.id);
    expect(request).toMatchObject({ status: "open", reminders_sent: 1 });
    expect(new Date(request?.last_reminded_at as Date).toISOString()).toBe(day2.toISOString());
    let mails = await mailsTo(declared.email);
    expect(mails).toHaveLength(mailsBefore + 1);
    const reminder = mails.at(-1);
    expect(reminder?.subject).toContain("rappel");
    expect(reminder?.text_body).toContain(declared.followUrl);
    expect(reminder?.text_body).toContain("au plus tard le mardi 17 mars 2026");
    expect(reminder?.text_body).not.toContain("VPN");

    // Day 6: nothing new; day 7: second reminder (the due date has passed by then).
    expect(await remindComplements(t.database.db, settings, at(START, 6))).toMatchObject({ reminded: 0 });
    const day7 = at(START, 7);
    expect(await remindComplements(t.database.db, settings, day7)).toMatchObject({ reminded: 1 });
    expect(await remindComplements(t.database.db, settings, day7)).toMatchObject({ reminded: 0 });
    [request] = await requestsOf(declared.id);
    expect(request).toMatchObject({ status: "open", reminders_sent: 2 });
    mails = await mailsTo(declared.email);
    expect(mails).toHaveLength(mailsBefore + 2);
    expect(mails.at(-1)?.text_body).toContain("était attendue le mardi 17 mars 2026");

    // Day 13: no third reminder; day 14: never answered, once.
    expect(await remindComplements(t.database.db, settings, at(START, 13))).toMatchObject({
      reminded: 0,
      neverAnswered: 0,
    });
    const day14 = at(START, 14);
    const [x, y] = await Promise.all([
      remindComplements(t.database.db, settings, day14),
      remindComplements(t.database.db, settings, day14),
    ]);
    expect(x.neverAnswered + y.neverAnswered).toBe(1);
    expect(await remindComplements(t.database.db, settings, day14)).toMatchObject({ neverAnswered: 0 });
    [request] = await requestsOf(declared.id);
    expect(request).toMatchObject({ status: "never_answered", reminders_sent: 2 });
    expect(new Date(request?.expired_at as Date).toISOString()).toBe(day14.toISOString());
    expect((await incident(declared.id)).complement_answered_at).toBeNull();
    expect(await mailsTo(declared.email)).toHaveLength(mailsBefore + 2);

    const journal = await journalKinds(declared.id);
    expect(journal.map((e) => [e.kind, e.actor])).toEqual([
      ["complement_requested", expect.stringContaining(analyst.full_name)],
      ["complement_reminder", "Vigie"],
      ["complement_reminder", "Vigie"],
      ["complement_never_answered", "Vigie"],
    ]);

    // A late message of the declarant still answers it.
    t.clock.now = at(START, 20);
    const late = await t.app.inject({
      method: "POST",
      url: `/api/follow/${declared.token}/messages`,
      payload: { body: "Désolée pour le retard : version 9.1.4." },
    });
    expect(late.statusCode, late.body).toBe(201);
    [request] = await requestsOf(declared.id);
    expect(request).toMatchObject({ status: "answered", answer_message_id: late.json().id });
    expect(new Date((await incident(declared.id)).complement_answered_at as Date).toISOString()).toBe(
      t.clock.now.toISOString(),
    );
  });

  it("answers every open request at once; a new question reopens the case's complements", async () => {
    t.clock.now = START;
    const declared = await declareAnonymously();
    expect((await ask(declared.id)).statusCode).toBe(201);
    t.clock.now = at(START, 1);
    expect((await ask(declared.id, { body: "Et le nombre de comptes touchés ?" })).statusCode).toBe(201);
    expect((await requestsOf(declared.id)).map((r) => r.status)).toEqual(["open", "open"]);

    t.clock.now = at(START, 2);
    const answer = await t.app.inject({
      method: "POST",
      url: `/api/follow/${declared.token}/messages`,
      payload: { kind: "answer", body: "9.1.4, et trois comptes." },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    expect((await requestsOf(declared.id)).map((r) => r.status)).toEqual(["answered", "answered"]);
    expect((await incident(declared.id)).complement_answered_at).not.toBeNull();

    t.clock.now = at(START, 3);
    expect((await ask(declared.id, { body: "Les journaux du VPN sont-ils conservés ?" })).statusCode).toBe(
      201,
    );
    const row = await incident(declared.id);
    expect(row.complement_answered_at).toBeNull();
    // The exchange format's complement_requested_at stays the first request.
    expect(new Date(row.complement_requested_at as Date).toISOString()).toBe(START.toISOString());
    await answerThroughLink(declared.token);
  });

  it("cancels the open requests of a closed case instead of reminding", async () => {
    t.clock.now = START;
    const declared = await declareAnonymously();
    expect((await ask(declared.id)).statusCode).toBe(201);
    const mailsBefore = (await mailsTo(declared.email)).length;
    await t.database.db
      .updateTable("incidents")
      .set({ status: "closed" })
      .where("id", "=", declared.id)
      .execute();

    const report = await remindComplements(t.database.db, settings, at(START, 2));
    expect(report.cancelled).toBe(1);
    expect(report.reminded).toBe(0);
    expect((await requestsOf(declared.id))[0]?.status).toBe("cancelled");
    expect(await mailsTo(declared.email)).toHaveLength(mailsBefore);
    expect(await remindComplements(t.database.db, settings, at(START, 14))).toMatchObject({
      cancelled: 0,
      neverAnswered: 0,
    });
    expect((await requestsOf(declared.id))[0]?.status).toBe("cancelled");
  });
});
