import { randomUUID } from "node:crypto";
import { seedReflexSheets, startSession } from "@vigie/core";
import { caseJournalRepo } from "@vigie/db";
import {
  createStructure,
  createTestApp,
  createUser,
  multipartBody,
  sampleFiles,
  type TestApp,
  type TestUser,
} from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSRF_HEADER, SESSION_COOKIE } from "../plugins/auth.ts";

let t: TestApp;
let structure: Awaited<ReturnType<typeof createStructure>>;
let declarant: TestUser;
let analyst: TestUser;
let ars: TestUser;

/** Tuesday 10 March 2026, 10:00 in Paris. */
const START = new Date("2026-03-10T09:00:00Z");
const MINUTE = 60_000;
const RED_NOTE = "Source sensible : l'attaquant est connu du CERT (ne pas diffuser).";

async function sessionOf(user: TestUser): Promise<Record<string, string>> {
  const started = await startSession(
    t.database.db,
    user,
    { ttlHours: 24 * 30, mfaAlreadySatisfied: true },
    t.clock.now,
  );
  return { cookie: `${SESSION_COOKIE}=${started.cookieValue}`, [CSRF_HEADER]: started.csrfToken };
}

function declaration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    idempotencyKey: randomUUID(),
    finess: [structure.finessEt],
    declarant: { fullName: "Claire Martin", email: "claire.martin@ch-journal.test", phone: "0123456789" },
    title: "Rançongiciel sur les serveurs de fichiers",
    description: "Fichiers chiffrés et note de rançon sur les partages du service.",
    detectedAt: "2026-03-10T07:30:00+01:00",
    operationalImpact: "degraded_support",
    stateAtDeclaration: "in_progress",
    supportRequested: false,
    ...overrides,
  };
}

