import { randomUUID } from "node:crypto";
import { startSession } from "@vigie/core";
import { createStructure, createTestApp, createUser, type TestApp, type TestUser } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSRF_HEADER, SESSION_COOKIE } from "../plugins/auth.ts";

// The CERT's queue on GET /api/declarations: filters, full-text search, sort, counters, scope.
let t: TestApp;
let declarantA: TestUser;
let declarantB: TestUser;
let analyst: TestUser;
let arsAra: TestUser;
const ids: Record<string, string> = {};
const references: Record<string, string> = {};

/** Tuesday 10 March 2026, 10:00 in Paris. */
const TUESDAY = new Date("2026-03-10T09:00:00Z");
/** Saturday 14 March 2026, 23:30 in Paris (out of hours). */
const SATURDAY_NIGHT = new Date("2026-03-14T22:30:00Z");

async function sessionOf(user: TestUser): Promise<Record<string, string>> {
  const started = await startSession(
    t.database.db,
    user,
    { ttlHours: 12, mfaAlreadySatisfied: true },
    t.clock.now,
  );
  return { cookie: `${SESSION_COOKIE}=${started.cookieValue}`, [CSRF_HEADER]: started.csrfToken };
}

async function declare(name: string, finess: string, user: TestUser, fields: Record<string, unknown>) {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/declarations",
    headers: await sessionOf(user),
    payload: {
      idempotencyKey: randomUUID(),
      finess: [finess],
      declarant: {
        fullName: "Claire Martin",
        email: "claire.martin@ch-essai.test",
        phone: "+33 1 23 45 67 89",
      },
      detectedAt: "2026-03-10T07:30:00+01:00",
      stateAtDeclaration: "in_progress",
      supportRequested: false,
      operationalImpact: "none",
      ...fields,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  ids[name] = response.json().id;
  references[name] = response.json().reference;
}

async function list(user: TestUser, query: string) {
  const response = await t.app.inject({
    method: "GET",
    url: `/api/declarations?${query}`,
    headers: await sessionOf(user),
  });
  return response;
}

async function namesOf(user: TestUser, query: string): Promise<string[]> {
  const response = await list(user, query);
  expect(response.statusCode, response.body).toBe(200);
  const byId = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
  return response.json().items.map((item: { id: string }) => byId.get(item.id));
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = TUESDAY;
  const db = t.database.db;
  const meaux = await createStructure(db, { regionCode: "11", name: "Centre hospitalier de Meaux" });
  const lyon = await createStructure(db, {
    regionCode: "84",
    departmentCode: "69",
    name: "Clinique Saint-Joseph de Lyon",
    structureType: "es_private_forprofit",
    town: "LYON",
  });
  declarantA = await createUser(db, "declarant", { structureIds: [meaux.id] });
  declarantB = await createUser(db, "declarant", { structureIds: [lyon.id] });
  analyst = await createUser(db, "cert_analyst");
  arsAra = await createUser(db, "ars", { regionCode: "84" });

  await declare("ransom", meaux.finessEt, declarantA, {
    title: "Rançongiciel sur les serveurs",
    description: "Message de rançon affiché sur les serveurs de fichiers, partages chiffrés.",
    proposedOrigin: "malicious",
    proposedMaliciousTypes: ["ransomware"],
    operationalImpact: "care_interrupted",
    supportRequested: true,
  });
  t.clock.now = new Date("2026-03-11T09:00:00Z");
  await declare("phishing", lyon.finessEt, declarantB, {
    title: "Hameçonnage de la messagerie",
    description: "Plusieurs comptes ont saisi leur mot de passe sur une fausse page.",
    proposedOrigin: "malicious",
    proposedMaliciousTypes: ["account_compromise", "malicious_message"],
  });
  t.clock.now = new Date("2026-03-12T09:00:00Z");
  await declare("support", lyon.finessEt, declarantB, {
    title: "Panne du logiciel de paie",
    description: "Le logiciel de paie ne répond plus depuis la mise à jour.",
    proposedOrigin: "non_malicious",
    proposedNonMaliciousTypes: ["application_bug"],
    operationalImpact: "degraded_support",
  });
  t.clock.now = SATURDAY_NIGHT;
  await declare("outage", meaux.finessEt, declarantA, {
    title: "Coupure électrique du bloc",
    description: "Coupure de courant, groupe électrogène en défaut pendant vingt minutes.",
    detectedAt: "2026-03-14T23:00:00+01:00",
    proposedOrigin: "non_malicious",
    proposedNonMaliciousTypes: ["power_outage"],
    operationalImpact: "degraded_care",
  });
  t.clock.now = new Date("2026-03-16T09:00:00Z");
  const cert = await sessionOf(analyst);
  const moved = await t.app.inject({
    method: "POST",
    url: `/api/declarations/${ids.ransom}/status`,
    headers: cert,
    payload: { status: "in_progress" },
  });
  expect(moved.statusCode, moved.body).toBe(200);
});
afterAll(async () => {
  await t?.close();
});

