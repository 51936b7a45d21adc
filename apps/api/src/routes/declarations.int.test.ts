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

let t: TestApp;
type Structure = Awaited<ReturnType<typeof createStructure>>;
let structureA: Structure;
let structureB: Structure;
let declarantA: TestUser;
let declarantB: TestUser;
let unlinked: TestUser;
let analyst: TestUser;
let arsIdf: TestUser;
let arsAra: TestUser;
const sessions = new Map<string, Record<string, string>>();

/** Tuesday 10 March 2026, 10:00 in Paris: business hours. */
const BUSINESS_TIME = new Date("2026-03-10T09:00:00Z");
/** Saturday 14 March 2026, 23:30 in Paris. */
const SATURDAY_NIGHT = new Date("2026-03-14T22:30:00Z");

/** A fully authenticated session opened directly at the test clock's time (login has its own tests). */
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

/** Only the fields the legal minimum requires. */
function minimal(finess: string[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    idempotencyKey: randomUUID(),
    finess,
    declarant: {
      fullName: "Claire Martin",
      email: "claire.martin@ch-essai.test",
      phone: "+33 1 23 45 67 89",
    },
    title: "Chiffrement des serveurs de fichiers",
    description: "Message de rançon affiché sur les serveurs de fichiers, partages inaccessibles.",
    detectedAt: "2026-03-10T07:30:00+01:00",
    operationalImpact: "degraded_support",
    stateAtDeclaration: "in_progress",
    supportRequested: false,
    ...overrides,
  };
}

async function submit(
  payload: Record<string, unknown>,
  headers: Record<string, string> = {},
  url = "/api/declarations",
) {
  return t.app.inject({ method: "POST", url, headers, payload });
}

async function incidentRow(id: string) {
  return t.database.db.selectFrom("incidents").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

async function mailsTo(address: string) {
  return t.database.db.selectFrom("mail_outbox").selectAll().where("to_address", "=", address).execute();
}

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = BUSINESS_TIME;
  const db = t.database.db;
  structureA = await createStructure(db, { regionCode: "11", name: "Centre hospitalier de Meaux" });
  structureB = await createStructure(db, {
    regionCode: "84",
    departmentCode: "69",
    name: "Clinique de Lyon",
  });
  declarantA = await createUser(db, "declarant", { structureIds: [structureA.id] });
  declarantB = await createUser(db, "declarant", { structureIds: [structureB.id] });
  unlinked = await createUser(db, "declarant");
  analyst = await createUser(db, "cert_analyst");
  arsIdf = await createUser(db, "ars", { regionCode: "11" });
  arsAra = await createUser(db, "ars", { regionCode: "84" });
});
afterAll(async () => {
  await t?.close();
});