async function declare(
  overrides: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ id: string; reference: string; followUrl: string }> {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/declarations",
    headers,
    payload: declaration(overrides),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function post(user: TestUser, url: string, payload: Record<string, unknown>) {
  return t.app.inject({ method: "POST", url, headers: await sessionOf(user), payload });
}

async function get(user: TestUser, url: string) {
  return t.app.inject({ method: "GET", url, headers: await sessionOf(user) });
}

async function journalOf(id: string) {
  const response = await get(analyst, `/api/cases/${id}/journal`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as {
    id: string;
    at: string;
    kind: string;
    actor: string;
    field: string | null;
    oldValue: unknown;
    newValue: unknown;
    body: string | null;
    tlp: string | null;
    attachments: { fileName: string }[];
  }[];
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = START;
  const db = t.database.db;
  structure = await createStructure(db, { name: "Centre hospitalier du Journal" });
  declarant = await createUser(db, "declarant", { structureIds: [structure.id] });
  analyst = await createUser(db, "cert_analyst");
  ars = await createUser(db, "ars", { regionCode: structure.regionCode });
  await seedReflexSheets(db, t.clock.now);
});
afterAll(async () => {
  await t?.close();
});

describe(`a case's journal (${process.env.VIGIE_TEST_DATABASE ?? "pglite"})`, () => {
  it("is the union of the thread, status history, files, sheets and journal rows, oldest first", async () => {
    t.clock.now = START;
    const key = randomUUID();
    const file = multipartBody([{ fileName: "rancon.txt", data: sampleFiles.text("note de rançon") }]);
    const uploaded = await t.app.inject({
      method: "POST",
      url: `/api/attachments?pendingKey=${key}`,
      headers: { ...file.headers, ...(await sessionOf(declarant)) },
      payload: file.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const receipt = await declare({ idempotencyKey: key, tlp: "green" }, await sessionOf(declarant));

    t.clock.advance(MINUTE);
    const message = await post(analyst, `/api/declarations/${receipt.id}/messages`, {
      body: "Avez-vous isolé les serveurs touchés ?",
    });
    expect(message.statusCode, message.body).toBe(201);
    expect(message.json().tlp).toBe("green");

    t.clock.advance(MINUTE);
    const status = await post(analyst, `/api/declarations/${receipt.id}/status`, {
      status: "in_progress",
      comment: "Prise en charge par l'équipe d'astreinte.",
    });
    expect(status.statusCode, status.body).toBe(200);

    t.clock.advance(MINUTE);
    const note = await post(analyst, `/api/cases/${receipt.id}/notes`, { body: RED_NOTE, tlp: "red" });
    expect(note.statusCode, note.body).toBe(201);
    expect(note.json()).toMatchObject({
      id: expect.stringMatching(/^note:\d+$/),
      kind: "note",
      body: RED_NOTE,
      tlp: "red",
      actor: expect.stringContaining(analyst.full_name),
      at: t.clock.now.toISOString(),
    });

    t.clock.advance(MINUTE);
    const fieldChangeAt = t.clock.now;
    await caseJournalRepo.insertJournalEntries(t.database.db, [
      {
        incident_id: receipt.id,
        at: fieldChangeAt,
        actor_user_id: analyst.id,
        actor_label: analyst.full_name,
        kind: "field_change",
        field: "tlp",
        old_value: JSON.stringify("green"),
        new_value: JSON.stringify("amber"),
      },
    ]);

    t.clock.advance(MINUTE);
    const sheet = await t.database.db
      .selectFrom("reflex_sheets")
      .select("id")
      .where("slug", "=", "rancongiciel-premiers-gestes")
      .executeTakeFirstOrThrow();
    const sent = await post(analyst, `/api/declarations/${receipt.id}/reflex-sheets`, { sheetId: sheet.id });
    expect(sent.statusCode, sent.body).toBe(201);

    const journal = await journalOf(receipt.id);
    expect(journal.map((e) => e.kind)).toEqual([
      "status_change",
      "attachment",
      "message",
      "status_change",
      "note",
      "field_change",
      "message",
      "reflex_sheet",
    ]);
    const [created, attachment, question, inProgress, redNote, fieldChange, recommendation, sheetLine] =
      journal;
    expect(created).toMatchObject({
      field: "status",
      oldValue: null,
      newValue: "new",
      at: START.toISOString(),
    });
    expect(attachment).toMatchObject({
      body: "rancon.txt",
      actor: declarant.full_name,
      attachments: [{ fileName: "rancon.txt" }],
      at: START.toISOString(),
    });
    expect(question).toMatchObject({
      id: `message:${message.json().id}`,
      body: "Avez-vous isolé les serveurs touchés ?",
      actor: analyst.full_name,
      tlp: "green",
      newValue: { messageKind: "message", authorKind: "cert" },
    });
    expect(inProgress).toMatchObject({
      oldValue: "new",
      newValue: "in_progress",
      body: "Prise en charge par l'équipe d'astreinte.",
    });
    expect(redNote).toMatchObject({ id: note.json().id, body: RED_NOTE, tlp: "red" });
    expect(fieldChange).toMatchObject({
      field: "tlp",
      oldValue: "green",
      newValue: "amber",
      at: fieldChangeAt.toISOString(),
    });
    expect(recommendation?.newValue).toEqual({ messageKind: "recommendation", authorKind: "cert" });
    expect(sheetLine).toMatchObject({
      actor: analyst.full_name,
      body: expect.stringContaining("rancongiciel-premiers-gestes, version 1"),
      tlp: "clear",
    });
    // Ids are unique and name their source.
    expect(new Set(journal.map((e) => e.id)).size).toBe(journal.length);
    for (const entry of journal) expect(entry.id.startsWith(`${entry.kind}:`)).toBe(true);
  });

  it("is the CERT's alone: the declarant and the ARS are refused, an unknown case is not found", async () => {
    const receipt = await declare({}, await sessionOf(declarant));
    expect((await get(declarant, `/api/cases/${receipt.id}/journal`)).statusCode).toBe(403);
    expect((await get(ars, `/api/cases/${receipt.id}/journal`)).statusCode).toBe(403);
    const unknown = await get(analyst, `/api/cases/${randomUUID()}/journal`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe("NOT_FOUND");
    const badId = await get(analyst, "/api/cases/pas-un-uuid/journal");
    expect(badId.statusCode).toBe(400);
  });
});

describe("internal notes", () => {
  it("never reach the declarant, signed in or through the follow link", async () => {
    const signedIn = await declare({}, await sessionOf(declarant));
    const anonymous = await declare({
      declarant: { fullName: "Paul Durand", email: "paul.durand@ch-journal.test", phone: "0123456789" },
    });
    for (const id of [signedIn.id, anonymous.id]) {
      const note = await post(analyst, `/api/cases/${id}/notes`, { body: `${RED_NOTE} ${id}`, tlp: "red" });
      expect(note.statusCode, note.body).toBe(201);
      const amber = await post(analyst, `/api/cases/${id}/notes`, { body: `Hypothèse interne ${id}` });
      expect(amber.statusCode, amber.body).toBe(201);
      expect(amber.json().tlp).toBe("amber");
    }

    const page = await get(declarant, `/api/declarations/${signedIn.id}`);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).not.toContain(RED_NOTE);
    expect(page.body).not.toContain("Hypothèse interne");
    expect(page.json().messages).toEqual([]);

    const token = anonymous.followUrl.split("/suivi/")[1] as string;
    const followed = await t.app.inject({ method: "GET", url: `/api/follow/${token}` });
    expect(followed.statusCode, followed.body).toBe(200);
    expect(followed.body).not.toContain(RED_NOTE);
    expect(followed.body).not.toContain("Hypothèse interne");

    // No e-mail tells anyone about a note.
    const mails = await t.database.db
      .selectFrom("mail_outbox")
      .select("text_body")
      .where("text_body", "like", "%Hypothèse interne%")
      .execute();
    expect(mails).toEqual([]);
    // But the CERT sees them in the journal, and the audit log records them without their text.
    const journal = await journalOf(anonymous.id);
    expect(journal.filter((e) => e.kind === "note").map((e) => e.tlp)).toEqual(["red", "amber"]);
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select(["action", "details"])
      .where("object_id", "=", anonymous.id)
      .where("action", "=", "case.note_added")
      .execute();
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain("Hypothèse interne");
  });

  it("refuses an empty note or an unknown TLP, naming the field", async () => {
    const receipt = await declare({}, await sessionOf(declarant));
    const empty = await post(analyst, `/api/cases/${receipt.id}/notes`, { body: "   " });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields).toEqual([{ field: "body", message: "La note est vide." }]);
    const tlp = await post(analyst, `/api/cases/${receipt.id}/notes`, { body: "Note", tlp: "noir" });
    expect(tlp.statusCode).toBe(400);
    expect(tlp.json().error.fields[0].field).toBe("tlp");
    expect((await post(declarant, `/api/cases/${receipt.id}/notes`, { body: "Note" })).statusCode).toBe(403);
  });
});

describe("TLP of messages", () => {
  it("refuses a TLP:RED message to the declarant, naming tlp, and keeps nothing of it", async () => {
    const receipt = await declare({}, await sessionOf(declarant));
    const red = await post(analyst, `/api/declarations/${receipt.id}/messages`, {
      body: "Information TLP:RED",
      tlp: "red",
    });
    expect(red.statusCode).toBe(400);
    expect(red.json().error).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: [
        {
          field: "tlp",
          message: "Un message TLP:RED ne quitte pas le CERT : enregistrez-le comme note interne.",
        },
      ],
    });
    const messages = await t.database.db
      .selectFrom("incident_messages")
      .select("id")
      .where("incident_id", "=", receipt.id)
      .execute();
    expect(messages).toEqual([]);
  });

  it("gives a CERT message the TLP chosen or the case's, and a declarant's message the case's", async () => {
    const receipt = await declare({ tlp: "amber_strict" }, await sessionOf(declarant));
    const byDefault = await post(analyst, `/api/declarations/${receipt.id}/messages`, { body: "Bonjour" });
    expect(byDefault.json().tlp).toBe("amber_strict");
    const chosen = await post(analyst, `/api/declarations/${receipt.id}/messages`, {
      body: "Indicateurs partageables",
      tlp: "green",
    });
    expect(chosen.statusCode, chosen.body).toBe(201);
    expect(chosen.json().tlp).toBe("green");
    const fromDeclarant = await post(declarant, `/api/declarations/${receipt.id}/messages`, {
      body: "Merci",
      tlp: "clear",
    });
    expect(fromDeclarant.statusCode, fromDeclarant.body).toBe(201);
    expect(fromDeclarant.json().tlp).toBe("amber_strict");
    const page = (await get(declarant, `/api/declarations/${receipt.id}`)).json();
    expect(page.messages.map((m: { tlp: string }) => m.tlp)).toEqual([
      "amber_strict",
      "green",
      "amber_strict",
    ]);
  });

  it("marks a CERT message of a TLP:RED case TLP:AMBER+STRICT unless told otherwise", async () => {
    const receipt = await declare({ tlp: "red" }, await sessionOf(declarant));
    const message = await post(analyst, `/api/declarations/${receipt.id}/messages`, { body: "Bien reçu" });
    expect(message.statusCode, message.body).toBe(201);
    expect(message.json().tlp).toBe("amber_strict");
  });
});