describe("the CERT's queue", () => {
  it("lists every declaration newest first with the counts per status", async () => {
    const response = await list(analyst, "");
    expect(response.json()).toMatchObject({
      total: 4,
      counts: { new: 3, in_progress: 1, waiting_declarant: 0, closed: 0 },
    });
    expect(await namesOf(analyst, "")).toEqual(["outage", "support", "phishing", "ransom"]);
    expect(await namesOf(analyst, "sort=declared_asc")).toEqual(["ransom", "phishing", "support", "outage"]);
  });

  it("combines filters, counting per status within the other filters", async () => {
    const query = "status=new&status=in_progress&region=11&impact=care_affected";
    expect(await namesOf(analyst, query)).toEqual(["outage", "ransom"]);
    expect(await namesOf(analyst, "status=new&region=11&impact=care_affected")).toEqual(["outage"]);
    const counted = (await list(analyst, "status=closed&region=11&impact=care_affected")).json();
    expect(counted).toMatchObject({
      items: [],
      total: 0,
      counts: { new: 1, in_progress: 1, closed: 0 },
    });
    expect(await namesOf(analyst, "status=new,in_progress&region=84")).toEqual(["support", "phishing"]);
    expect(await namesOf(analyst, "structureType=es_private_forprofit&origin=malicious")).toEqual([
      "phishing",
    ]);
    expect(await namesOf(analyst, "type=ransomware,power_outage")).toEqual(["outage", "ransom"]);
    expect(await namesOf(analyst, "type=malicious_message")).toEqual(["phishing"]);
    expect(await namesOf(analyst, "origin=non_malicious&impact=degraded_support")).toEqual(["support"]);
    expect(await namesOf(analyst, "supportRequested=true")).toEqual(["ransom"]);
    expect(await namesOf(analyst, "outOfHours=true")).toEqual(["outage"]);
    expect(await namesOf(analyst, "outOfHours=false&supportRequested=false")).toEqual([
      "support",
      "phishing",
    ]);
    expect(await namesOf(analyst, "channel=phone_oncall")).toEqual([]);
    expect(await namesOf(analyst, "declaredFrom=2026-03-11&declaredTo=2026-03-12")).toEqual([
      "support",
      "phishing",
    ]);
    // 23:30 in Paris on Saturday 14 is still the 14th there (22:30 UTC).
    expect(await namesOf(analyst, "declaredFrom=2026-03-14&declaredTo=2026-03-14")).toEqual(["outage"]);
  });

  it("searches accent- and case-insensitively, by word beginnings, reference and FINESS", async () => {
    expect(await namesOf(analyst, "q=RANCONGICIEL")).toEqual(["ransom"]);
    expect(await namesOf(analyst, "q=hameçonnage")).toEqual(["phishing"]);
    expect(await namesOf(analyst, "q=electrog")).toEqual(["outage"]);
    expect(await namesOf(analyst, "q=saint%20joseph%20paie")).toEqual(["support"]);
    expect(await namesOf(analyst, `q=${references.phishing}`)).toEqual(["phishing"]);
    // As typed on the phone: lower case, spaces, leading zeros dropped; with another word too.
    const [, year, number] = /^CS-(\d{4})-(\d{6})$/.exec(references.phishing ?? "") ?? [];
    expect(await namesOf(analyst, `q=${encodeURIComponent(`cs ${year} ${Number(number)}`)}`)).toEqual([
      "phishing",
    ]);
    expect(await namesOf(analyst, `q=${encodeURIComponent(`${references.phishing} rancongiciel`)}`)).toEqual(
      [],
    );
    expect(await namesOf(analyst, "q=meaux&status=new")).toEqual(["outage"]);
  });

  it("finds a word only present in a message of the thread, as soon as it is posted", async () => {
    expect(await namesOf(analyst, "q=defibrillateur")).toEqual([]);
    const posted = await t.app.inject({
      method: "POST",
      url: `/api/declarations/${ids.phishing}/messages`,
      headers: await sessionOf(analyst),
      payload: { kind: "question", body: "Le DÉFIBRILLATEUR connecté est-il touché ?" },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    expect(await namesOf(analyst, "q=Défibrillateur")).toEqual(["phishing"]);
    expect(await namesOf(analyst, "q=defibrillateur%20connecte")).toEqual(["phishing"]);
    const counted = (await list(analyst, "q=defibrillateur&status=new")).json();
    expect(counted).toMatchObject({ total: 0, counts: { new: 0, waiting_declarant: 1 } });
  });

  it("keeps declarants and ARS within their scope, whatever the filters", async () => {
    expect(await namesOf(declarantA, "")).toEqual(["outage", "ransom"]);
    expect((await list(declarantA, "")).json().counts).toEqual({
      new: 1,
      triage: 0,
      in_progress: 1,
      waiting_declarant: 0,
      resolved: 0,
      closed: 0,
    });
    expect(await namesOf(declarantA, "region=84")).toEqual([]);
    expect(await namesOf(declarantA, "q=defibrillateur")).toEqual([]);
    expect(await namesOf(declarantB, "q=defibrillateur")).toEqual(["phishing"]);
    expect(await namesOf(arsAra, "")).toEqual(["support", "phishing"]);
    expect(await namesOf(arsAra, "q=rancongiciel")).toEqual([]);
    expect((await list(arsAra, "impact=care_affected")).json()).toMatchObject({ total: 0, items: [] });
  });

  it("refuses malformed filters with named fields", async () => {
    const wrong = await list(analyst, "status=bogus&declaredFrom=2026-03-20&declaredTo=2026-03-01");
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe("VALIDATION_FAILED");
    expect((await list(analyst, "supportRequested=oui")).statusCode).toBe(400);
    expect((await list(analyst, "declaredFrom=2026-03-20&declaredTo=2026-03-01")).statusCode).toBe(400);
  });

  it("sorts by status in the order of the handling, newest first within a status", async () => {
    const moved = await t.app.inject({
      method: "POST",
      url: `/api/declarations/${ids.outage}/status`,
      headers: await sessionOf(analyst),
      payload: { status: "in_progress" },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(await namesOf(analyst, "sort=status")).toEqual(["support", "outage", "ransom", "phishing"]);
    expect(await namesOf(analyst, "")).toEqual(["outage", "support", "phishing", "ransom"]);
  });
});