describe("submitting a declaration", () => {
  it("stores a minimal declaration of a verified declarant and acknowledges it", async () => {
    const payload = minimal([structureA.finessEt], {
      declarant: { fullName: "Claire Martin", email: "ack.verified@ch-essai.test", phone: "0123456789" },
    });
    const response = await submit(payload, await sessionOf(declarantA));
    expect(response.statusCode, response.body).toBe(201);
    const receipt = response.json();
    expect(receipt.reference).toMatch(/^CS-2026-\d{6}$/);
    expect(receipt).toMatchObject({
      replayed: false,
      outOfHours: false,
      oncallPhone: null,
      oncallPaged: false,
      declaredAt: BUSINESS_TIME.toISOString(),
      followUrl: `${"http://127.0.0.1:3000"}/declarations/${receipt.id}`,
    });

    const row = await incidentRow(receipt.id);
    expect(row).toMatchObject({
      reference: receipt.reference,
      standing: "verified",
      channel: "portal",
      status: "new",
      declarant_user_id: declarantA.id,
      structure_id: structureA.id,
      follow_token_hash: null,
      out_of_hours: false,
      oncall_paged_at: null,
    });
    expect(row.structure_snapshot).toMatchObject({
      finessEt: structureA.finessEt,
      name: "Centre hospitalier de Meaux",
      regionCode: "11",
      structureType: "es_public",
      ose: false,
      oiv: false,
    });

    const mails = await mailsTo("ack.verified@ch-essai.test");
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toContain(receipt.reference);
    expect(mails[0]?.text_body).toContain(receipt.followUrl);
    expect(mails[0]?.text_body).toContain("01 23 45 67 89");
    expect(mails[0]?.text_body).toContain("du lundi au vendredi");
    expect(mails[0]?.text_body).not.toContain("partages inaccessibles");

    const history = await t.database.db
      .selectFrom("incident_status_changes")
      .selectAll()
      .where("incident_id", "=", receipt.id)
      .execute();
    expect(history.map((h) => [h.from_status, h.to_status])).toEqual([[null, "new"]]);
    const audit = await t.database.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "declaration.submitted")
      .where("object_id", "=", receipt.id)
      .executeTakeFirstOrThrow();
    expect(audit.actor_user_id).toBe(declarantA.id);
    expect(audit.details).toMatchObject({
      reference: receipt.reference,
      via: "portal",
      standing: "verified",
    });
  });

  it("takes a session without its CSRF header as a declaration without an account", async () => {
    const { cookie } = await sessionOf(declarantA);
    const response = await submit(minimal([structureA.finessEt]), { cookie: cookie as string });
    expect(response.statusCode, response.body).toBe(201);
    const row = await incidentRow(response.json().id);
    expect(row).toMatchObject({ standing: "anonymous", declarant_user_id: null });
  });

  it("gives sequential references within the Paris year", async () => {
    const first = (await submit(minimal([structureA.finessEt]))).json();
    const second = (await submit(minimal([structureA.finessEt]))).json();
    const n = (ref: string) => Number(ref.slice(-6));
    expect(n(second.reference)).toBe(n(first.reference) + 1);
  });

  it("replays a retried submission: same receipt, one row", async () => {
    const payload = minimal([structureA.finessEt]);
    const headers = await sessionOf(declarantA);
    const first = await submit(payload, headers);
    expect(first.statusCode).toBe(201);
    const again = await submit(payload, headers);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), replayed: true });
    const rows = await t.database.db
      .selectFrom("incidents")
      .select("id")
      .where("idempotency_key", "=", payload.idempotencyKey as string)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it("creates exactly one declaration from 10 concurrent submissions with the same key", async () => {
    const payload = minimal([structureA.finessEt]);
    const before = await t.database.db.selectFrom("reference_counters").selectAll().execute();
    const responses = await Promise.all(Array.from({ length: 10 }, () => submit(payload)));
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses, responses.map((r) => r.body).join("\n")).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 200, 201,
    ]);
    const ids = new Set(responses.map((r) => r.json().id));
    expect(ids.size).toBe(1);
    const rows = await t.database.db
      .selectFrom("incidents")
      .select("id")
      .where("idempotency_key", "=", payload.idempotencyKey as string)
      .execute();
    expect(rows).toHaveLength(1);
    // The losers rolled their reference number back: no gap.
    const after = await t.database.db.selectFrom("reference_counters").selectAll().execute();
    const last = (rows: typeof after) => rows.find((r) => r.year === 2026)?.last_value ?? 0;
    expect(last(after)).toBe(last(before) + 1);
  });

  it("refuses the same key with another payload (409 naming idempotencyKey)", async () => {
    const payload = minimal([structureA.finessEt]);
    expect((await submit(payload)).statusCode).toBe(201);
    const response = await submit({ ...payload, title: "Un autre incident" });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({ code: "CONFLICT", fields: [{ field: "idempotencyKey" }] });
  });

  it("names the unknown FINESS in French", async () => {
    const response = await submit(minimal([structureA.finessEt, "750000001"]));
    expect(response.statusCode).toBe(400);
    const error = response.json().error;
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.fields).toHaveLength(1);
    expect(error.fields[0].field).toBe("finess.1");
    expect(error.fields[0].message).toMatch(/FINESS 750000001/);
    const malformed = await submit(minimal(["12345"]));
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.fields[0].field).toBe("finess.0");
  });

  it("accepts a declaration from a declarant whose link to the structure is pending", async () => {
    const response = await submit(minimal([structureA.finessEt]), await sessionOf(unlinked));
    expect(response.statusCode, response.body).toBe(201);
    const { id } = response.json();
    expect((await incidentRow(id)).standing).toBe("pending_link");
    const read = await t.app.inject({
      method: "GET",
      url: `/api/declarations/${id}`,
      headers: await sessionOf(unlinked),
    });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({ id, standing: "pending_link", status: "new" });
    const list = await t.app.inject({
      method: "GET",
      url: "/api/declarations",
      headers: await sessionOf(unlinked),
    });
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([id]);
  });
});

