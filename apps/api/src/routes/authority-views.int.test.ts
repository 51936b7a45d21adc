import { randomUUID } from "node:crypto";
import { startSession } from "@vigie/core";
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

// What the authorities and the ARS see (decision 0009): an authority only the cases its body
// was sent a notification about, and only what was sent plus the case's status; an ARS its
// region's declarations minus TLP:RED and TLP:AMBER+STRICT, and its regional dashboard.
let t: TestApp;
type Structure = Awaited<ReturnType<typeof createStructure>>;
let idf: Structure;
let idfEsms: Structure;
let ara: Structure;
let declarant: TestUser;
let analyst: TestUser;
let arsIdf: TestUser;
let arsAra: TestUser;
let fssi: TestUser;
let anssi: TestUser;

const sessions = new Map<string, Record<string, string>>();
async function sessionOf(user: TestUser): Promise<Record<string, string>> {
  const key = `${user.id}@${t.clock.now.toISOString()}`;
  const known = sessions.get(key);
  if (known) return known;
  const started = await startSession(
    t.database.db,
    user,
    { ttlHours: 12, mfaAlreadySatisfied: true },
    t.clock.now,
  );
  const headers = { cookie: `${SESSION_COOKIE}=${started.cookieValue}`, [CSRF_HEADER]: started.csrfToken };
  sessions.set(key, headers);
  return headers;
}

