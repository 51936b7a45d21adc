import { randomUUID } from "node:crypto";
import { startSession } from "@vigie/core";
import { createStructure, createTestApp, createUser, type TestApp, type TestUser } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSRF_HEADER, SESSION_COOKIE } from "../plugins/auth.ts";

// Events grouping declarations: reference, links, message to every declarant, shared analysis.
let t: TestApp;
let declarantA: TestUser;
let analyst: TestUser;
let ars: TestUser;
/** Two declarations of a phishing campaign (A by a declarant's account, B without an account) and a third. */
const declarations: Record<"a" | "b" | "c", { id: string; reference: string; followToken: string }> = {
  a: { id: "", reference: "", followToken: "" },
  b: { id: "", reference: "", followToken: "" },
  c: { id: "", reference: "", followToken: "" },
};
let eventId = "";
let eventReference = "";
let otherEventId = "";

/** Tuesday 10 March 2026, 10:00 in Paris. */
const TUESDAY = new Date("2026-03-10T09:00:00Z");

async function sessionOf(user: TestUser): Promise<Record<string, string>> {
  const started = await startSession(
    t.database.db,
    user,
    { ttlHours: 12, mfaAlreadySatisfied: true },
    t.clock.now,
  );
  return { cookie: `${SESSION_COOKIE}=${started.cookieValue}`, [CSRF_HEADER]: started.csrfToken };
}

async function call(
  user: TestUser | null,
  method: "GET" | "POST" | "PATCH" | "DELETE",
  url: string,
  payload?: Record<string, unknown>,
) {
  return t.app.inject({
    method,
    url,
    headers: user ? await sessionOf(user) : {},
    ...(payload ? { payload } : {}),
  });
}

async function declare(
  key: "a" | "b" | "c",
  finess: string,
  user: TestUser | null,
  email: string,
  title: string,
): Promise<void> {
  const response = await call(user, "POST", "/api/declarations", {
    idempotencyKey: randomUUID(),
    finess: [finess],
    declarant: { fullName: `Déclarant ${key.toUpperCase()}`, email, phone: "+33 1 23 45 67 89" },
    title,
    description: "Plusieurs agents ont reçu un courriel leur demandant leur mot de passe.",
    detectedAt: "2026-03-10T07:30:00+01:00",
    stateAtDeclaration: "in_progress",
    supportRequested: false,
    operationalImpact: "none",
  });
  expect(response.statusCode, response.body).toBe(201);
  const receipt = response.json();
  declarations[key] = {
    id: receipt.id,
    reference: receipt.reference,
    followToken: String(receipt.followUrl).split("/suivi/")[1] ?? "",
  };
}

function journalOf(incidentId: string) {
  return t.database.db
    .selectFrom("incident_journal")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .orderBy("id")
    .execute();
}

function mailsTo(address: string) {
  return t.database.db.selectFrom("mail_outbox").selectAll().where("to_address", "=", address).execute();
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = TUESDAY;
  const db = t.database.db;
  const meaux = await createStructure(db, { regionCode: "11", name: "Centre hospitalier de Meaux" });
  const lyon = await createStructure(db, {
    regionCode: "84",
    departmentCode: "69",
    name: "Clinique de Lyon",
  });
  declarantA = await createUser(db, "declarant", { structureIds: [meaux.id] });
  analyst = await createUser(db, "cert_analyst");
  ars = await createUser(db, "ars", { regionCode: "11" });
  await declare("a", meaux.finessEt, declarantA, "rssi@ch-meaux.test", "Hameçonnage de la messagerie");
  await declare("b", lyon.finessEt, null, "dsi@clinique-lyon.test", "Faux courriel de la DSI");
  await declare("c", lyon.finessEt, null, "autre@clinique-lyon.test", "Panne du logiciel de paie");
});
afterAll(async () => {
  await t?.close();
});