describe("declarations without an account", () => {
  let receipt: { id: string; followUrl: string; reference: string };
  let token: string;

  it("are anonymous and followed through a secret link", async () => {
    const response = await submit(
      minimal([structureB.finessEt], {
        declarant: { fullName: "Paul Durand", email: "paul.durand@clinique.test", phone: "0478000000" },
      }),
    );
    expect(response.statusCode, response.body).toBe(201);
    receipt = response.json();
    expect(receipt.followUrl).toMatch(/^http:\/\/127\.0\.0\.1:3000\/suivi\/[A-Za-z0-9_-]{43}$/);
    token = receipt.followUrl.split("/suivi/")[1] as string;
    const row = await incidentRow(receipt.id);
    expect(row.standing).toBe("anonymous");
    expect(row.declarant_user_id).toBeNull();
    expect(row.follow_token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.follow_token_hash).not.toContain(token);
    const [mail] = await mailsTo("paul.durand@clinique.test");
    expect(mail?.text_body).toContain(receipt.followUrl);

    const followed = await t.app.inject({ method: "GET", url: `/api/follow/${token}` });
    expect(followed.statusCode, followed.body).toBe(200);
    expect(followed.json()).toMatchObject({
      id: receipt.id,
      reference: receipt.reference,
      standing: "anonymous",
    });
    const wrong = await t.app.inject({ method: "GET", url: `/api/follow/${"x".repeat(43)}` });
    expect(wrong.statusCode).toBe(404);
  });

  it("get the same link back when the submission is retried", async () => {
    const payload = minimal([structureB.finessEt]);
    const first = (await submit(payload)).json();
    const again = await submit(payload);
    expect(again.statusCode).toBe(200);
    expect(again.json().followUrl).toBe(first.followUrl);
  });

  it("answer the CERT's question from the follow link", async () => {
    const question = await t.app.inject({
      method: "POST",
      url: `/api/declarations/${receipt.id}/messages`,
      headers: await sessionOf(analyst),
      payload: { kind: "question", body: "Les sauvegardes sont-elles intactes ?" },
    });
    expect(question.statusCode, question.body).toBe(201);
    expect(question.json()).toMatchObject({ authorKind: "cert", kind: "question" });
    expect((await incidentRow(receipt.id)).status).toBe("waiting_declarant");
    const mails = await mailsTo("paul.durand@clinique.test");
    const asked = mails.find((m) => m.subject.includes("question"));
    expect(asked?.text_body).toContain("Le CERT vous pose une question");
    expect(asked?.text_body).toContain(receipt.followUrl);

    const refused = await t.app.inject({
      method: "POST",
      url: `/api/follow/${token}/messages`,
      payload: { kind: "question", body: "?" },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields[0].field).toBe("kind");

    const answer = await t.app.inject({
      method: "POST",
      url: `/api/follow/${token}/messages`,
      payload: { kind: "answer", body: "Oui, les sauvegardes hors ligne sont intactes." },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    expect(answer.json()).toMatchObject({
      authorKind: "declarant",
      authorName: "Paul Durand",
      kind: "answer",
    });
    expect((await incidentRow(receipt.id)).status).toBe("in_progress");

    const view = (await t.app.inject({ method: "GET", url: `/api/follow/${token}` })).json();
    expect(view.messages.map((m: { kind: string; authorName: string }) => [m.kind, m.authorName])).toEqual([
      ["question", "CERT Santé"],
      ["answer", "Paul Durand"],
    ]);
    expect(view.statusHistory.map((h: { to: string }) => h.to)).toEqual([
      "new",
      "waiting_declarant",
      "in_progress",
    ]);
    expect(view.awaitingAnswer).toBe(false);
  });
});

describe("attachments of a declaration", () => {
  const upload = (pendingKey: string, fileName: string, data: Buffer) => {
    const body = multipartBody([{ fileName, data }]);
    return t.app.inject({
      method: "POST",
      url: `/api/attachments?pendingKey=${pendingKey}`,
      headers: body.headers,
      payload: body.payload,
    });
  };

  it("are claimed on submission, joined to messages, and downloadable from the follow link", async () => {
    const payload = minimal([structureA.finessEt]);
    const uploaded = await upload(payload.idempotencyKey as string, "journal.txt", sampleFiles.text("avant"));
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const receipt = (await submit(payload)).json();
    const token = receipt.followUrl.split("/suivi/")[1] as string;
    const view = (await t.app.inject({ method: "GET", url: `/api/follow/${token}` })).json();
    expect(view.attachments).toHaveLength(1);
    const [file] = view.attachments;
    expect(file.fileName).toBe("journal.txt");
    expect(file.downloadUrl).toBe(`/api/follow/${token}/attachments/${file.id}`);
    const downloaded = await t.app.inject({ method: "GET", url: file.downloadUrl });
    expect(downloaded.statusCode).toBe(200);
    expect(downloaded.rawPayload.equals(sampleFiles.text("avant"))).toBe(true);
    const elsewhere = await t.app.inject({
      method: "GET",
      url: `/api/follow/${"y".repeat(43)}/attachments/${file.id}`,
    });
    expect(elsewhere.statusCode).toBe(404);

    const messageKey = randomUUID();
    const second = (await upload(messageKey, "capture.png", sampleFiles.png())).json().items[0];
    const posted = await t.app.inject({
      method: "POST",
      url: `/api/follow/${token}/messages`,
      payload: { body: "Voici la capture.", attachmentIds: [second.id] },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    expect(posted.json().attachments.map((a: { fileName: string }) => a.fileName)).toEqual(["capture.png"]);
    const after = (await t.app.inject({ method: "GET", url: `/api/follow/${token}` })).json();
    expect(after.attachments).toHaveLength(1);
    expect(after.messages[0].attachments[0].downloadUrl).toBe(
      `/api/follow/${token}/attachments/${second.id}`,
    );
    const unknown = await t.app.inject({
      method: "POST",
      url: `/api/follow/${token}/messages`,
      payload: { body: "Encore.", attachmentIds: [randomUUID()] },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields[0].field).toBe("attachmentIds[0]");
  });
});

describe("out of business hours", () => {
  it("pages the on-call analyst when support is requested, and shows the on-call number", async () => {
    t.clock.now = SATURDAY_NIGHT;
    try {
      const before = (await mailsTo("astreinte@cert-sante.localhost")).length;
      const response = await submit(
        minimal([structureA.finessEt], {
          supportRequested: true,
          declarant: { fullName: "Nuit Blanche", email: "nuit@ch-essai.test", phone: "06 11 22 33 44" },
        }),
      );
      expect(response.statusCode, response.body).toBe(201);
      const receipt = response.json();
      expect(receipt).toMatchObject({ outOfHours: true, oncallPaged: true, oncallPhone: "01 23 45 67 89" });
      expect((await incidentRow(receipt.id)).oncall_paged_at).not.toBeNull();
      const pages = await mailsTo("astreinte@cert-sante.localhost");
      expect(pages).toHaveLength(before + 1);
      const page = pages.find((m) => m.subject.includes(receipt.reference));
      expect(page?.text_body).toContain("06 11 22 33 44");
      expect(page?.text_body).toContain("Centre hospitalier de Meaux");
      expect(page?.text_body).toContain("Activités support en mode dégradé");

      // Care affected without asking for support also pages; neither does not.
      const care = await submit(minimal([structureA.finessEt], { operationalImpact: "care_interrupted" }));
      expect(care.json()).toMatchObject({ outOfHours: true, oncallPaged: true });
      const quiet = await submit(minimal([structureA.finessEt]));
      expect(quiet.json()).toMatchObject({ outOfHours: true, oncallPaged: false, oncallPhone: null });
      expect(await mailsTo("astreinte@cert-sante.localhost")).toHaveLength(before + 2);
    } finally {
      t.clock.now = BUSINESS_TIME;
    }
  });

  it("does not page in business hours", async () => {
    const before = (await mailsTo("astreinte@cert-sante.localhost")).length;
    const response = await submit(
      minimal([structureA.finessEt], { supportRequested: true, operationalImpact: "care_interrupted" }),
    );
    expect(response.json()).toMatchObject({ outOfHours: false, oncallPaged: false, oncallPhone: null });
    expect(await mailsTo("astreinte@cert-sante.localhost")).toHaveLength(before);
  });
});

describe("who reads what", () => {
  let onA: string;
  let onB: string;

  beforeAll(async () => {
    onA = (await submit(minimal([structureA.finessEt]), await sessionOf(declarantA))).json().id;
    onB = (await submit(minimal([structureB.finessEt]), await sessionOf(declarantB))).json().id;
  });

  const read = async (user: TestUser, id: string) =>
    t.app.inject({ method: "GET", url: `/api/declarations/${id}`, headers: await sessionOf(user) });
  const list = async (user: TestUser, query = "") =>
    (
      await t.app.inject({ method: "GET", url: `/api/declarations${query}`, headers: await sessionOf(user) })
    ).json();

  it("a declarant sees its structures' declarations, not another structure's (404, audited)", async () => {
    expect((await read(declarantA, onA)).statusCode).toBe(200);
    const denied = await read(declarantA, onB);
    expect(denied.statusCode).toBe(404);
    expect(denied.json().error.code).toBe("NOT_FOUND");
    const audit = await t.database.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "permission.denied")
      .where("object_id", "=", onB)
      .executeTakeFirst();
    expect(audit?.actor_user_id).toBe(declarantA.id);
    const ids = (await list(declarantA)).items.map((i: { id: string }) => i.id);
    expect(ids).toContain(onA);
    expect(ids).not.toContain(onB);
  });

  it("an ARS sees its region only", async () => {
    expect((await read(arsIdf, onA)).statusCode).toBe(200);
    expect((await read(arsIdf, onB)).statusCode).toBe(404);
    expect((await read(arsAra, onB)).statusCode).toBe(200);
    const ids = (await list(arsAra)).items.map((i: { id: string }) => i.id);
    expect(ids).toContain(onB);
    expect(ids).not.toContain(onA);
  });

  it("the CERT sees everything, filters by status and searches", async () => {
    expect((await read(analyst, onA)).statusCode).toBe(200);
    expect((await read(analyst, onB)).statusCode).toBe(200);
    const all = await list(analyst);
    const total = await t.database.db
      .selectFrom("incidents")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    expect(all.total).toBe(Number(total.n));
    expect(all.pageSize).toBe(20);
    const lyon = await list(analyst, "?q=lyon");
    expect(lyon.items.length).toBeGreaterThan(0);
    expect(
      lyon.items.every((i: { structure: { name: string } }) => i.structure.name === "Clinique de Lyon"),
    ).toBe(true);
    const waiting = await list(analyst, "?status=waiting_declarant");
    expect(waiting.items.every((i: { status: string }) => i.status === "waiting_declarant")).toBe(true);
    const bad = await t.app.inject({
      method: "GET",
      url: "/api/declarations?status=perdu",
      headers: await sessionOf(analyst),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toBe("status");
  });

  it("a declarant answers the CERT's question, which puts the declaration back in progress", async () => {
    const question = await t.app.inject({
      method: "POST",
      url: `/api/declarations/${onA}/messages`,
      headers: await sessionOf(analyst),
      payload: { kind: "question", body: "Quel est le périmètre chiffré ?" },
    });
    expect(question.statusCode, question.body).toBe(201);
    const view = (await read(declarantA, onA)).json();
    expect(view).toMatchObject({ status: "waiting_declarant", awaitingAnswer: true });
    const notAllowed = await t.app.inject({
      method: "POST",
      url: `/api/declarations/${onA}/messages`,
      headers: await sessionOf(declarantA),
      payload: { kind: "recommendation", body: "Non." },
    });
    expect(notAllowed.statusCode).toBe(400);
    expect(notAllowed.json().error.fields[0].field).toBe("kind");
    const answer = await t.app.inject({
      method: "POST",
      url: `/api/declarations/${onA}/messages`,
      headers: await sessionOf(declarantA),
      payload: { kind: "answer", body: "Les serveurs de fichiers uniquement." },
    });
    expect(answer.statusCode, answer.body).toBe(201);
    expect((await incidentRow(onA)).status).toBe("in_progress");
    const outsider = await t.app.inject({
      method: "POST",
      url: `/api/declarations/${onA}/messages`,
      headers: await sessionOf(declarantB),
      payload: { kind: "message", body: "Bonjour" },
    });
    expect(outsider.statusCode).toBe(404);
  });

  it("the CERT changes the status along the allowed transitions only, and tells the declarant", async () => {
    const change = (status: string, comment?: string) =>
      sessionOf(analyst).then((headers) =>
        t.app.inject({
          method: "POST",
          url: `/api/declarations/${onB}/status`,
          headers,
          payload: { status, ...(comment ? { comment } : {}) },
        }),
      );
    // A new declaration is neither closed directly nor resolved before it is qualified.
    const skipped = await change("closed");
    expect(skipped.statusCode).toBe(400);
    expect(skipped.json().error).toMatchObject({ code: "VALIDATION_FAILED", fields: [{ field: "status" }] });
    const unqualified = await change("resolved");
    expect(unqualified.statusCode).toBe(409);
    expect(unqualified.json().error).toMatchObject({
      code: "QUALIFICATION_REQUIRED",
      fields: [{ field: "qualification" }],
    });
    const qualified = await t.app.inject({
      method: "PUT",
      url: `/api/cases/${onB}/qualification`,
      headers: await sessionOf(analyst),
      payload: {
        outOfScope: false,
        origin: "non_malicious",
        nonMaliciousTypes: ["application_bug"],
        operationalImpact: "none",
        dataImpacts: ["none"],
        patientEndangerment: "none",
        summary: "Anomalie applicative sans conséquence, corrigée par l'éditeur.",
      },
    });
    expect(qualified.statusCode, qualified.body).toBe(200);
    expect((await change("resolved")).statusCode).toBe(200);
    const closed = await change("closed", "Incident résolu par la structure.");
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().status).toBe("closed");
    expect(closed.json().statusHistory.at(-1)).toMatchObject({
      from: "resolved",
      to: "closed",
      comment: "Incident résolu par la structure.",
    });
    const invalid = await change("waiting_declarant");
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error).toMatchObject({ code: "VALIDATION_FAILED", fields: [{ field: "status" }] });
    expect((await change("closed")).statusCode).toBe(400);
    expect((await change("in_progress")).statusCode).toBe(200);
    const mails = await mailsTo("claire.martin@ch-essai.test");
    expect(mails.some((m) => m.subject.includes("clôturée") && m.text_body.includes("Incident résolu"))).toBe(
      true,
    );
    const declarantTry = await t.app.inject({
      method: "POST",
      url: `/api/declarations/${onB}/status`,
      headers: await sessionOf(declarantB),
      payload: { status: "closed" },
    });
    expect(declarantTry.statusCode).toBe(403);
    const audits = await t.database.db
      .selectFrom("audit_log")
      .select("details")
      .where("action", "=", "declaration.status_changed")
      .where("object_id", "=", onB)
      .execute();
    expect(audits.map((a) => (a.details as { to: string }).to)).toEqual([
      "resolved",
      "closed",
      "in_progress",
    ]);
  });
});

describe("other ways in", () => {
  it("API v1 accepts a token scoped declarations:create, refuses one without", async () => {
    const headers = await sessionOf(declarantA);
    const create = async (scopes: string[]) => {
      const response = await t.app.inject({
        method: "POST",
        url: "/api/tokens",
        headers,
        payload: { name: `outil ${scopes}`, scopes },
      });
      expect(response.statusCode, response.body).toBe(201);
      return { authorization: `Bearer ${response.json().token}` };
    };
    const good = await create(["declarations:create"]);
    const response = await submit(minimal([structureA.finessEt]), good, "/api/v1/declarations");
    expect(response.statusCode, response.body).toBe(201);
    const row = await incidentRow(response.json().id);
    expect(row).toMatchObject({ channel: "portal", standing: "verified", declarant_user_id: declarantA.id });
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select("details")
      .where("action", "=", "declaration.submitted")
      .where("object_id", "=", row.id)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ via: "api" });

    const readOnly = await create(["declarations:read"]);
    const refused = await submit(minimal([structureA.finessEt]), readOnly, "/api/v1/declarations");
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe("FORBIDDEN");
    expect((await submit(minimal([structureA.finessEt]), {}, "/api/v1/declarations")).statusCode).toBe(401);
  });

  it("documents API v1 in OpenAPI with an example", async () => {
    const spec = (await t.app.inject({ method: "GET", url: "/api/docs/json" })).json();
    const operation = spec.paths["/api/v1/declarations"].post;
    expect(operation.security).toEqual([{ bearer: [] }]);
    expect(JSON.stringify(operation.requestBody)).toContain("Chiffrement des serveurs de fichiers");
  });

  it("an analyst records a phone declaration on behalf of a structure", async () => {
    const headers = await sessionOf(analyst);
    const missing = await submit(minimal([structureA.finessEt]), headers, "/api/declarations/recorded");
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields[0].field).toBe("channel");

    const payload = minimal([structureA.finessEt], {
      channel: "phone_oncall",
      declarant: { fullName: declarantA.full_name, email: declarantA.email, phone: "0102030405" },
    });
    const response = await submit(payload, headers, "/api/declarations/recorded");
    expect(response.statusCode, response.body).toBe(201);
    const row = await incidentRow(response.json().id);
    expect(row).toMatchObject({
      channel: "phone_oncall",
      recorded_by_user_id: analyst.id,
      declarant_user_id: declarantA.id,
      standing: "verified",
    });
    // The declarant then finds it in their own list.
    const mine = await t.app.inject({
      method: "GET",
      url: `/api/declarations/${row.id}`,
      headers: await sessionOf(declarantA),
    });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().statusHistory[0].by).toBe("CERT Santé");

    const unknown = await submit(
      minimal([structureB.finessEt], {
        channel: "email",
        declarant: { fullName: "Sans Compte", email: "sans.compte@clinique.test", phone: "0102030405" },
      }),
      headers,
      "/api/declarations/recorded",
    );
    expect(unknown.statusCode).toBe(201);
    expect(unknown.json().followUrl).toContain("/suivi/");
    expect((await incidentRow(unknown.json().id)).standing).toBe("anonymous");
    expect(
      (
        await submit(
          minimal([structureA.finessEt], { channel: "phone_oncall" }),
          await sessionOf(declarantA),
          "/api/declarations/recorded",
        )
      ).statusCode,
    ).toBe(403);
  });
});

describe("drafts", () => {
  it("are saved, listed, removed on submission and deleted", async () => {
    const headers = await sessionOf(declarantA);
    const key = randomUUID();
    const saved = await t.app.inject({
      method: "PUT",
      url: `/api/declarations/drafts/${key}`,
      headers,
      payload: { data: { step: 2, title: "Brouillon" } },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ key, data: { step: 2, title: "Brouillon" } });
    const resaved = await t.app.inject({
      method: "PUT",
      url: `/api/declarations/drafts/${key}`,
      headers,
      payload: { data: { step: 3 } },
    });
    expect(resaved.json().data).toEqual({ step: 3 });
    const listed = (await t.app.inject({ method: "GET", url: "/api/declarations/drafts", headers })).json();
    expect(listed.items).toEqual([expect.objectContaining({ key, data: { step: 3 } })]);
    const others = (
      await t.app.inject({
        method: "GET",
        url: "/api/declarations/drafts",
        headers: await sessionOf(declarantB),
      })
    ).json();
    expect(others.items).toEqual([]);

    expect((await submit(minimal([structureA.finessEt], { idempotencyKey: key }), headers)).statusCode).toBe(
      201,
    );
    const after = (await t.app.inject({ method: "GET", url: "/api/declarations/drafts", headers })).json();
    expect(after.items).toEqual([]);

    const other = randomUUID();
    await t.app.inject({
      method: "PUT",
      url: `/api/declarations/drafts/${other}`,
      headers,
      payload: { data: { a: 1 } },
    });
    expect(
      (await t.app.inject({ method: "DELETE", url: `/api/declarations/drafts/${other}`, headers }))
        .statusCode,
    ).toBe(204);
    expect(
      (await t.app.inject({ method: "DELETE", url: `/api/declarations/drafts/${other}`, headers }))
        .statusCode,
    ).toBe(404);
  });

  it("refuse more than 200 kB, naming data", async () => {
    const response = await t.app.inject({
      method: "PUT",
      url: `/api/declarations/drafts/${randomUUID()}`,
      headers: await sessionOf(declarantA),
      payload: { data: { text: "x".repeat(205 * 1024) } },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields[0].field).toBe("data");
  });
});

describe("portal settings", () => {
  it("gives the on-call number to anyone, before any declaration", async () => {
    const custom = await createTestApp({ ONCALL_PHONE: "+33 1 99 00 11 22" });
    try {
      const response = await custom.app.inject({ method: "GET", url: "/api/declarations/settings" });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ oncallPhone: "+33 1 99 00 11 22" });
    } finally {
      await custom.close();
    }
  });
});