async function call(
  method: "GET" | "POST" | "PUT" | "PATCH",
  url: string,
  user: TestUser,
  payload?: unknown,
) {
  return t.app.inject({
    method,
    url,
    headers: await sessionOf(user),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

interface Declared {
  id: string;
  reference: string;
  attachmentId: string;
}

/** A declaration made at `at` (the clock moved there), with one attachment. */
async function declareAt(
  at: string,
  structure: Structure,
  fields: Record<string, unknown> = {},
): Promise<Declared> {
  t.clock.now = new Date(at);
  const idempotencyKey = randomUUID();
  const body = multipartBody([{ fileName: "journal.txt", data: sampleFiles.text(idempotencyKey) }]);
  const uploaded = await t.app.inject({
    method: "POST",
    url: `/api/attachments?pendingKey=${idempotencyKey}`,
    headers: body.headers,
    payload: body.payload,
  });
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  const response = await t.app.inject({
    method: "POST",
    url: "/api/declarations",
    headers: await sessionOf(declarant),
    payload: {
      idempotencyKey,
      finess: [structure.finessEt],
      declarant: { fullName: "Claire Martin", email: "claire.martin@ch-essai.test", phone: "0123456789" },
      title: "Chiffrement du serveur de fichiers",
      description: "Les fichiers partagés portent l'extension .lockbit depuis cette nuit.",
      detectedAt: new Date(new Date(at).getTime() - 3_600_000).toISOString(),
      operationalImpact: "degraded_support",
      stateAtDeclaration: "in_progress",
      supportRequested: false,
      ...fields,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  const id = response.json().id as string;
  const row = await t.database.db
    .selectFrom("incidents")
    .select("reference")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  const attachment = await t.database.db
    .selectFrom("attachments")
    .select("id")
    .where("incident_id", "=", id)
    .executeTakeFirstOrThrow();
  return { id, reference: row.reference, attachmentId: attachment.id };
}

/** A notification as the alerting slice stores it once sent (or dismissed). */
async function notify(
  incidentId: string,
  authority: "anssi" | "fssi" | "dgs_corruss" | "health_agency" | "ars",
  at: string,
  options: { status?: "sent" | "dismissed"; subject?: string; body?: string; tlp?: "amber" | "green" } = {},
): Promise<string> {
  const row = await t.database.db
    .insertInto("authority_notifications")
    .values({
      incident_id: incidentId,
      authority,
      region_code: authority === "ars" ? "11" : null,
      status: options.status ?? "sent",
      rule_set_version: 0,
      rule_ids: ["fssi-incident-majeur"],
      recipients: ["alerte@autorite.test"],
      subject: options.subject ?? `[TLP:AMBER] Alerte ${authority}`,
      body: options.body ?? "Incident malveillant, prise en charge interrompue.",
      facts: JSON.stringify({ origin: "malicious" }),
      tlp: options.tlp ?? "amber",
      decided_by_label: "Analyste du CERT",
      decided_at: new Date(at),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

// The declarations, region 11 (Île-de-France) unless said otherwise, and their Paris months.
let january: Declared; // 1 January 2026 00:30 in Paris (still 2025 in UTC), care degraded, malicious
let february: Declared; // 1 February 00:30 in Paris, médico-social, TLP:GREEN, qualified below
let marchRed: Declared; // March, TLP:RED
let marchStrict: Declared; // March, TLP:AMBER+STRICT
let marchAra: Declared; // March, Auvergne-Rhône-Alpes
let april: Declared; // April, TLP:CLEAR, origin not proposed
let lastYear: Declared; // 31 December 2025 23:30 in Paris

beforeAll(async () => {
  t = await createTestApp();
  const db = t.database.db;
  idf = await createStructure(db, { regionCode: "11", name: "Centre hospitalier de Meaux" });
  idfEsms = await createStructure(db, {
    regionCode: "11",
    name: "EHPAD Les Tilleuls",
    structureType: "esms",
  });
  ara = await createStructure(db, {
    regionCode: "84",
    departmentCode: "69",
    name: "Hospices civils de Lyon",
    town: "LYON",
  });
  declarant = await createUser(db, "declarant", { structureIds: [idf.id, idfEsms.id, ara.id] });
  analyst = await createUser(db, "cert_analyst");
  arsIdf = await createUser(db, "ars", { regionCode: "11" });
  arsAra = await createUser(db, "ars", { regionCode: "84" });
  fssi = await createUser(db, "authority", { authority: "fssi" });
  anssi = await createUser(db, "authority", { authority: "anssi" });

  lastYear = await declareAt("2025-12-31T22:30:00Z", idf, { tlp: "clear" });
  january = await declareAt("2025-12-31T23:30:00Z", idf, {
    proposedOrigin: "malicious",
    proposedMaliciousTypes: ["ransomware"],
    operationalImpact: "degraded_care",
  });
  february = await declareAt("2026-01-31T23:30:00Z", idfEsms, { tlp: "green" });
  marchRed = await declareAt("2026-03-10T09:00:00Z", idf, {
    tlp: "red",
    operationalImpact: "care_interrupted",
  });
  marchStrict = await declareAt("2026-03-11T09:00:00Z", idf, { tlp: "amber_strict" });
  marchAra = await declareAt("2026-03-12T09:00:00Z", ara);
  april = await declareAt("2026-04-14T08:00:00Z", idf, { tlp: "clear" });

  t.clock.now = new Date("2026-05-04T08:00:00Z");
  // The CERT qualifies February's: not malicious, and care was in fact interrupted.
  const qualified = await call("PUT", `/api/cases/${february.id}/qualification`, analyst, {
    outOfScope: false,
    origin: "non_malicious",
    nonMaliciousTypes: ["application_bug"],
    operationalImpact: "care_interrupted",
    dataImpacts: ["none"],
    patientEndangerment: "none",
    summary: "Panne applicative du dossier de soins, prise en charge interrompue deux heures.",
  });
  expect(qualified.statusCode, qualified.body).toBe(200);
});
afterAll(async () => {
  await t?.close();
});

describe("an authority's view: what was sent to its body", () => {
  let firstFssi: string;
  let secondFssi: string;

  beforeAll(async () => {
    firstFssi = await notify(january.id, "fssi", "2026-05-04T08:10:00Z", {
      subject: "[TLP:AMBER] Incident majeur — première alerte",
      body: "Rançongiciel, établissement de santé public, Île-de-France.",
    });
    secondFssi = await notify(january.id, "fssi", "2026-05-04T09:10:00Z", {
      subject: "[TLP:AMBER] Incident majeur — mise à jour",
      body: "Reprise progressive, sauvegardes saines.",
      tlp: "green",
    });
    await notify(january.id, "anssi", "2026-05-04T08:20:00Z", { status: "dismissed" });
    await notify(january.id, "fssi", "2026-05-04T10:00:00Z", { status: "dismissed", subject: "Non envoyée" });
    await notify(marchAra.id, "fssi", "2026-05-04T08:30:00Z");
    await notify(february.id, "dgs_corruss", "2026-05-04T08:40:00Z");
    await notify(february.id, "ars", "2026-05-04T08:40:00Z");
    t.clock.now = new Date("2026-05-04T11:00:00Z");
  });

  it("lists only the cases with a notification sent to its body, most recently told first", async () => {
    const response = await call("GET", "/api/authority/cases", fssi);
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json();
    expect(page).toMatchObject({ total: 2, page: 1, pageSize: 20 });
    expect(page.items).toEqual([
      {
        incidentId: january.id,
        reference: january.reference,
        structureType: "es_public",
        regionCode: "11",
        firstSentAt: "2026-05-04T08:10:00.000Z",
        lastSentAt: "2026-05-04T09:10:00.000Z",
        notifications: 2,
        status: "Nouvelle",
      },
      {
        incidentId: marchAra.id,
        reference: marchAra.reference,
        structureType: "es_public",
        regionCode: "84",
        firstSentAt: "2026-05-04T08:30:00.000Z",
        lastSentAt: "2026-05-04T08:30:00.000Z",
        notifications: 1,
        status: "Nouvelle",
      },
    ]);
  });

  it("reads a case: every message sent to its body, oldest first, and the case's current status", async () => {
    const moved = await call("POST", `/api/declarations/${january.id}/status`, analyst, { status: "triage" });
    expect(moved.statusCode, moved.body).toBe(200);
    const response = await call("GET", `/api/authority/cases/${january.id}`, fssi);
    expect(response.statusCode, response.body).toBe(200);
    const view = response.json();
    expect(view).toMatchObject({ incidentId: january.id, notifications: 2, status: "En tri" });
    expect(view.sent).toEqual([
      {
        id: firstFssi,
        subject: "[TLP:AMBER] Incident majeur — première alerte",
        body: "Rançongiciel, établissement de santé public, Île-de-France.",
        sentAt: "2026-05-04T08:10:00.000Z",
        tlp: "amber",
      },
      {
        id: secondFssi,
        subject: "[TLP:AMBER] Incident majeur — mise à jour",
        body: "Reprise progressive, sauvegardes saines.",
        sentAt: "2026-05-04T09:10:00.000Z",
        tlp: "green",
      },
    ]);
    // Nothing of the declaration itself: no title, description, contact, structure name, files.
    expect(Object.keys(view).sort()).toEqual(
      [
        "firstSentAt",
        "incidentId",
        "lastSentAt",
        "notifications",
        "reference",
        "regionCode",
        "sent",
        "status",
        "structureType",
      ].sort(),
    );
    for (const secret of ["Chiffrement du serveur", ".lockbit", "Claire Martin", "claire.martin", "Meaux"]) {
      expect(response.body).not.toContain(secret);
    }
  });

  it("answers NOT_FOUND for a case nothing was sent about to its body, and audits the attempt", async () => {
    for (const id of [february.id, marchRed.id, randomUUID()]) {
      const response = await call("GET", `/api/authority/cases/${id}`, fssi);
      expect(response.statusCode, `${id}: ${response.body}`).toBe(404);
      expect(response.json().error.code).toBe("NOT_FOUND");
    }
    const denied = await t.database.db
      .selectFrom("audit_log")
      .select(["action", "outcome"])
      .where("object_id", "=", february.id)
      .where("actor_user_id", "=", fssi.id)
      .execute();
    expect(denied).toEqual([{ action: "permission.denied", outcome: "denied" }]);
  });

  it("shows another body none of them (a dismissed proposal is not a notification)", async () => {
    const list = await call("GET", "/api/authority/cases", anssi);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ items: [], total: 0 });
    const read = await call("GET", `/api/authority/cases/${january.id}`, anssi);
    expect(read.statusCode).toBe(404);
  });

  it("never opens the declarations, the queue, the case page or the files to an authority", async () => {
    for (const url of [
      `/api/declarations/${january.id}`,
      "/api/declarations",
      `/api/cases/${january.id}`,
      `/api/cases/${january.id}/journal`,
      "/api/ars/dashboard?region=11",
    ]) {
      const response = await call("GET", url, fssi);
      expect(response.statusCode, url).toBe(403);
      expect(response.json().error.code).toBe("FORBIDDEN");
    }
    const file = await call("GET", `/api/attachments/${january.attachmentId}`, fssi);
    expect(file.statusCode).toBe(404);
  });

  it("is for authority accounts only", async () => {
    for (const user of [arsIdf, analyst, declarant]) {
      const response = await call("GET", "/api/authority/cases", user);
      expect(response.statusCode).toBe(403);
    }
  });
});

describe("an ARS's view: its region, minus TLP:RED and TLP:AMBER+STRICT", () => {
  const listIds = async (user: TestUser): Promise<string[]> => {
    const response = await call("GET", "/api/declarations", user);
    expect(response.statusCode, response.body).toBe(200);
    return response.json().items.map((item: { id: string }) => item.id);
  };

  it("lists its region's declarations but neither the red and amber+strict ones nor other regions'", async () => {
    expect((await listIds(arsIdf)).sort()).toEqual([lastYear.id, january.id, february.id, april.id].sort());
    expect(await listIds(arsAra)).toEqual([marchAra.id]);
    // The CERT sees them all.
    expect(await listIds(analyst)).toEqual(
      expect.arrayContaining([marchRed.id, marchStrict.id, marchAra.id, january.id]),
    );
  });

  it("reads only those, and downloads only their files", async () => {
    for (const visible of [january, february, april]) {
      expect((await call("GET", `/api/declarations/${visible.id}`, arsIdf)).statusCode).toBe(200);
      const file = await call("GET", `/api/attachments/${visible.attachmentId}`, arsIdf);
      expect(file.statusCode, file.body).toBe(200);
    }
    for (const hidden of [marchRed, marchStrict, marchAra]) {
      const read = await call("GET", `/api/declarations/${hidden.id}`, arsIdf);
      expect(read.statusCode, hidden.reference).toBe(404);
      const file = await call("GET", `/api/attachments/${hidden.attachmentId}`, arsIdf);
      expect(file.statusCode, hidden.reference).toBe(404);
    }
    expect((await call("GET", `/api/declarations/${january.id}`, arsAra)).statusCode).toBe(404);
    expect((await call("GET", `/api/attachments/${january.attachmentId}`, arsAra)).statusCode).toBe(404);
  });

  it("follows the case's current TLP: a case the CERT marks red leaves the ARS's view", async () => {
    const red = await call("PATCH", `/api/cases/${april.id}`, analyst, { tlp: "red" });
    expect(red.statusCode, red.body).toBe(200);
    expect(await listIds(arsIdf)).not.toContain(april.id);
    expect((await call("GET", `/api/declarations/${april.id}`, arsIdf)).statusCode).toBe(404);
    expect((await call("GET", `/api/attachments/${april.attachmentId}`, arsIdf)).statusCode).toBe(404);
    const back = await call("PATCH", `/api/cases/${april.id}`, analyst, { tlp: "clear" });
    expect(back.statusCode, back.body).toBe(200);
    expect(await listIds(arsIdf)).toContain(april.id);
  });
});

describe("the regional dashboard", () => {
  it("counts the ARS's region for a year: by Paris month, structure type, effective origin and impact", async () => {
    const response = await call("GET", "/api/ars/dashboard?year=2026", arsIdf);
    expect(response.statusCode, response.body).toBe(200);
    // January (00:30 in Paris on 1 January), February (00:30 on 1 February), April; March's two
    // are red and amber+strict; the one of 31 December 23:30 in Paris belongs to 2025.
    expect(response.json()).toEqual({
      year: 2026,
      regionCode: "11",
      declared: 3,
      byMonth: [1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0],
      byStructureType: { es_public: 2, esms: 1 },
      // January's as declared; February's as qualified; April's origin not proposed.
      byOrigin: { malicious: 1, non_malicious: 1, undetermined: 1 },
      byOperationalImpact: { degraded_care: 1, care_interrupted: 1, degraded_support: 1 },
      careAffected: 2,
    });
  });

  it("defaults to the current Paris year", async () => {
    const response = await call("GET", "/api/ars/dashboard", arsIdf);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ year: 2026, declared: 3 });
  });

  it("shows the CERT any region it names, TLP:RED and AMBER+STRICT included", async () => {
    const response = await call("GET", "/api/ars/dashboard?year=2026&region=11", analyst);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      regionCode: "11",
      declared: 5,
      byMonth: [1, 1, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0],
      byStructureType: { es_public: 4, esms: 1 },
      byOrigin: { malicious: 1, non_malicious: 1, undetermined: 3 },
      byOperationalImpact: { degraded_care: 1, care_interrupted: 2, degraded_support: 2 },
      careAffected: 3,
    });
    const lastYearFigures = await call("GET", "/api/ars/dashboard?year=2025&region=11", analyst);
    expect(lastYearFigures.json()).toMatchObject({
      declared: 1,
      byMonth: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
    });
    const lyon = await call("GET", "/api/ars/dashboard?year=2026&region=84", analyst);
    expect(lyon.json()).toMatchObject({ declared: 1, byMonth: [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0] });
  });

  it("asks the CERT for a known region, keeps an ARS to its own, and refuses declarants", async () => {
    const noRegion = await call("GET", "/api/ars/dashboard?year=2026", analyst);
    expect(noRegion.statusCode).toBe(400);
    expect(noRegion.json().error.fields).toEqual([
      { field: "region", message: "Choisissez la région du tableau de bord." },
    ]);
    const unknown = await call("GET", "/api/ars/dashboard?region=99", analyst);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields[0].field).toBe("region");
    const badYear = await call("GET", "/api/ars/dashboard?year=dix", arsIdf);
    expect(badYear.statusCode).toBe(400);
    const elsewhere = await call("GET", "/api/ars/dashboard?region=84", arsIdf);
    expect(elsewhere.statusCode).toBe(403);
    const own = await call("GET", "/api/ars/dashboard?region=11&year=2026", arsIdf);
    expect(own.json()).toMatchObject({ declared: 3 });
    const declarantView = await call("GET", "/api/ars/dashboard?region=11", declarant);
    expect(declarantView.statusCode).toBe(403);
    expect(declarantView.json().error.code).toBe("FORBIDDEN");
  });
});