describe("events", () => {
  it("creates an event with the next reference of the Paris year, audited", async () => {
    const created = await call(analyst, "POST", "/api/events", {
      title: "Campagne d'hameçonnage « DSI »",
      analysis: "",
    });
    expect(created.statusCode, created.body).toBe(201);
    const event = created.json();
    expect(event).toMatchObject({
      reference: "EV-2026-0001",
      title: "Campagne d'hameçonnage « DSI »",
      tlp: "amber",
      status: "open",
      declarationCount: 0,
      declarations: [],
    });
    eventId = event.id;
    eventReference = event.reference;

    const second = await call(analyst, "POST", "/api/events", { title: "Panne d'un hébergeur" });
    expect(second.json().reference).toBe("EV-2026-0002");
    otherEventId = second.json().id;

    // 31 December 23:30 UTC is already 2027 in Paris: a new sequence.
    t.clock.now = new Date("2026-12-31T23:30:00Z");
    const nextYear = await call(analyst, "POST", "/api/events", { title: "Coupure nationale du DNS" });
    expect(nextYear.json().reference).toBe("EV-2027-0001");
    t.clock.now = TUESDAY;

    const audit = await t.database.db
      .selectFrom("audit_log")
      .select(["action", "object_id", "details"])
      .where("action", "=", "event.created")
      .execute();
    expect(audit.map((a) => a.object_id)).toContain(eventId);

    const invalid = await call(analyst, "POST", "/api/events", { title: "ab" });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.fields).toEqual([
      { field: "title", message: "Donnez un titre (3 caractères au moins)." },
    ]);
  });

  it("links declarations by reference (as typed) and by id, journaled on each", async () => {
    const typed = declarations.a.reference.toLowerCase().replace(/-0+/, " ").replace("-", " ");
    const linked = await call(analyst, "POST", `/api/events/${eventId}/declarations`, {
      declarations: [typed, declarations.b.id],
    });
    expect(linked.statusCode, linked.body).toBe(200);
    const view = linked.json();
    expect(view.declarationCount).toBe(2);
    expect(view.declarations.map((d: { reference: string }) => d.reference).sort()).toEqual(
      [declarations.a.reference, declarations.b.reference].sort(),
    );

    const rows = await t.database.db
      .selectFrom("incidents")
      .select(["id", "event_id"])
      .where("id", "in", [declarations.a.id, declarations.b.id, declarations.c.id])
      .execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, r.event_id]))).toEqual({
      [declarations.a.id]: eventId,
      [declarations.b.id]: eventId,
      [declarations.c.id]: null,
    });
    for (const key of ["a", "b"] as const) {
      const journal = await journalOf(declarations[key].id);
      expect(journal).toHaveLength(1);
      expect(journal[0]).toMatchObject({
        kind: "event_linked",
        ref_id: eventId,
        new_value: { reference: eventReference },
        actor_user_id: analyst.id,
      });
    }

    // Linking again what is already linked changes nothing and writes nothing.
    const again = await call(analyst, "POST", `/api/events/${eventId}/declarations`, {
      declarations: [declarations.a.reference],
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().declarationCount).toBe(2);
    expect(await journalOf(declarations.a.id)).toHaveLength(1);
  });

  it("names unknown declarations and those linked to another event, and links none of them", async () => {
    const unknown = await call(analyst, "POST", `/api/events/${otherEventId}/declarations`, {
      declarations: [declarations.c.reference, "CS-2026-999999", "n'importe quoi"],
    });
    expect(unknown.statusCode).toBe(400);
    const error = unknown.json().error;
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.fields).toHaveLength(1);
    expect(error.fields[0].field).toBe("declarations");
    expect(error.fields[0].message).toContain("CS-2026-999999");
    expect(error.fields[0].message).toContain("n'importe quoi");
    expect(error.fields[0].message).not.toContain(declarations.c.reference);

    const elsewhere = await call(analyst, "POST", `/api/events/${otherEventId}/declarations`, {
      declarations: [declarations.c.reference, declarations.a.reference],
    });
    expect(elsewhere.statusCode).toBe(400);
    const field = elsewhere.json().error.fields[0];
    expect(field.field).toBe("declarations");
    expect(field.message).toContain(declarations.a.reference);
    expect(field.message).toContain(eventReference);
    expect(field.message).toContain("détachez-la d'abord");

    const c = await t.database.db
      .selectFrom("incidents")
      .select("event_id")
      .where("id", "=", declarations.c.id)
      .executeTakeFirstOrThrow();
    expect(c.event_id).toBeNull();

    const empty = await call(analyst, "POST", `/api/events/${otherEventId}/declarations`, {
      declarations: [],
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields[0].field).toBe("declarations");

    const missing = await call(analyst, "POST", `/api/events/${randomUUID()}/declarations`, {
      declarations: [declarations.c.reference],
    });
    expect(missing.statusCode).toBe(404);
  });

  it("lists events with their counts, searched without accents, filtered by status", async () => {
    const found = await call(analyst, "GET", "/api/events?q=HAMECONNAGE%20dsi");
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json()).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    expect(found.json().items[0]).toMatchObject({ id: eventId, declarationCount: 2 });

    const byReference = await call(analyst, "GET", "/api/events?q=EV-2026-0002");
    expect(byReference.json().items.map((e: { id: string }) => e.id)).toEqual([otherEventId]);

    const heberg = await call(analyst, "GET", "/api/events?q=h%C3%A9berg");
    expect(heberg.json().items.map((e: { id: string }) => e.id)).toEqual([otherEventId]);

    const all = await call(analyst, "GET", "/api/events");
    expect(all.json().total).toBe(3);
    const closed = await call(analyst, "GET", "/api/events?status=closed");
    expect(closed.json()).toMatchObject({ total: 0, items: [] });
    const badStatus = await call(analyst, "GET", "/api/events?status=archived");
    expect(badStatus.statusCode).toBe(400);
  });

  it("writes to every declarant: one thread message each, marked with the event, one e-mail each", async () => {
    const red = await call(analyst, "POST", `/api/events/${eventId}/messages`, {
      body: "Indicateurs réservés au CERT.",
      tlp: "red",
    });
    expect(red.statusCode).toBe(400);
    expect(red.json().error.fields[0].field).toBe("tlp");

    const before = {
      a: (await mailsTo("rssi@ch-meaux.test")).length,
      b: (await mailsTo("dsi@clinique-lyon.test")).length,
      c: (await mailsTo("autre@clinique-lyon.test")).length,
    };
    const body = "Ne cliquez pas sur le lien du faux courriel de la DSI ; réinitialisez les mots de passe.";
    const sent = await call(analyst, "POST", `/api/events/${eventId}/messages`, {
      body,
      kind: "recommendation",
      tlp: "green",
    });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json()).toEqual({ sent: 2 });

    const messages = await t.database.db
      .selectFrom("incident_messages")
      .selectAll()
      .where("body", "=", body)
      .execute();
    expect(messages.map((m) => m.incident_id).sort()).toEqual([declarations.a.id, declarations.b.id].sort());
    for (const message of messages) {
      expect(message).toMatchObject({
        event_id: eventId,
        tlp: "green",
        kind: "recommendation",
        author_kind: "cert",
      });
    }
    expect((await mailsTo("rssi@ch-meaux.test")).length).toBe(before.a + 1);
    expect((await mailsTo("dsi@clinique-lyon.test")).length).toBe(before.b + 1);
    expect((await mailsTo("autre@clinique-lyon.test")).length).toBe(before.c);
    const [mail] = (await mailsTo("dsi@clinique-lyon.test")).slice(-1);
    expect(mail?.subject).toContain(declarations.b.reference);

    // The declarant reads it on their thread, from the CERT, with the event's reference.
    const read = await call(declarantA, "GET", `/api/declarations/${declarations.a.id}`);
    const message = read.json().messages.find((m: { body: string }) => m.body === body);
    expect(message).toMatchObject({ authorName: "CERT Santé", eventReference, tlp: "green" });
    const followed = await call(null, "GET", `/api/follow/${declarations.b.followToken}`);
    expect(followed.statusCode, followed.body).toBe(200);
    expect(followed.json().messages.find((m: { body: string }) => m.body === body)?.eventReference).toBe(
      eventReference,
    );

    const audit = await t.database.db
      .selectFrom("audit_log")
      .select("details")
      .where("action", "=", "event.message_sent")
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ reference: eventReference, tlp: "green" });

    const nobody = await call(analyst, "POST", `/api/events/${otherEventId}/messages`, { body: "Bonjour" });
    expect(nobody.statusCode).toBe(400);
  });

  it("shares the event's analysis with the declarants, never a TLP:RED one", async () => {
    const read = async () => (await call(declarantA, "GET", `/api/declarations/${declarations.a.id}`)).json();
    expect((await read()).sharedAnalysis).toBeNull();

    const analysis = "Campagne visant plusieurs établissements : l'expéditeur usurpe l'adresse de la DSI.";
    const patched = await call(analyst, "PATCH", `/api/events/${eventId}`, { analysis, tlp: "green" });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ analysis, tlp: "green" });
    const shared = { reference: eventReference, title: "Campagne d'hameçonnage « DSI »", analysis };
    expect((await read()).sharedAnalysis).toEqual(shared);
    const followed = await call(null, "GET", `/api/follow/${declarations.b.followToken}`);
    expect(followed.json().sharedAnalysis).toEqual(shared);
    const cert = await call(analyst, "GET", `/api/declarations/${declarations.a.id}`);
    expect(cert.json().sharedAnalysis).toEqual(shared);
    const unlinked = await call(analyst, "GET", `/api/declarations/${declarations.c.id}`);
    expect(unlinked.json().sharedAnalysis).toBeNull();

    await call(analyst, "PATCH", `/api/events/${eventId}`, { tlp: "red" });
    expect((await read()).sharedAnalysis).toBeNull();
    const followedRed = await call(null, "GET", `/api/follow/${declarations.b.followToken}`);
    expect(followedRed.json().sharedAnalysis).toBeNull();

    const audit = await t.database.db
      .selectFrom("audit_log")
      .select("details")
      .where("action", "=", "event.updated")
      .where("object_id", "=", eventId)
      .execute();
    expect(audit.map((a) => a.details)).toEqual([
      expect.objectContaining({
        changes: { analysis: { from: 0, to: analysis.length }, tlp: { from: "amber", to: "green" } },
      }),
      expect.objectContaining({ changes: { tlp: { from: "green", to: "red" } } }),
    ]);

    const nothing = await call(analyst, "PATCH", `/api/events/${eventId}`, {});
    expect(nothing.statusCode).toBe(400);
  });

  it("unlinks a declaration (journaled) and refuses links to a closed event", async () => {
    const unlinked = await call(
      analyst,
      "DELETE",
      `/api/events/${eventId}/declarations/${declarations.b.id}`,
    );
    expect(unlinked.statusCode, unlinked.body).toBe(200);
    expect(unlinked.json().declarations.map((d: { id: string }) => d.id)).toEqual([declarations.a.id]);
    const journal = await journalOf(declarations.b.id);
    expect(journal.map((j) => j.kind)).toEqual(["event_linked", "event_unlinked"]);
    expect(journal[1]).toMatchObject({ ref_id: eventId, new_value: { reference: eventReference } });
    const row = await t.database.db
      .selectFrom("incidents")
      .select("event_id")
      .where("id", "=", declarations.b.id)
      .executeTakeFirstOrThrow();
    expect(row.event_id).toBeNull();

    const twice = await call(analyst, "DELETE", `/api/events/${eventId}/declarations/${declarations.b.id}`);
    expect(twice.statusCode).toBe(404);

    // Unlinked, B can join another event.
    const moved = await call(analyst, "POST", `/api/events/${otherEventId}/declarations`, {
      declarations: [declarations.b.reference],
    });
    expect(moved.statusCode, moved.body).toBe(200);

    const closed = await call(analyst, "PATCH", `/api/events/${eventId}`, { status: "closed" });
    expect(closed.json().status).toBe("closed");
    const refused = await call(analyst, "POST", `/api/events/${eventId}/declarations`, {
      declarations: [declarations.c.reference],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields[0]).toMatchObject({ field: "declarations" });
    expect(refused.json().error.fields[0].message).toContain("clos");

    const listed = await call(analyst, "GET", "/api/events?status=closed");
    expect(listed.json().items).toEqual([expect.objectContaining({ id: eventId, declarationCount: 1 })]);
  });

  it("is the CERT's: a declarant or an ARS is forbidden", async () => {
    for (const user of [declarantA, ars]) {
      const list = await call(user, "GET", "/api/events");
      expect(list.statusCode).toBe(403);
      const read = await call(user, "GET", `/api/events/${eventId}`);
      expect(read.statusCode).toBe(403);
      const create = await call(user, "POST", "/api/events", { title: "Tentative" });
      expect(create.statusCode).toBe(403);
      const message = await call(user, "POST", `/api/events/${otherEventId}/messages`, { body: "Bonjour" });
      expect(message.statusCode).toBe(403);
    }
    const anonymous = await call(null, "GET", "/api/events");
    expect(anonymous.statusCode).toBe(401);
    const count = await t.database.db
      .selectFrom("events")
      .select((eb) => eb.fn.countAll<string>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
  });
});
