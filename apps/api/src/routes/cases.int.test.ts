import { randomUUID } from "node:crypto";
import { type DeclarationStatusCode, declarationStatuses, declarationTransitions } from "@vigie/contracts";
import { startSession } from "@vigie/core";
import { createStructure, createTestApp, createUser, type TestApp, type TestUser } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSRF_HEADER, SESSION_COOKIE } from "../plugins/auth.ts";

// The CERT's handling of a case (decision 0008): state machine, qualification, assignment,
// deadlines, timings, journal, and the queue's handling filters and counters.
let t: TestApp;
type Structure = Awaited<ReturnType<typeof createStructure>>;
let structure: Structure;
let corsica: Structure;
let declarant: TestUser;
let analyst: TestUser;
let lead: TestUser;
let otherAnalyst: TestUser;
let disabledAnalyst: TestUser;
let admin: TestUser;
let ars: TestUser;

/** Tuesday 10 March 2026, 10:00 in Paris. */
const TUESDAY = new Date("2026-03-10T09:00:00Z");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

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

async function declare(fields: Record<string, unknown> = {}, finess = structure.finessEt): Promise<string> {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/declarations",
    headers: await sessionOf(declarant),
    payload: {
      idempotencyKey: randomUUID(),
      finess: [finess],
      declarant: { fullName: "Claire Martin", email: "claire.martin@ch-essai.test", phone: "0123456789" },
      title: "Panne du logiciel de paie",
      description: "Le logiciel de paie ne répond plus depuis la mise à jour de la nuit.",
      detectedAt: "2026-03-10T07:30:00+01:00",
      operationalImpact: "degraded_support",
      stateAtDeclaration: "in_progress",
      supportRequested: false,
      ...fields,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

type Method = "GET" | "POST" | "PUT" | "PATCH";
async function call(method: Method, url: string, payload?: unknown, user: TestUser = analyst) {
  return t.app.inject({
    method,
    url,
    headers: await sessionOf(user),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

const getCase = (id: string, user: TestUser = analyst) => call("GET", `/api/cases/${id}`, undefined, user);
const changeStatus = (id: string, status: string, user: TestUser = analyst) =>
  call("POST", `/api/declarations/${id}/status`, { status }, user);
const qualify = (id: string, body: Record<string, unknown>, user: TestUser = analyst) =>
  call("PUT", `/api/cases/${id}/qualification`, body, user);
const patchCase = (id: string, body: Record<string, unknown>, user: TestUser = analyst) =>
  call("PATCH", `/api/cases/${id}`, body, user);
const acknowledge = (id: string, user: TestUser = analyst) =>
  call("POST", `/api/cases/${id}/acknowledge`, undefined, user);

const MALICIOUS = {
  outOfScope: false,
  origin: "malicious",
  maliciousTypes: ["ransomware"],
  siEffect: "important",
  operationalImpact: "care_interrupted",
  dataImpacts: ["data_loss_or_unavailability"],
  dataTypes: ["personal_health"],
  patientEndangerment: "potential",
  summary: "Rançongiciel LockBit sur les serveurs de fichiers, imagerie interrompue.",
};
const NON_MALICIOUS = {
  outOfScope: false,
  origin: "non_malicious",
  nonMaliciousTypes: ["application_bug"],
  operationalImpact: "degraded_support",
  dataImpacts: ["none"],
  patientEndangerment: "none",
  summary: "Anomalie de la mise à jour de l'éditeur, corrigée par un correctif.",
};

async function mustQualify(id: string, body: Record<string, unknown> = NON_MALICIOUS) {
  const response = await qualify(id, body);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
async function mustMove(id: string, status: string) {
  const response = await changeStatus(id, status);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** A fresh case brought to a status along allowed transitions (qualified when it must be). */
async function caseIn(
  status: DeclarationStatusCode,
  options: { qualified?: boolean; finess?: string } = {},
): Promise<string> {
  const id = await declare({}, options.finess);
  if (options.qualified || status === "resolved" || status === "closed") await mustQualify(id);
  if (status === "resolved" || status === "closed") await mustMove(id, "resolved");
  if (status === "closed") await mustMove(id, "closed");
  if (status === "triage" || status === "in_progress" || status === "waiting_declarant") {
    await mustMove(id, status);
  }
  return id;
}

async function incidentRow(id: string) {
  return t.database.db.selectFrom("incidents").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

async function journalOf(id: string) {
  return t.database.db
    .selectFrom("incident_journal")
    .selectAll()
    .where("incident_id", "=", id)
    .orderBy("id")
    .execute();
}

beforeAll(async () => {
  t = await createTestApp({
    CASE_FIRST_RESPONSE_URGENT_MINUTES: "30",
    CASE_FIRST_RESPONSE_HOURS: "8",
    CASE_QUALIFICATION_DAYS: "3",
  });
  t.clock.now = TUESDAY;
  const db = t.database.db;
  structure = await createStructure(db, { regionCode: "11", name: "Centre hospitalier de Meaux" });
  corsica = await createStructure(db, {
    regionCode: "94",
    departmentCode: "2A",
    name: "Centre hospitalier d'Ajaccio",
    town: "AJACCIO",
  });
  declarant = await createUser(db, "declarant", { structureIds: [structure.id, corsica.id] });
  analyst = await createUser(db, "cert_analyst");
  lead = await createUser(db, "cert_lead");
  otherAnalyst = await createUser(db, "cert_analyst");
  disabledAnalyst = await createUser(db, "cert_analyst", { disabled: true });
  admin = await createUser(db, "admin");
  ars = await createUser(db, "ars", { regionCode: "11" });
});
afterAll(async () => {
  await t?.close();
});

describe("the state machine", () => {
  const allowed = declarationStatuses.flatMap((from) =>
    declarationTransitions[from].map((to) => [from, to] as const),
  );
  const refused = declarationStatuses.flatMap((from) =>
    declarationStatuses
      .filter((to) => !declarationTransitions[from].includes(to))
      .map((to) => [from, to] as const),
  );

  it.each(allowed)("allows %s → %s", async (from, to) => {
    const id = await caseIn(from, { qualified: to === "resolved" });
    const response = await changeStatus(id, to);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().status).toBe(to);
    expect(response.json().statusHistory.at(-1)).toMatchObject({ from, to });
    expect((await incidentRow(id)).status).toBe(to);
  });

  it("refuses every other transition, naming the status, and changes nothing", async () => {
    expect(refused.length).toBeGreaterThan(0);
    const cases = new Map<DeclarationStatusCode, string>();
    for (const status of declarationStatuses) cases.set(status, await caseIn(status, { qualified: true }));
    for (const [from, to] of refused) {
      const id = cases.get(from) as string;
      const response = await changeStatus(id, to);
      expect(response.statusCode, `${from} → ${to}: ${response.body}`).toBe(400);
      expect(response.json().error).toMatchObject({
        code: "VALIDATION_FAILED",
        fields: [{ field: "status" }],
      });
      expect((await incidentRow(id)).status).toBe(from);
    }
  });

  it("refuses resolving an unqualified case (409 QUALIFICATION_REQUIRED), accepts it once qualified", async () => {
    const id = await caseIn("in_progress");
    const refusedResolution = await changeStatus(id, "resolved");
    expect(refusedResolution.statusCode).toBe(409);
    expect(refusedResolution.json().error).toMatchObject({
      code: "QUALIFICATION_REQUIRED",
      fields: [{ field: "qualification" }],
    });
    expect((await incidentRow(id)).status).toBe("in_progress");
    expect((await getCase(id)).json().allowedTransitions).toEqual(["waiting_declarant"]);
    await mustQualify(id);
    expect((await getCase(id)).json().allowedTransitions).toEqual(["waiting_declarant", "resolved"]);
    expect((await changeStatus(id, "resolved")).statusCode).toBe(200);
  });

  it("sets the handling times along the way, clears resolution and closure on reopening", async () => {
    t.clock.now = TUESDAY;
    const id = await declare();
    let view = (await getCase(id)).json();
    expect(view.timings).toEqual({
      acknowledgedAt: null,
      qualifiedAt: null,
      resolvedAt: null,
      closedAt: null,
      minutesToAcknowledge: null,
      minutesToQualify: null,
      minutesToClose: null,
    });
    t.clock.advance(45 * MINUTE);
    await mustMove(id, "triage");
    const acknowledgedAt = t.clock.now.toISOString();
    t.clock.advance(2 * HOUR);
    await mustMove(id, "in_progress");
    const qualifiedAt = t.clock.now.toISOString();
    await mustQualify(id);
    t.clock.advance(DAY);
    await mustMove(id, "resolved");
    const resolvedAt = t.clock.now.toISOString();
    t.clock.advance(HOUR);
    await mustMove(id, "closed");
    const closedAt = t.clock.now.toISOString();
    view = (await getCase(id)).json();
    expect(view.timings).toEqual({
      acknowledgedAt,
      qualifiedAt,
      resolvedAt,
      closedAt,
      minutesToAcknowledge: 45,
      minutesToQualify: 165,
      minutesToClose: 45 + 120 + 24 * 60 + 60,
    });
    // Every change is timestamped in the history.
    const history = await t.database.db
      .selectFrom("incident_status_changes")
      .select(["to_status", "changed_at"])
      .where("incident_id", "=", id)
      .orderBy("id")
      .execute();
    expect(history.map((h) => [h.to_status, new Date(h.changed_at).toISOString()])).toEqual([
      ["new", TUESDAY.toISOString()],
      ["triage", acknowledgedAt],
      ["in_progress", qualifiedAt],
      ["resolved", resolvedAt],
      ["closed", closedAt],
    ]);

    t.clock.advance(DAY);
    await mustMove(id, "in_progress");
    view = (await getCase(id)).json();
    expect(view.timings).toMatchObject({
      acknowledgedAt,
      qualifiedAt,
      resolvedAt: null,
      closedAt: null,
      minutesToClose: null,
    });
    // Acknowledged once: going back and forth does not move it.
    await mustMove(id, "waiting_declarant");
    expect((await incidentRow(id)).acknowledged_at).toEqual(new Date(acknowledgedAt));
    t.clock.now = TUESDAY;
  });

  it("refuses a CERT question on a resolved or closed case (reopen first), keeps it elsewhere", async () => {
    const question = (id: string) =>
      call("POST", `/api/declarations/${id}/messages`, { kind: "question", body: "Où en êtes-vous ?" });
    for (const status of ["resolved", "closed"] as const) {
      const id = await caseIn(status);
      const refusedQuestion = await question(id);
      expect(refusedQuestion.statusCode).toBe(400);
      expect(refusedQuestion.json().error.fields[0]).toMatchObject({ field: "kind" });
      expect(refusedQuestion.json().error.message).toContain("rouvrez");
      expect((await incidentRow(id)).status).toBe(status);
    }
    const open = await caseIn("triage");
    expect((await question(open)).statusCode).toBe(201);
    expect((await incidentRow(open)).status).toBe("waiting_declarant");
  });
});

describe("deadlines", () => {
  it("are computed at submission from the configuration, urgent or not", async () => {
    t.clock.now = TUESDAY;
    const due = async (fields: Record<string, unknown>) => {
      const view = (await getCase(await declare(fields))).json();
      return [view.firstResponseDueAt, view.qualificationDueAt];
    };
    const urgent = new Date(TUESDAY.getTime() + 30 * MINUTE).toISOString();
    const ordinary = new Date(TUESDAY.getTime() + 8 * HOUR).toISOString();
    const qualification = new Date(TUESDAY.getTime() + 3 * DAY).toISOString();
    expect(await due({})).toEqual([ordinary, qualification]);
    expect(await due({ operationalImpact: "degraded_care" })).toEqual([urgent, qualification]);
    expect(await due({ operationalImpact: "care_interrupted" })).toEqual([urgent, qualification]);
    expect(await due({ patientEndangerment: "potential" })).toEqual([urgent, qualification]);
    expect(await due({ patientEndangerment: "actual" })).toEqual([urgent, qualification]);
    expect(await due({ patientEndangerment: "none" })).toEqual([ordinary, qualification]);
    expect(await due({ supportRequested: true })).toEqual([urgent, qualification]);
  });

  it("are changed by an analyst, each change journaled", async () => {
    const id = await declare();
    const firstResponseDueAt = "2026-03-10T12:00:00.000Z";
    const response = await patchCase(id, { firstResponseDueAt, qualificationDueAt: null });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ firstResponseDueAt, qualificationDueAt: null });
    const journal = await journalOf(id);
    expect(journal.map((j) => [j.kind, j.field, j.old_value, j.new_value])).toEqual([
      ["field_change", "firstResponseDueAt", "2026-03-10T17:00:00.000Z", firstResponseDueAt],
      ["field_change", "qualificationDueAt", "2026-03-13T09:00:00.000Z", null],
    ]);
  });
});

describe("assignment, TLP and acknowledgment", () => {
  it("lists the CERT's active people as possible assignees", async () => {
    const response = await call("GET", "/api/cases/analysts");
    expect(response.statusCode, response.body).toBe(200);
    const ids = response.json().items.map((p: { id: string }) => p.id);
    expect(ids).toEqual(expect.arrayContaining([analyst.id, lead.id, otherAnalyst.id]));
    expect(ids).not.toContain(disabledAnalyst.id);
    expect(ids).not.toContain(admin.id);
    expect(ids).not.toContain(declarant.id);
    expect(response.json().items.find((p: { id: string }) => p.id === lead.id)).toEqual({
      id: lead.id,
      fullName: lead.full_name,
    });
  });

  it("assigns to an active analyst or lead only, journals each change, unassigns", async () => {
    const id = await declare();
    for (const user of [admin, declarant, disabledAnalyst]) {
      const refusedAssignment = await patchCase(id, { assigneeId: user.id });
      expect(refusedAssignment.statusCode).toBe(400);
      expect(refusedAssignment.json().error).toMatchObject({
        code: "VALIDATION_FAILED",
        fields: [{ field: "assigneeId" }],
      });
    }
    const unknown = await patchCase(id, { assigneeId: randomUUID() });
    expect(unknown.json().error.fields[0].field).toBe("assigneeId");
    expect((await incidentRow(id)).assignee_user_id).toBeNull();

    const assigned = await patchCase(id, { assigneeId: lead.id, tlp: "red" });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json()).toMatchObject({
      assignee: { id: lead.id, fullName: lead.full_name },
      tlp: "red",
    });
    // The same values again change nothing and journal nothing.
    expect((await patchCase(id, { assigneeId: lead.id, tlp: "red" })).statusCode).toBe(200);
    const reassigned = await patchCase(id, { assigneeId: otherAnalyst.id }, lead);
    expect(reassigned.json().assignee.id).toBe(otherAnalyst.id);
    const unassigned = await patchCase(id, { assigneeId: null });
    expect(unassigned.json().assignee).toBeNull();

    const journal = await journalOf(id);
    expect(journal.map((j) => [j.field, j.old_value, j.new_value])).toEqual([
      ["assignee", null, { id: lead.id, fullName: lead.full_name }],
      ["tlp", "amber", "red"],
      [
        "assignee",
        { id: lead.id, fullName: lead.full_name },
        { id: otherAnalyst.id, fullName: otherAnalyst.full_name },
      ],
      ["assignee", { id: otherAnalyst.id, fullName: otherAnalyst.full_name }, null],
    ]);
    expect(journal.every((j) => j.kind === "field_change")).toBe(true);
    expect(journal[2]?.actor_user_id).toBe(lead.id);
    const audits = await t.database.db
      .selectFrom("audit_log")
      .select(["details", "actor_user_id"])
      .where("action", "=", "case.updated")
      .where("object_id", "=", id)
      .execute();
    expect(audits).toHaveLength(3);
    expect(audits.every((a) => a.actor_user_id !== null)).toBe(true);
    const tlpAudit = audits.find((a) => "tlp" in ((a.details as { changes?: object }).changes ?? {}));
    expect(tlpAudit?.details).toMatchObject({
      changes: { tlp: { from: "amber", to: "red" }, assignee: { from: null, to: { id: lead.id } } },
    });
    const empty = await patchCase(id, {});
    expect(empty.statusCode).toBe(400);
  });

  it("acknowledges a new case: triage, assigned to the reader, the declarant told; refused after", async () => {
    const id = await declare();
    const response = await acknowledge(id);
    expect(response.statusCode, response.body).toBe(200);
    const view = response.json();
    expect(view.declaration.status).toBe("triage");
    expect(view.assignee).toEqual({ id: analyst.id, fullName: analyst.full_name });
    expect(view.timings.acknowledgedAt).toBe(t.clock.now.toISOString());
    expect(view.declaration.statusHistory.at(-1)).toMatchObject({ from: "new", to: "triage" });
    const mails = await t.database.db
      .selectFrom("mail_outbox")
      .select("subject")
      .where("to_address", "=", "claire.martin@ch-essai.test")
      .execute();
    expect(mails.some((m) => m.subject.includes("prise en compte"))).toBe(true);
    const again = await acknowledge(id, otherAnalyst);
    expect(again.statusCode).toBe(400);
    expect(again.json().error.fields[0].field).toBe("status");

    // Already assigned: the assignee is kept.
    const other = await declare();
    await patchCase(other, { assigneeId: otherAnalyst.id });
    const kept = await acknowledge(other);
    expect(kept.json()).toMatchObject({
      assignee: { id: otherAnalyst.id },
      declaration: { status: "triage" },
    });
    expect((await journalOf(other)).filter((j) => j.field === "assignee")).toHaveLength(1);
  });

  it("keeps the case within the CERT and its scope", async () => {
    const id = await declare();
    expect((await getCase(id, declarant)).statusCode).toBe(403);
    expect((await getCase(id, ars)).statusCode).toBe(403);
    expect((await qualify(id, NON_MALICIOUS, declarant)).statusCode).toBe(403);
    expect((await getCase(randomUUID())).statusCode).toBe(404);
    expect((await getCase(id, lead)).statusCode).toBe(200);
  });
});

describe("qualification", () => {
  const fieldsOf = async (id: string, body: Record<string, unknown>) => {
    const response = await qualify(id, body);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json().error.code).toBe("VALIDATION_FAILED");
    return response.json().error.fields.map((f: { field: string }) => f.field);
  };

  it("must be complete and coherent, each error naming its field", async () => {
    const id = await declare();
    const summary = "Résumé de la qualification du cas.";
    expect(await fieldsOf(id, { outOfScope: true, summary })).toEqual(["outOfScopeReason"]);
    expect(
      await fieldsOf(id, { outOfScope: true, outOfScopeReason: "duplicate", origin: "malicious", summary }),
    ).toEqual(["outOfScope"]);
    expect(
      await fieldsOf(id, { outOfScope: true, outOfScopeReason: "exercise", dataImpacts: ["none"], summary }),
    ).toEqual(["outOfScope"]);
    expect(await fieldsOf(id, { ...MALICIOUS, maliciousTypes: [], siEffect: null })).toEqual(
      expect.arrayContaining(["maliciousTypes", "siEffect"]),
    );
    expect(await fieldsOf(id, { ...NON_MALICIOUS, nonMaliciousTypes: [] })).toEqual(["nonMaliciousTypes"]);
    expect(await fieldsOf(id, { ...NON_MALICIOUS, siEffect: "low" })).toEqual(["siEffect"]);
    expect(await fieldsOf(id, { ...NON_MALICIOUS, maliciousTypes: ["fraud"] })).toEqual(["maliciousTypes"]);
    expect(await fieldsOf(id, { ...NON_MALICIOUS, dataTypes: ["personal_health"] })).toEqual(["dataTypes"]);
    expect(await fieldsOf(id, { ...NON_MALICIOUS, outOfScopeReason: "other" })).toEqual(["outOfScopeReason"]);
    expect(await fieldsOf(id, { ...NON_MALICIOUS, origin: null })).toEqual(
      expect.arrayContaining(["origin", "nonMaliciousTypes"]),
    );
    expect(await fieldsOf(id, { ...NON_MALICIOUS, operationalImpact: null })).toEqual(["operationalImpact"]);
    expect(await fieldsOf(id, { ...NON_MALICIOUS, dataImpacts: [] })).toEqual(["dataImpacts"]);
    expect(await fieldsOf(id, { ...NON_MALICIOUS, patientEndangerment: null })).toEqual([
      "patientEndangerment",
    ]);
    expect(await fieldsOf(id, { ...NON_MALICIOUS, summary: "court" })).toEqual(["summary"]);
    expect((await incidentRow(id)).qualified_at).toBeNull();
    // Out of scope: a reason and a summary, nothing else.
    const outOfScope = await qualify(id, { outOfScope: true, outOfScopeReason: "exercise", summary });
    expect(outOfScope.statusCode, outOfScope.body).toBe(200);
    expect(outOfScope.json().qualification).toMatchObject({
      outOfScope: true,
      outOfScopeReason: "exercise",
      origin: null,
      maliciousTypes: [],
    });
  });

  it("keeps the declared values beside the qualified ones; the queue reads the effective ones", async () => {
    t.clock.now = TUESDAY;
    const id = await declare({
      title: "Faux ordre de virement",
      proposedOrigin: "non_malicious",
      proposedNonMaliciousTypes: ["human_error"],
      operationalImpact: "none",
    });
    const listed = async (query: string) => {
      const response = await call("GET", `/api/declarations?q=virement&${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json().items.map((i: { id: string }) => i.id);
    };
    expect(await listed("origin=non_malicious")).toContain(id);
    expect(await listed("origin=malicious")).not.toContain(id);
    expect(await listed("type=human_error")).toContain(id);
    expect(await listed("impact=none")).toContain(id);
    expect(await listed("qualified=false")).toContain(id);

    t.clock.advance(HOUR);
    const view = await mustQualify(id, MALICIOUS);
    expect(view.declaration.data).toMatchObject({
      proposedOrigin: "non_malicious",
      proposedNonMaliciousTypes: ["human_error"],
      proposedMaliciousTypes: [],
      operationalImpact: "none",
    });
    expect(view.qualification).toEqual({
      ...MALICIOUS,
      outOfScopeReason: null,
      nonMaliciousTypes: [],
      qualifiedAt: t.clock.now.toISOString(),
      qualifiedBy: { id: analyst.id, fullName: analyst.full_name },
    });
    const row = await incidentRow(id);
    expect(row).toMatchObject({
      proposed_origin: "non_malicious",
      origin: "malicious",
      effective_origin: "malicious",
      operational_impact: "none",
      effective_operational_impact: "care_interrupted",
      qualified_by_user_id: analyst.id,
    });
    expect(row.first_qualified_at).toEqual(t.clock.now);
    expect(await listed("origin=malicious")).toContain(id);
    expect(await listed("origin=non_malicious")).not.toContain(id);
    expect(await listed("type=ransomware")).toContain(id);
    expect(await listed("type=human_error")).not.toContain(id);
    expect(await listed("impact=care_affected")).toContain(id);
    expect(await listed("impact=none")).not.toContain(id);
    expect(await listed("qualified=true")).toContain(id);
    expect(await listed("qualified=false")).not.toContain(id);

    // Journal: one line per qualified field that changed (kind « qualification »).
    let journal = await journalOf(id);
    expect(journal.every((j) => j.kind === "qualification")).toBe(true);
    expect(journal.map((j) => j.field)).toEqual([
      "origin",
      "maliciousTypes",
      "siEffect",
      "operationalImpact",
      "dataImpacts",
      "dataTypes",
      "patientEndangerment",
      "summary",
    ]);
    expect(journal.find((j) => j.field === "origin")).toMatchObject({
      old_value: null,
      new_value: "malicious",
    });

    // A second qualification journals only what changed; the first qualification time is kept.
    const firstQualifiedAt = t.clock.now.toISOString();
    t.clock.advance(HOUR);
    const requalified = await mustQualify(id, { ...MALICIOUS, siEffect: "extreme" });
    expect(requalified.timings.qualifiedAt).toBe(firstQualifiedAt);
    expect(requalified.qualification.qualifiedAt).toBe(t.clock.now.toISOString());
    journal = await journalOf(id);
    expect(journal.slice(8).map((j) => [j.field, j.old_value, j.new_value])).toEqual([
      ["siEffect", "important", "extreme"],
    ]);
    t.clock.now = TUESDAY;
  });

  it("is allowed in any status but closed", async () => {
    for (const status of ["new", "triage", "in_progress", "waiting_declarant", "resolved"] as const) {
      const id = await caseIn(status);
      expect((await qualify(id, MALICIOUS)).statusCode, status).toBe(200);
    }
    const closed = await caseIn("closed");
    const refusedQualification = await qualify(closed, MALICIOUS);
    expect(refusedQualification.statusCode).toBe(400);
    expect(refusedQualification.json().error.fields[0].field).toBe("status");
    expect((await incidentRow(closed)).origin).toBe("non_malicious");
  });
});

describe("the queue's handling filters and counters", () => {
  // Cases of a structure in Corsica (region 94), so the counters count these only.
  const names = {} as Record<"urgent" | "ordinary" | "mine" | "theirs" | "done", string>;
  const region = "region=94";
  const listed = async (query: string, user: TestUser = analyst) => {
    const response = await call("GET", `/api/declarations?${region}&${query}`, undefined, user);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const namesOf = async (query: string, user: TestUser = analyst) => {
    const byId = new Map(Object.entries(names).map(([name, id]) => [id, name]));
    return (await listed(query, user)).items.map((i: { id: string }) => byId.get(i.id)).sort();
  };

  beforeAll(async () => {
    t.clock.now = TUESDAY;
    // Urgent: first response due in 30 minutes.
    names.urgent = await declare({ operationalImpact: "care_interrupted" }, corsica.finessEt);
    // Ordinary: due in 8 hours.
    names.ordinary = await declare({}, corsica.finessEt);
    names.mine = await declare({}, corsica.finessEt);
    names.theirs = await declare({}, corsica.finessEt);
    await acknowledge(names.mine);
    await acknowledge(names.theirs, otherAnalyst);
    names.done = await caseIn("closed", { finess: corsica.finessEt });
  });

  it("filters by assignee (an analyst, me, none)", async () => {
    expect(await namesOf("assignee=me")).toEqual(["mine"]);
    expect(await namesOf(`assignee=${otherAnalyst.id}`)).toEqual(["theirs"]);
    expect(await namesOf("assignee=none")).toEqual(["done", "ordinary", "urgent"]);
    expect(await namesOf("assignee=me", otherAnalyst)).toEqual(["theirs"]);
    const wrong = await call("GET", "/api/declarations?assignee=quelqu-un");
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields[0].field).toBe("assignee");
  });

  it("computes overdue from the clock: new past first response, unqualified past qualification", async () => {
    t.clock.now = new Date(TUESDAY.getTime() + 10 * MINUTE);
    expect(await namesOf("overdue=true")).toEqual([]);
    let page = await listed("");
    expect(page.counters).toEqual({ overdue: 0, unassigned: 2, mine: 1 });

    t.clock.now = new Date(TUESDAY.getTime() + 31 * MINUTE);
    expect(await namesOf("overdue=true")).toEqual(["urgent"]);
    expect(await namesOf("overdue=false")).toEqual(["done", "mine", "ordinary", "theirs"]);

    t.clock.now = new Date(TUESDAY.getTime() + 9 * HOUR);
    expect(await namesOf("overdue=true")).toEqual(["ordinary", "urgent"]);
    page = await listed("overdue=true");
    expect(page.counters).toEqual({ overdue: 2, unassigned: 2, mine: 0 });
    const handling = page.items.find((i: { id: string }) => i.id === names.urgent).handling;
    expect(handling).toMatchObject({ overdue: true, qualified: false, assignee: null, tlp: "amber" });

    // Past the qualification deadline (3 days), acknowledged but unqualified cases are overdue too.
    t.clock.now = new Date(TUESDAY.getTime() + 3 * DAY + MINUTE);
    expect(await namesOf("overdue=true")).toEqual(["mine", "ordinary", "theirs", "urgent"]);
    expect(await namesOf("overdue=true&assignee=me")).toEqual(["mine"]);
    page = await listed("status=closed");
    // The counters leave the status filter aside.
    expect(page.counters).toEqual({ overdue: 4, unassigned: 2, mine: 1 });
    expect(page.items.map((i: { id: string }) => i.id)).toEqual([names.done]);
    await mustQualify(names.mine);
    expect(await namesOf("overdue=true")).toEqual(["ordinary", "theirs", "urgent"]);
    const mine = (await listed("assignee=me")).items[0];
    expect(mine.handling).toMatchObject({
      assignee: { id: analyst.id, fullName: analyst.full_name },
      overdue: false,
      qualified: true,
      outOfScope: false,
      event: null,
    });
    expect((await getCase(names.mine)).json().overdue).toBe(false);
    expect((await getCase(names.theirs)).json().overdue).toBe(true);
    t.clock.now = TUESDAY;
  });

  it("sorts by the nearest deadline", async () => {
    t.clock.now = new Date(TUESDAY.getTime() + HOUR);
    // urgent: +30 min; ordinary: +8 h; mine is qualified (none); theirs: +3 days; done: none.
    const page = await listed("sort=due");
    const byId = new Map(Object.entries(names).map(([name, id]) => [id, name]));
    expect(page.items.map((i: { id: string }) => byId.get(i.id))).toEqual([
      "urgent",
      "ordinary",
      "theirs",
      // No pending deadline: newest first.
      "done",
      "mine",
    ]);
    t.clock.now = TUESDAY;
  });

  it("gives the handling and counters to the CERT only", async () => {
    const own = await listed("assignee=none&overdue=true", declarant);
    expect(own.counters).toBeUndefined();
    expect(own.items.every((i: Record<string, unknown>) => i.handling === undefined)).toBe(true);
    // The handling filters do not apply to the declarant's side.
    expect(own.items.map((i: { id: string }) => i.id).sort()).toEqual(Object.values(names).sort());
    const cert = await listed("");
    expect(cert.items.every((i: Record<string, unknown>) => i.handling !== undefined)).toBe(true);
    expect(cert.counters).toBeDefined();
  });
});
