import { randomUUID } from "node:crypto";
import { loadConfig } from "@vigie/config";
import { declarationSettingsFrom, remindClocks, startSession } from "@vigie/core";
import { createStructure, createTestApp, createUser, type TestApp, type TestUser } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSRF_HEADER, SESSION_COOKIE } from "../plugins/auth.ts";

// Regulatory clocks (decision 0009): opened by the qualification (NIS 2 for an OSE structure,
// CNIL for personal data disclosed), filed, intermediate reports, lists, and reminders.
let t: TestApp;
type Structure = Awaited<ReturnType<typeof createStructure>>;
let ose: Structure;
let plain: Structure;
let analyst: TestUser;
let declarant: TestUser;

/** Tuesday 10 March 2026, 10:00 in Paris. */
const START = new Date("2026-03-10T09:00:00Z");
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const settings = declarationSettingsFrom(loadConfig({ NODE_ENV: "test" }));

async function sessionOf(user: TestUser): Promise<Record<string, string>> {
  const started = await startSession(
    t.database.db,
    user,
    { ttlHours: 24 * 365, mfaAlreadySatisfied: true },
    t.clock.now,
  );
  return { cookie: `${SESSION_COOKIE}=${started.cookieValue}`, [CSRF_HEADER]: started.csrfToken };
}

async function call(
  method: "GET" | "POST" | "PUT",
  url: string,
  payload?: unknown,
  user: TestUser = analyst,
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
  email: string;
  followUrl: string;
}