describe("technical support", () => {
  it("records support, marks the case and keeps the union of the authorities involved", async () => {
    t.clock.now = new Date(START.getTime() + 60 * MINUTE);
    const receipt = await declare({}, await sessionOf(declarant));
    const incident = () =>
      t.database.db
        .selectFrom("incidents")
        .select(["technical_support_provided", "authorities_involved"])
        .where("id", "=", receipt.id)
        .executeTakeFirstOrThrow();
    expect(await incident()).toEqual({ technical_support_provided: false, authorities_involved: [] });

    const first = await post(analyst, `/api/cases/${receipt.id}/support`, {
      kind: "remote",
      description: "Analyse des journaux du pare-feu à distance.",
      durationMinutes: 90,
      authoritiesInvolved: ["fssi"],
      performedAt: new Date(t.clock.now.getTime() - 30 * MINUTE).toISOString(),
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      kind: "remote",
      performedBy: analyst.full_name,
      durationMinutes: 90,
      authoritiesInvolved: ["fssi"],
      performedAt: new Date(t.clock.now.getTime() - 30 * MINUTE).toISOString(),
    });
    expect(await incident()).toEqual({ technical_support_provided: true, authorities_involved: ["fssi"] });

    t.clock.advance(MINUTE);
    const second = await post(analyst, `/api/cases/${receipt.id}/support`, {
      kind: "coordination",
      description: "Coordination avec l'ANSSI pour l'intervention sur site.",
      authoritiesInvolved: ["anssi", "fssi"],
    });
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json()).toMatchObject({ performedAt: t.clock.now.toISOString(), durationMinutes: null });
    t.clock.advance(MINUTE);
    const third = await post(analyst, `/api/cases/${receipt.id}/support`, {
      kind: "other",
      description: "Appel de suivi.",
    });
    expect(third.statusCode, third.body).toBe(201);
    expect(await incident()).toEqual({
      technical_support_provided: true,
      authorities_involved: ["anssi", "fssi"],
    });

    const list = await get(analyst, `/api/cases/${receipt.id}/support`);
    expect(list.statusCode).toBe(200);
    expect(list.json().map((s: { kind: string }) => s.kind)).toEqual(["remote", "coordination", "other"]);

    const journal = await journalOf(receipt.id);
    const support = journal.filter((e) => e.kind === "support");
    expect(support).toHaveLength(3);
    expect(support[1]).toMatchObject({
      body: "Coordination avec l'ANSSI pour l'intervention sur site.",
      newValue: { kind: "coordination", authoritiesInvolved: ["anssi", "fssi"] },
    });
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("object_id", "=", receipt.id)
      .where("action", "=", "case.support_recorded")
      .execute();
    expect(audit).toHaveLength(3);
  });

  it("refuses support in the future or incomplete, naming the fields", async () => {
    const receipt = await declare({}, await sessionOf(declarant));
    const future = await post(analyst, `/api/cases/${receipt.id}/support`, {
      kind: "onsite",
      description: "Intervention prévue demain.",
      performedAt: new Date(t.clock.now.getTime() + 24 * 60 * MINUTE).toISOString(),
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.fields).toEqual([
      { field: "performedAt", message: "La date de l'appui ne peut pas être dans le futur." },
    ]);
    const incomplete = await post(analyst, `/api/cases/${receipt.id}/support`, {
      kind: "teleportation",
      description: "",
      authoritiesInvolved: ["cnil"],
    });
    expect(incomplete.statusCode).toBe(400);
    const fields = (incomplete.json().error.fields as { field: string; message: string }[]).map(
      (f) => f.field,
    );
    expect(fields).toEqual(expect.arrayContaining(["kind", "description"]));
    expect(fields.some((f) => f.startsWith("authoritiesInvolved"))).toBe(true);
    expect(incomplete.json().error.fields).toContainEqual({
      field: "kind",
      message: "Nature d'appui inconnue.",
    });
    const row = await t.database.db
      .selectFrom("incidents")
      .select("technical_support_provided")
      .where("id", "=", receipt.id)
      .executeTakeFirstOrThrow();
    expect(row.technical_support_provided).toBe(false);
    expect((await get(ars, `/api/cases/${receipt.id}/support`)).statusCode).toBe(403);
  });
});