/** A declaration made without an account at the clock's time, detected `hoursAgo` before. */
async function declare(structure: Structure, hoursAgo: number): Promise<Declared> {
  const email = `rssi.${randomUUID().slice(0, 8)}@ch-echeances.test`;
  const response = await t.app.inject({
    method: "POST",
    url: "/api/declarations",
    payload: {
      idempotencyKey: randomUUID(),
      finess: [structure.finessEt],
      declarant: { fullName: "Hélène Roux", email, phone: "0123456789" },
      title: "Chiffrement des serveurs",
      description: "Rançongiciel sur les serveurs de fichiers, note de rançon trouvée ce matin.",
      detectedAt: new Date(t.clock.now.getTime() - hoursAgo * HOUR).toISOString(),
      operationalImpact: "degraded_care",
      stateAtDeclaration: "in_progress",
      supportRequested: false,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  const receipt = response.json() as { id: string; reference: string; followUrl: string };
  return { id: receipt.id, reference: receipt.reference, email, followUrl: receipt.followUrl };
}

const MALICIOUS = {
  outOfScope: false,
  origin: "malicious",
  maliciousTypes: ["ransomware"],
  siEffect: "important",
  operationalImpact: "care_interrupted",
  dataImpacts: ["data_loss_or_unavailability"],
  dataTypes: ["personal_health"],
  patientEndangerment: "potential",
  summary: "Rançongiciel sur les serveurs de fichiers, imagerie interrompue.",
};
const PERSONAL = {
  ...MALICIOUS,
  dataImpacts: ["personal_info_disclosure"],
  summary: "Exfiltration de dossiers.",
};
const NO_DATA = {
  outOfScope: false,
  origin: "non_malicious",
  nonMaliciousTypes: ["application_bug"],
  operationalImpact: "degraded_support",
  dataImpacts: ["none"],
  patientEndangerment: "none",
  summary: "Anomalie de la mise à jour de l'éditeur, corrigée par un correctif.",
};
const OUT_OF_SCOPE = {
  outOfScope: true,
  outOfScopeReason: "exercise",
  summary: "Exercice de crise cyber régional : pas un incident réel.",
};

async function qualify(id: string, body: Record<string, unknown> = MALICIOUS) {
  const response = await call("PUT", `/api/cases/${id}/qualification`, body);
  expect(response.statusCode, response.body).toBe(200);
}

interface Clock {
  id: string;
  incidentId: string;
  reference: string;
  structureName: string;
  kind: string;
  awareAt: string;
  dueAt: string;
  state: string;
  filedAt: string | null;
  filedBy: string | null;
  filingReference: string | null;
  filingNote: string | null;
}

async function clocksOf(id: string): Promise<Clock[]> {
  const response = await call("GET", `/api/cases/${id}/clocks`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
async function clockOf(id: string, kind: string): Promise<Clock> {
  const clock = (await clocksOf(id)).find((c) => c.kind === kind);
  if (!clock) throw new Error(`no ${kind} clock`);
  return clock;
}

async function clockJournal(id: string) {
  const response = await call("GET", `/api/cases/${id}/journal`);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { field: string | null; body: string | null; kind: string }[]).filter((e) =>
    e.field?.startsWith("clock."),
  );
}

async function mailsTo(address: string, subjectPart = "") {
  const rows = await t.database.db
    .selectFrom("mail_outbox")
    .selectAll()
    .where("to_address", "=", address)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  return rows.filter((m) => m.subject.includes(subjectPart));
}

const file = (incidentId: string, clockId: string, body: Record<string, unknown> = {}, user = analyst) =>
  call("POST", `/api/cases/${incidentId}/clocks/${clockId}/file`, body, user);

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = START;
  const db = t.database.db;
  ose = await createStructure(db, { regionCode: "11", name: "Centre hospitalier universitaire d'essai" });
  await db.updateTable("structures").set({ ose: true }).where("id", "=", ose.id).execute();
  plain = await createStructure(db, { regionCode: "11", name: "Clinique du Parc" });
  analyst = await createUser(db, "cert_analyst");
  declarant = await createUser(db, "declarant", { structureIds: [ose.id, plain.id] });
});
afterAll(async () => {
  await t?.close();
});

describe("clocks opened by the qualification", () => {
  it("opens the three NIS 2 clocks of an OSE structure, due from the detection", async () => {
    t.clock.now = START;
    // Detected at 07:30 in Paris (06:30 UTC), declared at 10:00.
    const declared = await declare(ose, 2.5);
    expect(await clocksOf(declared.id)).toEqual([]);
    await qualify(declared.id);
    const clocks = await clocksOf(declared.id);
    expect(clocks.map((c) => ({ kind: c.kind, awareAt: c.awareAt, dueAt: c.dueAt, state: c.state }))).toEqual(
      [
        {
          kind: "nis2_early_warning",
          awareAt: "2026-03-10T06:30:00.000Z",
          dueAt: "2026-03-11T06:30:00.000Z",
          state: "pending",
        },
        {
          kind: "nis2_notification",
          awareAt: "2026-03-10T06:30:00.000Z",
          dueAt: "2026-03-13T06:30:00.000Z",
          state: "pending",
        },
        // One calendar month in Paris: 10 April 07:30, summer time by then.
        {
          kind: "nis2_final_report",
          awareAt: "2026-03-10T06:30:00.000Z",
          dueAt: "2026-04-10T05:30:00.000Z",
          state: "pending",
        },
      ],
    );
    expect(clocks[0]).toMatchObject({
      incidentId: declared.id,
      reference: declared.reference,
      structureName: ose.name,
      filedAt: null,
      filedBy: null,
    });
    const journal = await clockJournal(declared.id);
    expect(journal.map((e) => [e.kind, e.field])).toEqual([
      ["field_change", "clock.nis2_early_warning"],
      ["field_change", "clock.nis2_notification"],
      ["field_change", "clock.nis2_final_report"],
    ]);
    expect(journal[0]?.body).toContain("Échéance réglementaire ouverte : NIS 2 — alerte précoce (24 h)");

    // Qualifying again opens nothing more (one clock per kind), and journals nothing more.
    await qualify(declared.id, { ...MALICIOUS, summary: "Rançongiciel, résumé complété après l'appel." });
    expect((await clocksOf(declared.id)).map((c) => c.id)).toEqual(clocks.map((c) => c.id));
    expect(await clockJournal(declared.id)).toHaveLength(3);
  });

  it("opens no clock for a structure that is not OSE without personal data disclosed", async () => {
    t.clock.now = START;
    const declared = await declare(plain, 1);
    await qualify(declared.id);
    await qualify(declared.id, NO_DATA);
    expect(await clocksOf(declared.id)).toEqual([]);
  });

  it("opens the CNIL clock when personal data were disclosed, and follows requalifications", async () => {
    t.clock.now = START;
    const declared = await declare(plain, 2.5);
    await qualify(declared.id, PERSONAL);
    const [cnil] = await clocksOf(declared.id);
    expect(cnil).toMatchObject({
      kind: "cnil_notification",
      dueAt: "2026-03-13T06:30:00.000Z",
      state: "pending",
    });
    // Requalified without personal data: the clock no longer applies.
    await qualify(declared.id, NO_DATA);
    expect(await clocksOf(declared.id)).toMatchObject([{ id: cnil?.id, state: "cancelled" }]);
    // And back: the same clock is reopened.
    await qualify(declared.id, PERSONAL);
    expect(await clocksOf(declared.id)).toMatchObject([{ id: cnil?.id, state: "pending" }]);
    const bodies = (await clockJournal(declared.id)).map((e) => e.body ?? "");
    expect(bodies).toHaveLength(3);
    expect(bodies[0]).toContain("ouverte");
    expect(bodies[1]).toContain("annulée");
    expect(bodies[2]).toContain("rouverte");
  });

  it("cancels every open clock when the case is qualified out of scope, filed ones kept", async () => {
    t.clock.now = START;
    const declared = await declare(ose, 2.5);
    await qualify(declared.id, PERSONAL);
    const clocks = await clocksOf(declared.id);
    expect(clocks.map((c) => c.kind).sort()).toEqual(
      ["cnil_notification", "nis2_early_warning", "nis2_final_report", "nis2_notification"].sort(),
    );
    const early = clocks.find((c) => c.kind === "nis2_early_warning") as Clock;
    expect((await file(declared.id, early.id)).statusCode).toBe(200);
    await qualify(declared.id, OUT_OF_SCOPE);
    const after = await clocksOf(declared.id);
    expect(Object.fromEntries(after.map((c) => [c.kind, c.state]))).toEqual({
      nis2_early_warning: "filed",
      nis2_notification: "cancelled",
      nis2_final_report: "cancelled",
      cnil_notification: "cancelled",
    });
    // No longer a NIS 2 case: no intermediate report.
    const intermediate = await call("POST", `/api/cases/${declared.id}/clocks/intermediate`, {
      dueAt: new Date(START.getTime() + 5 * DAY).toISOString(),
    });
    expect(intermediate.statusCode).toBe(400);
  });
});

describe("filing", () => {
  let declared: Declared;
  beforeAll(async () => {
    t.clock.now = START;
    declared = await declare(ose, 2.5);
    await qualify(declared.id);
  });

  it("records the filing (now by default) with its reference and note, journaled and audited", async () => {
    t.clock.now = new Date(START.getTime() + 2 * HOUR);
    const early = await clockOf(declared.id, "nis2_early_warning");
    const response = await file(declared.id, early.id, {
      filingReference: "ANSSI-2026-0042",
      filingNote: "Alerte précoce déposée sur le portail de l'ANSSI.",
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      id: early.id,
      state: "filed",
      filedAt: t.clock.now.toISOString(),
      filingReference: "ANSSI-2026-0042",
      filingNote: "Alerte précoce déposée sur le portail de l'ANSSI.",
    });
    expect(response.json().filedBy).toContain(analyst.full_name);
    expect(await clockOf(declared.id, "nis2_early_warning")).toMatchObject({ state: "filed" });
    const journal = await clockJournal(declared.id);
    expect(journal.at(-1)?.body).toContain("Dépôt enregistré : NIS 2 — alerte précoce (24 h)");
    expect(journal.at(-1)?.body).toContain("ANSSI-2026-0042");
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select(["action", "details"])
      .where("object_id", "=", declared.id)
      .where("action", "=", "clock.filed")
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ clockId: early.id, kind: "nis2_early_warning", late: false });
  });

  it("refuses a clock already filed, a date in the future or before the detection", async () => {
    t.clock.now = new Date(START.getTime() + 3 * HOUR);
    const early = await clockOf(declared.id, "nis2_early_warning");
    const again = await file(declared.id, early.id);
    expect(again.statusCode).toBe(400);
    expect(again.json().error).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: [{ field: "filedAt", message: "Ce dépôt est déjà enregistré pour cette échéance." }],
    });
    const notification = await clockOf(declared.id, "nis2_notification");
    const future = await file(declared.id, notification.id, {
      filedAt: new Date(t.clock.now.getTime() + MINUTE).toISOString(),
    });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.fields[0]).toEqual({
      field: "filedAt",
      message: "La date du dépôt ne peut pas être dans le futur.",
    });
    const before = await file(declared.id, notification.id, { filedAt: "2026-03-09T10:00:00+01:00" });
    expect(before.statusCode).toBe(400);
    expect(before.json().error.fields[0].field).toBe("filedAt");
    expect(await clockOf(declared.id, "nis2_notification")).toMatchObject({
      state: "pending",
      filedAt: null,
    });
  });

  it("tells a filing after the deadline", async () => {
    t.clock.now = new Date("2026-03-14T09:00:00Z");
    const notification = await clockOf(declared.id, "nis2_notification");
    expect(notification.state).toBe("overdue");
    const response = await file(declared.id, notification.id, { filedAt: "2026-03-13T12:00:00+01:00" });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ state: "filed_late", filedAt: "2026-03-13T11:00:00.000Z" });
  });

  it("finds no clock of another case, and is for the CERT only", async () => {
    t.clock.now = new Date("2026-03-14T09:00:00Z");
    const other = await declare(ose, 1);
    await qualify(other.id);
    const final = await clockOf(declared.id, "nis2_final_report");
    const crossed = await file(other.id, final.id);
    expect(crossed.statusCode).toBe(404);
    expect((await file(declared.id, randomUUID())).statusCode).toBe(404);
    const byDeclarant = await file(declared.id, final.id, {}, declarant);
    expect(byDeclarant.statusCode).toBe(403);
    expect((await call("GET", `/api/cases/${declared.id}/clocks`, undefined, declarant)).statusCode).toBe(
      403,
    );
  });
});

describe("intermediate reports", () => {
  it("adds one at the authority's request, due in the future, for a NIS 2 case only", async () => {
    t.clock.now = START;
    const declared = await declare(ose, 2.5);
    const notQualified = await call("POST", `/api/cases/${declared.id}/clocks/intermediate`, {
      dueAt: "2026-03-20T12:00:00+01:00",
    });
    expect(notQualified.statusCode).toBe(400);
    await qualify(declared.id);
    const response = await call("POST", `/api/cases/${declared.id}/clocks/intermediate`, {
      dueAt: "2026-03-20T12:00:00+01:00",
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      kind: "nis2_intermediate",
      dueAt: "2026-03-20T11:00:00.000Z",
      awareAt: "2026-03-10T06:30:00.000Z",
      state: "pending",
    });
    // Another request, another report.
    const second = await call("POST", `/api/cases/${declared.id}/clocks/intermediate`, {
      dueAt: "2026-03-27T12:00:00+01:00",
    });
    expect(second.statusCode).toBe(201);
    expect((await clocksOf(declared.id)).filter((c) => c.kind === "nis2_intermediate")).toHaveLength(2);
    const past = await call("POST", `/api/cases/${declared.id}/clocks/intermediate`, {
      dueAt: "2026-03-10T09:00:00+01:00",
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.fields[0]).toEqual({
      field: "dueAt",
      message: "L'échéance du rapport intermédiaire doit être dans le futur.",
    });

    const cnilOnly = await declare(plain, 2.5);
    await qualify(cnilOnly.id, PERSONAL);
    const refused = await call("POST", `/api/cases/${cnilOnly.id}/clocks/intermediate`, {
      dueAt: "2026-03-20T12:00:00+01:00",
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toContain("NIS 2");
    expect(await clocksOf(cnilOnly.id)).toHaveLength(1);
  });
});

describe("the list of clocks", () => {
  const list = async (state: string) => {
    const response = await call("GET", `/api/clocks?state=${state}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { items: Clock[]; total: number; page: number; pageSize: number };
  };
  const ids = async (state: string) => (await list(state)).items.map((c) => c.id);

  it("lists open clocks, those due within 12 hours and those past due, by due date", async () => {
    // Monday 4 May 2026, 10:00 in Paris.
    t.clock.now = new Date("2026-05-04T08:00:00Z");
    const soon = await declare(ose, 14); // early warning due in 10 hours
    const late = await declare(ose, 30); // early warning due 6 hours ago
    await qualify(soon.id);
    await qualify(late.id);
    const soonEarly = await clockOf(soon.id, "nis2_early_warning");
    const soonNotification = await clockOf(soon.id, "nis2_notification");
    const lateEarly = await clockOf(late.id, "nis2_early_warning");
    expect(soonEarly.state).toBe("due_soon");
    expect(lateEarly.state).toBe("overdue");

    const dueSoon = await list("due_soon");
    expect(dueSoon.items.map((c) => c.id)).toContain(soonEarly.id);
    expect(dueSoon.items.every((c) => c.state === "due_soon")).toBe(true);
    expect(dueSoon.items.map((c) => c.id)).not.toContain(lateEarly.id);
    expect(dueSoon.items.map((c) => c.id)).not.toContain(soonNotification.id);

    const overdue = await list("overdue");
    expect(overdue.items.map((c) => c.id)).toContain(lateEarly.id);
    expect(overdue.items.every((c) => c.state === "overdue")).toBe(true);
    expect(overdue.items.map((c) => c.id)).not.toContain(soonEarly.id);

    const open = await list("open");
    expect(open.items.map((c) => c.id)).toEqual(expect.arrayContaining([soonEarly.id, lateEarly.id]));
    const dues = open.items.map((c) => c.dueAt);
    expect(dues).toEqual([...dues].sort());
    expect(open).toMatchObject({ page: 1, pageSize: 50 });

    expect((await file(late.id, lateEarly.id)).statusCode).toBe(200);
    expect(await ids("overdue")).not.toContain(lateEarly.id);
    expect(await ids("open")).not.toContain(lateEarly.id);
    const all = await list("all");
    expect(all.items.find((c) => c.id === lateEarly.id)?.state).toBe("filed_late");
    expect(all.total).toBeGreaterThan(open.total);
  });

  it("refuses an unknown state, and is for the CERT only", async () => {
    const response = await call("GET", "/api/clocks?state=bientot");
    expect(response.statusCode).toBe(400);
    expect((await call("GET", "/api/clocks", undefined, declarant)).statusCode).toBe(403);
  });
});

describe("reminders (clocks.remind)", () => {
  // Monday 1 June 2026, 10:00 in Paris.
  const R = new Date("2026-06-01T08:00:00Z");
  const at = (hours: number) => new Date(R.getTime() + hours * HOUR);
  let assigned: Declared;
  let unassigned: Declared;

  beforeAll(async () => {
    t.clock.now = R;
    // Every clock left open by the tests above is reminded once here, out of the way.
    await remindClocks(t.database.db, settings, R);
    assigned = await declare(ose, 1); // early warning due R+23h, notification R+71h
    expect((await call("POST", `/api/cases/${assigned.id}/acknowledge`)).statusCode).toBe(200);
    await qualify(assigned.id);
    unassigned = await declare(plain, 100); // CNIL due R-28h: already past due
    await qualify(unassigned.id, PERSONAL);
  });

  it("reminds the declarant and the assigned analyst once within 12 hours of the deadline", async () => {
    await remindClocks(t.database.db, settings, at(0));
    expect(await mailsTo(assigned.email, "échéance")).toEqual([]);

    await remindClocks(t.database.db, settings, at(11 + 1 / 60));
    const [toDeclarant, ...more] = await mailsTo(assigned.email, "échéance");
    expect(more).toEqual([]);
    expect(toDeclarant?.subject).toBe(
      `Vigie : échéance proche — NIS 2 — alerte précoce (24 h) — déclaration ${assigned.reference}`,
    );
    expect(toDeclarant?.text_body).toContain(assigned.followUrl);
    expect(toDeclarant?.text_body).toContain("mardi 2 juin 2026");
    expect(toDeclarant?.text_body).not.toContain("Rançongiciel");
    const toAnalyst = await mailsTo(analyst.email, assigned.reference);
    expect(toAnalyst).toHaveLength(1);
    expect(toAnalyst[0]?.text_body).toContain(`/cert/declarations/${assigned.id}`);

    // The same run again, or another worker: nothing more.
    const again = await remindClocks(t.database.db, settings, at(11 + 2 / 60));
    expect(again).toEqual({ dueSoon: 0, overdue: 0, skipped: 0 });
    expect(await mailsTo(assigned.email, "échéance")).toHaveLength(1);
    const clock = await t.database.db
      .selectFrom("regulatory_clocks")
      .selectAll()
      .where("incident_id", "=", assigned.id)
      .where("kind", "=", "nis2_early_warning")
      .executeTakeFirstOrThrow();
    expect(clock.reminded_due_soon_at?.toISOString()).toBe(at(11 + 1 / 60).toISOString());
    expect(clock.reminded_overdue_at).toBeNull();
  });

  it("reminds once more past the deadline, even with two workers at once", async () => {
    const now = at(23 + 1 / 60);
    const reports = await Promise.all([
      remindClocks(t.database.db, settings, now),
      remindClocks(t.database.db, settings, now),
    ]);
    expect(reports.reduce((n, r) => n + r.overdue, 0)).toBeGreaterThanOrEqual(1);
    const overdue = await mailsTo(assigned.email, "échéance dépassée");
    expect(overdue).toHaveLength(1);
    expect(overdue[0]?.text_body).toContain("L'échéance est dépassée depuis le mardi 2 juin 2026");
    expect(
      await mailsTo(
        analyst.email,
        `dépassée — NIS 2 — alerte précoce (24 h) — déclaration ${assigned.reference}`,
      ),
    ).toHaveLength(1);
    const bodies = (await clockJournal(assigned.id))
      .filter((e) => e.field === "clock.nis2_early_warning")
      .map((e) => e.body ?? "");
    expect(bodies.filter((b) => b.startsWith("Rappel envoyé au déclarant et à l'analyste"))).toHaveLength(2);
  });

  it("sends only the past-due reminder for a clock first seen past due; the declarant alone when unassigned", async () => {
    const mails = await mailsTo(unassigned.email, "échéance");
    expect(mails.map((m) => m.subject)).toEqual([
      `Vigie : échéance dépassée — CNIL — notification de violation de données (72 h) — déclaration ${unassigned.reference}`,
    ]);
    const clock = await t.database.db
      .selectFrom("regulatory_clocks")
      .selectAll()
      .where("incident_id", "=", unassigned.id)
      .executeTakeFirstOrThrow();
    expect(clock.reminded_due_soon_at).toBeNull();
    expect(clock.reminded_overdue_at).not.toBeNull();
    const [line] = (await clockJournal(unassigned.id)).filter((e) => e.body?.startsWith("Rappel"));
    expect(line?.body).toMatch(/^Rappel envoyé au déclarant : CNIL/);
  });

  it("reminds the notification in its turn, and never a filed clock", async () => {
    await remindClocks(t.database.db, settings, at(60));
    expect(await mailsTo(assigned.email, "échéance proche — NIS 2 — notification")).toHaveLength(1);
    const final = await clockOf(assigned.id, "nis2_final_report");
    t.clock.now = at(61);
    expect((await file(assigned.id, final.id)).statusCode).toBe(200);
    await remindClocks(t.database.db, settings, at(72));
    await remindClocks(t.database.db, settings, at(40 * 24));
    expect(await mailsTo(assigned.email, "échéance dépassée — NIS 2 — notification")).toHaveLength(1);
    expect(await mailsTo(assigned.email, "rapport final")).toEqual([]);
    // Early warning and notification, each before and after its deadline.
    expect(await mailsTo(assigned.email, "échéance")).toHaveLength(4);
  });
});
