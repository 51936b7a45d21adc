import { randomUUID } from "node:crypto";
import { type AlertRule, DEFAULT_ALERT_RULES } from "@vigie/contracts";
import { startSession } from "@vigie/core";
import { createStructure, createTestApp, createUser, type TestApp, type TestUser } from "@vigie/test-kit";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSRF_HEADER, SESSION_COOKIE } from "../plugins/auth.ts";

// Alerting the authorities (decision 0009): default rules on cases, rule versions (draft,
// publication, immutability), dry run, sending (one transaction), TLP:RED, automatic rules,
// dismissal, contacts.
let t: TestApp;
type Structure = Awaited<ReturnType<typeof createStructure>>;
let meaux: Structure;
let lyonOse: Structure;
let declarant: TestUser;
let analyst: TestUser;
let lead: TestUser;
let ars: TestUser;

/** Words of the declarant that must never leave the CERT. */
const DESCRIPTION = "Description confidentielle : le mot de passe XYZZY-4242 du compte admin a fuité.";
const TITLE = "Titre déclaré TITRE-PRIVE-77";
const CONTACT = {
  fullName: "Hortense Déclarante",
  email: "hortense.declarante@ch-essai.test",
  phone: "0611223344",
};

const FSSI = ["cssi@fssi.test", "veille@fssi.test"];
const DGS = "alerte@corruss.test";
const ANSSI = "cert-fr@anssi.test";
const ARS_IDF = "veille-ssi@ars-idf.test";
const ARS_ARA = "veille-ssi@ars-ara.test";

const sessions = new Map<string, Record<string, string>>();
async function sessionOf(user: TestUser): Promise<Record<string, string>> {
  const known = sessions.get(user.id);
  if (known) return known;
  const started = await startSession(
    t.database.db,
    user,
    { ttlHours: 12, mfaAlreadySatisfied: true },
    t.clock.now,
  );
  const headers = { cookie: `${SESSION_COOKIE}=${started.cookieValue}`, [CSRF_HEADER]: started.csrfToken };
  sessions.set(user.id, headers);
  return headers;
}

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
async function call(method: Method, url: string, payload?: unknown, user: TestUser = analyst) {
  return t.app.inject({
    method,
    url,
    headers: await sessionOf(user),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

async function declare(fields: Record<string, unknown> = {}, structure: Structure = meaux): Promise<string> {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/declarations",
    headers: await sessionOf(declarant),
    payload: {
      idempotencyKey: randomUUID(),
      finess: [structure.finessEt],
      declarant: CONTACT,
      title: TITLE,
      description: DESCRIPTION,
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

const SUMMARY = "Synthèse du CERT : chiffrement des serveurs, reprise en cours.";
const MAJOR_MALICIOUS = {
  outOfScope: false,
  origin: "malicious",
  maliciousTypes: ["ransomware"],
  siEffect: "important",
  operationalImpact: "degraded_support",
  dataImpacts: ["none"],
  patientEndangerment: "none",
  summary: SUMMARY,
};
const CARE_INTERRUPTED = {
  outOfScope: false,
  origin: "malicious",
  maliciousTypes: ["ransomware"],
  siEffect: "moderate",
  operationalImpact: "care_interrupted",
  dataImpacts: ["data_loss_or_unavailability"],
  dataTypes: ["personal_health"],
  patientEndangerment: "none",
  summary: SUMMARY,
};
const DEGRADED_CARE = {
  outOfScope: false,
  origin: "non_malicious",
  nonMaliciousTypes: ["application_bug"],
  operationalImpact: "degraded_care",
  dataImpacts: ["none"],
  patientEndangerment: "none",
  summary: "Anomalie de la mise à jour de l'éditeur, prise en charge ralentie.",
};
const ORDINARY = {
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
  summary: "Exercice de crise annoncé.",
};

async function qualify(id: string, body: Record<string, unknown>, user: TestUser = analyst) {
  const response = await call("PUT", `/api/cases/${id}/qualification`, body, user);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
async function qualifiedCase(body: Record<string, unknown>, structure: Structure = meaux): Promise<string> {
  const id = await declare({}, structure);
  await qualify(id, body);
  return id;
}

interface Proposal {
  target: string;
  regionCode: string | null;
  ruleIds: string[];
  ruleSetVersion: number;
  automatic: boolean;
  recipients: string[];
  subject: string;
  body: string;
  alreadySent: boolean;
}
interface Alerts {
  proposals: Proposal[];
  notifications: Array<
    Record<string, unknown> & { id: string; target: string; status: string; delivery: string }
  >;
  blockedReason: string | null;
}
async function alertsOf(id: string, user: TestUser = analyst): Promise<Alerts> {
  const response = await call("GET", `/api/cases/${id}/alerts`, undefined, user);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const proposedTargets = async (id: string) => (await alertsOf(id)).proposals.map((p) => p.target);

const db = () => t.database.db;
const notificationsOf = (id: string) =>
  db()
    .selectFrom("authority_notifications")
    .selectAll()
    .where("incident_id", "=", id)
    .orderBy("decided_at")
    .execute();
const alertJournalOf = (id: string) =>
  db()
    .selectFrom("incident_journal")
    .selectAll()
    .where("incident_id", "=", id)
    .where("kind", "=", "alert")
    .orderBy("id")
    .execute();
const outboxCount = async () =>
  Number(
    (
      await db()
        .selectFrom("mail_outbox")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

async function addContact(payload: Record<string, unknown>, user: TestUser = lead) {
  return call("POST", "/api/alerting/contacts", payload, user);
}

beforeAll(async () => {
  t = await createTestApp();
  meaux = await createStructure(db(), { regionCode: "11", name: "Centre hospitalier de Meaux" });
  lyonOse = await createStructure(db(), { regionCode: "84", name: "Hospices civils de Lyon", town: "LYON" });
  // Registered as an operator of essential services before it declares (the snapshot keeps it).
  await db().updateTable("structures").set({ ose: true }).where("id", "=", lyonOse.id).execute();
  declarant = await createUser(db(), "declarant", { structureIds: [meaux.id, lyonOse.id] });
  analyst = await createUser(db(), "cert_analyst");
  lead = await createUser(db(), "cert_lead");
  ars = await createUser(db(), "ars", { regionCode: "11" });
});
afterAll(async () => {
  await t?.close();
});

describe("authorities' addresses", () => {
  it("a CERT lead adds them (the ARS per region), an analyst reads them but may not change them", async () => {
    for (const email of FSSI) {
      const created = await addContact({ target: "fssi", email, label: "FSSI — permanence" });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json()).toMatchObject({ target: "fssi", regionCode: null, email });
    }
    for (const [target, email, regionCode] of [
      ["dgs_corruss", DGS, null],
      ["anssi", ANSSI, null],
      ["ars", ARS_IDF, "11"],
      ["ars", ARS_ARA, "84"],
    ] as const) {
      const created = await addContact({ target, email, regionCode, label: `Adresse ${target}` });
      expect(created.statusCode, created.body).toBe(201);
    }

    const list = await call("GET", "/api/alerting/contacts");
    expect(list.statusCode).toBe(200);
    expect(
      list
        .json()
        .items.map((c: { email: string }) => c.email)
        .sort(),
    ).toEqual([...FSSI, DGS, ANSSI, ARS_IDF, ARS_ARA].sort());

    const byAnalyst = await addContact({ target: "anssi", email: "x@anssi.test", label: "Essai" }, analyst);
    expect(byAnalyst.statusCode).toBe(403);
    expect(byAnalyst.json().error.code).toBe("FORBIDDEN");
    expect((await call("GET", "/api/alerting/contacts", undefined, ars)).statusCode).toBe(403);
  });

  it("refuses an ARS without a region, a region on a national authority, an unknown region, a duplicate", async () => {
    const noRegion = await addContact({ target: "ars", email: "a@ars.test", label: "ARS" });
    expect(noRegion.statusCode).toBe(400);
    expect(noRegion.json().error.fields).toEqual([
      { field: "regionCode", message: "Indiquez la région de l'ARS." },
    ]);
    const nationalWithRegion = await addContact({
      target: "anssi",
      regionCode: "11",
      email: "b@anssi.test",
      label: "ANSSI",
    });
    expect(nationalWithRegion.statusCode).toBe(400);
    expect(nationalWithRegion.json().error.fields[0].field).toBe("regionCode");
    const unknownRegion = await addContact({
      target: "ars",
      regionCode: "99",
      email: "c@ars.test",
      label: "ARS",
    });
    expect(unknownRegion.statusCode).toBe(400);
    expect(unknownRegion.json().error.fields).toEqual([{ field: "regionCode", message: "Région inconnue." }]);
    const duplicate = await addContact({ target: "dgs_corruss", email: DGS.toUpperCase(), label: "Doublon" });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error.fields[0].field).toBe("email");
  });

  it("a CERT lead deletes one (audited); an unknown one is not found", async () => {
    const created = await addContact({
      target: "anssi",
      email: "temporaire@anssi.test",
      label: "Temporaire",
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect((await call("DELETE", `/api/alerting/contacts/${id}`, undefined, analyst)).statusCode).toBe(403);
    expect((await call("DELETE", `/api/alerting/contacts/${id}`, undefined, lead)).statusCode).toBe(204);
    expect((await call("DELETE", `/api/alerting/contacts/${id}`, undefined, lead)).statusCode).toBe(404);
    const audit = await db()
      .selectFrom("audit_log")
      .select("action")
      .where("object_id", "=", id)
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["alert_contact.added", "alert_contact.deleted"]);
  });
});

describe("the default rules on cases (version 0)", () => {
  it("a major malicious incident → FSSI (and the ARS of its region)", async () => {
    const id = await qualifiedCase(MAJOR_MALICIOUS);
    const { proposals, blockedReason } = await alertsOf(id);
    expect(blockedReason).toBeNull();
    expect(proposals.map((p) => p.target)).toEqual(["fssi", "ars"]);
    const fssi = proposals[0];
    expect(fssi).toMatchObject({
      regionCode: null,
      ruleIds: ["fssi-incident-majeur"],
      ruleSetVersion: 0,
      automatic: false,
      alreadySent: false,
    });
    expect(fssi?.recipients.sort()).toEqual([...FSSI].sort());
    expect(fssi?.subject).toContain("[TLP:AMBER]");
  });

  it("degraded care → DGS / CORRUSS", async () => {
    expect(await proposedTargets(await qualifiedCase(DEGRADED_CARE))).toEqual(["dgs_corruss", "ars"]);
  });

  it("care interrupted → FSSI, DGS / CORRUSS and the health agencies", async () => {
    const { proposals } = await alertsOf(await qualifiedCase(CARE_INTERRUPTED));
    expect(proposals.map((p) => p.target)).toEqual(["fssi", "dgs_corruss", "health_agency", "ars"]);
    // No address is registered for the health agencies: proposed, with nobody to send to.
    expect(proposals.find((p) => p.target === "health_agency")?.recipients).toEqual([]);
  });

  it("an OSE structure → ANSSI, and the ARS of its own region", async () => {
    const { proposals } = await alertsOf(await qualifiedCase(ORDINARY, lyonOse));
    expect(proposals.map((p) => p.target)).toEqual(["anssi", "ars"]);
    expect(proposals[0]?.recipients).toEqual([ANSSI]);
    expect(proposals[1]).toMatchObject({ regionCode: "84", recipients: [ARS_ARA] });
    // The ARS learns the structure's name; the national authorities do not.
    expect(proposals[1]?.body).toContain("Hospices civils de Lyon");
    expect(proposals[0]?.body).not.toContain("Hospices civils de Lyon");
  });

  it("an ordinary case in scope → only the ARS of its region", async () => {
    const { proposals } = await alertsOf(await qualifiedCase(ORDINARY));
    expect(proposals.map((p) => [p.target, p.regionCode, p.recipients])).toEqual([["ars", "11", [ARS_IDF]]]);
  });

  it("an out-of-scope case → nobody", async () => {
    expect(await proposedTargets(await qualifiedCase(OUT_OF_SCOPE))).toEqual([]);
  });

  it("before the qualification, the declared values decide", async () => {
    const id = await declare({ operationalImpact: "care_interrupted" });
    const { proposals } = await alertsOf(id);
    expect(proposals.map((p) => p.target)).toEqual(["fssi", "dgs_corruss", "health_agency", "ars"]);
    expect(proposals[0]?.body).toContain("valeurs déclarées par la structure");
  });

  it("the analyst's « other sectors » flag (journaled) brings ANSSI in for a major incident", async () => {
    const id = await qualifiedCase(MAJOR_MALICIOUS);
    expect(await proposedTargets(id)).toEqual(["fssi", "ars"]);
    const patched = await call("PATCH", `/api/cases/${id}`, { otherSectorsRisk: true });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().otherSectorsRisk).toBe(true);
    expect(await proposedTargets(id)).toEqual(["anssi", "fssi", "ars"]);
    const journal = await db()
      .selectFrom("incident_journal")
      .selectAll()
      .where("incident_id", "=", id)
      .where("field", "=", "otherSectorsRisk")
      .execute();
    expect(journal.map((j) => [j.kind, j.old_value, j.new_value])).toEqual([["field_change", false, true]]);
  });

  it("only the CERT reads a case's alerts", async () => {
    const id = await declare();
    expect((await call("GET", `/api/cases/${id}/alerts`, undefined, declarant)).statusCode).toBe(403);
    expect((await call("GET", `/api/cases/${id}/alerts`, undefined, ars)).statusCode).toBe(403);
    expect((await call("GET", `/api/cases/${randomUUID()}/alerts`)).statusCode).toBe(404);
  });
});

describe("sending an alert", () => {
  it("stores the notification, queues one e-mail per address and writes the journal, never the declarant's words", async () => {
    const id = await qualifiedCase(CARE_INTERRUPTED);
    const mailsBefore = await outboxCount();
    const response = await call("POST", `/api/cases/${id}/alerts`, {
      target: "fssi",
      comment: "Appel du FSSI prévu.",
    });
    expect(response.statusCode, response.body).toBe(201);
    const view = response.json();
    expect(view).toMatchObject({
      target: "fssi",
      regionCode: null,
      status: "sent",
      ruleSetVersion: 0,
      ruleIds: ["fssi-incident-majeur"],
      automatic: false,
      tlp: "amber",
      comment: "Appel du FSSI prévu.",
      delivery: "pending",
    });
    expect(view.recipients.sort()).toEqual([...FSSI].sort());
    expect(view.decidedBy).toContain(analyst.full_name);

    const [stored] = await notificationsOf(id);
    expect(stored?.id).toBe(view.id);
    expect(stored?.facts).toMatchObject({
      origin: ["malicious"],
      operational_impact: ["care_interrupted"],
      data_types: ["personal_health"],
      structure_type: ["es_public"],
      ose: false,
      region_code: "11",
    });
    expect(stored?.mail_ids).toHaveLength(2);

    const mails = await db()
      .selectFrom("mail_outbox")
      .selectAll()
      .where("id", "in", stored?.mail_ids ?? [])
      .execute();
    expect(mails.map((m) => m.to_address).sort()).toEqual([...FSSI].sort());
    expect(await outboxCount()).toBe(mailsBefore + 2);
    for (const mail of mails) {
      expect(mail.subject).toBe(view.subject);
      expect(mail.subject).toMatch(/^\[TLP:AMBER\] CERT Santé — CS-\d{4}-\d{6} — incident majeur/);
      expect(mail.text_body).toBe(view.body);
      expect(mail.text_body).toContain("TLP:AMBER");
      expect(mail.text_body).toContain("Interruption de la prise en charge");
      expect(mail.text_body).toContain(SUMMARY);
      for (const secret of [
        DESCRIPTION,
        "XYZZY",
        TITLE,
        CONTACT.fullName,
        CONTACT.email,
        CONTACT.phone,
        "Meaux",
      ]) {
        expect(mail.text_body).not.toContain(secret);
        expect(mail.subject).not.toContain(secret);
      }
      expect(mail.text_body).not.toMatch(/https?:\/\//);
    }

    const journal = await alertJournalOf(id);
    expect(journal).toHaveLength(1);
    expect(journal[0]?.body).toBe(
      `Alerte envoyée à FSSI des ministères sociaux (${stored?.recipients.join(", ")}) — règles v0`,
    );
    expect(journal[0]?.new_value).toEqual({ notificationId: view.id, target: "fssi", ruleSetVersion: 0 });
    const caseJournal = await call("GET", `/api/cases/${id}/journal`);
    expect(caseJournal.json().some((e: { kind: string; body: string }) => e.kind === "alert")).toBe(true);
    const audit = await db()
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "alert.sent")
      .where("object_id", "=", id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ notificationId: view.id, target: "fssi", recipients: 2 });

    const { proposals, notifications } = await alertsOf(id);
    expect(proposals.find((p) => p.target === "fssi")?.alreadySent).toBe(true);
    expect(proposals.find((p) => p.target === "dgs_corruss")?.alreadySent).toBe(false);
    expect(notifications.map((n) => [n.id, n.status, n.delivery])).toEqual([[view.id, "sent", "pending"]]);
  });

  it("all or nothing: a failure after the e-mails were queued leaves no e-mail, notification or journal line", async () => {
    const id = await qualifiedCase(CARE_INTERRUPTED);
    const mailsBefore = await outboxCount();
    // The database refuses the journal line (the last write but the audit): the transaction must roll back.
    await sql`create function refuse_alert_journal() returns trigger language plpgsql as $$
      begin raise exception 'journal refusé pour le test'; end $$`.execute(db());
    await sql`create trigger refuse_alert_journal before insert on incident_journal
      for each row when (new.kind = 'alert') execute function refuse_alert_journal()`.execute(db());
    try {
      const response = await call("POST", `/api/cases/${id}/alerts`, { target: "dgs_corruss" });
      expect(response.statusCode).toBe(500);
    } finally {
      await sql`drop trigger refuse_alert_journal on incident_journal`.execute(db());
      await sql`drop function refuse_alert_journal()`.execute(db());
    }
    expect(await outboxCount()).toBe(mailsBefore);
    expect(await notificationsOf(id)).toEqual([]);
    expect(await alertJournalOf(id)).toEqual([]);
    // Once the database accepts it again, the same request goes through.
    expect((await call("POST", `/api/cases/${id}/alerts`, { target: "dgs_corruss" })).statusCode).toBe(201);
    expect(await outboxCount()).toBe(mailsBefore + 1);
  });

  it("keeps the TLP marking on a message the analyst edited", async () => {
    const id = await qualifiedCase(MAJOR_MALICIOUS);
    const response = await call("POST", `/api/cases/${id}/alerts`, {
      target: "ars",
      subject: "Incident en cours au CH",
      body: "Bonjour, un incident est en cours, nous vous tenons informés.",
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().subject).toBe("[TLP:AMBER] Incident en cours au CH");
    expect(response.json().body).toBe(
      "TLP:AMBER\n\nBonjour, un incident est en cours, nous vous tenons informés.",
    );
    expect(response.json().recipients).toEqual([ARS_IDF]);
  });

  it("refuses a target with no address, naming the target", async () => {
    const id = await qualifiedCase(CARE_INTERRUPTED);
    const response = await call("POST", `/api/cases/${id}/alerts`, { target: "health_agency" });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: "VALIDATION_FAILED",
      fields: [
        {
          field: "target",
          message: expect.stringContaining("Aucune adresse n'est enregistrée pour Agence sanitaire"),
        },
      ],
    });
    expect(await notificationsOf(id)).toEqual([]);
    const unknown = await call("POST", `/api/cases/${id}/alerts`, { target: "interpol" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields[0].field).toBe("target");
  });

  it("blocks a TLP:RED case: the reason is shown, sending and dismissing are refused", async () => {
    const id = await qualifiedCase(CARE_INTERRUPTED);
    expect((await call("PATCH", `/api/cases/${id}`, { tlp: "red" })).statusCode).toBe(200);
    const alerts = await alertsOf(id);
    expect(alerts.blockedReason).toContain("TLP:RED");
    expect(alerts.proposals.length).toBeGreaterThan(0);
    const mailsBefore = await outboxCount();
    const sent = await call("POST", `/api/cases/${id}/alerts`, { target: "fssi" });
    expect(sent.statusCode).toBe(400);
    expect(sent.json().error.fields[0].field).toBe("tlp");
    const dismissed = await call("POST", `/api/cases/${id}/alerts/dismiss`, {
      target: "fssi",
      comment: "Sans objet.",
    });
    expect(dismissed.statusCode).toBe(400);
    expect(await outboxCount()).toBe(mailsBefore);
    expect(await notificationsOf(id)).toEqual([]);

    // Back to amber, the alert can go.
    expect((await call("PATCH", `/api/cases/${id}`, { tlp: "amber" })).statusCode).toBe(200);
    expect((await alertsOf(id)).blockedReason).toBeNull();
    expect((await call("POST", `/api/cases/${id}/alerts`, { target: "fssi" })).statusCode).toBe(201);
  });

  it("dismisses a proposal with a reason: recorded, journaled, no e-mail", async () => {
    const id = await qualifiedCase(ORDINARY);
    const tooShort = await call("POST", `/api/cases/${id}/alerts/dismiss`, { target: "ars", comment: "" });
    expect(tooShort.statusCode).toBe(400);
    expect(tooShort.json().error.fields[0].field).toBe("comment");
    const mailsBefore = await outboxCount();
    const response = await call("POST", `/api/cases/${id}/alerts/dismiss`, {
      target: "ars",
      comment: "L'ARS a été prévenue par téléphone par la structure.",
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      target: "ars",
      regionCode: "11",
      status: "dismissed",
      recipients: [],
      delivery: "none",
      ruleIds: ["ars-region"],
    });
    expect(await outboxCount()).toBe(mailsBefore);
    const journal = await alertJournalOf(id);
    expect(journal.map((j) => j.body)).toEqual([
      "Alerte à ARS Île-de-France non envoyée : L'ARS a été prévenue par téléphone par la structure. — règles v0",
    ]);
    const { notifications } = await alertsOf(id);
    expect(notifications.map((n) => n.status)).toEqual(["dismissed"]);
  });

  it("retrying a notification of another case is not found", async () => {
    const first = await qualifiedCase(MAJOR_MALICIOUS);
    const other = await qualifiedCase(MAJOR_MALICIOUS);
    const sent = await call("POST", `/api/cases/${first}/alerts`, { target: "ars" });
    expect(sent.statusCode).toBe(201);
    const retry = await call("POST", `/api/cases/${other}/alerts/${sent.json().id}/retry`);
    expect(retry.statusCode).toBe(404);
  });
});

describe("rule versions", () => {
  const withAutomaticFssi: AlertRule[] = DEFAULT_ALERT_RULES.map((rule) =>
    rule.target === "fssi" || rule.target === "health_agency" ? { ...rule, automatic: true } : rule,
  );

  it("the built-in rules apply as version 0 until one is published", async () => {
    const current = await call("GET", "/api/alerting/rule-sets/current");
    expect(current.statusCode).toBe(200);
    expect(current.json()).toMatchObject({ version: 0, status: "default", rules: DEFAULT_ALERT_RULES });
    const list = await call("GET", "/api/alerting/rule-sets");
    expect(list.json().items.map((v: { version: number }) => v.version)).toEqual([0]);
  });

  it("rejects an invalid rule set, naming the faulty value", async () => {
    const response = await call("POST", "/api/alerting/rule-sets", {
      rules: [
        { id: "essai", label: "Règle d'essai", target: "fssi", when: { fact: "origin", in: ["martienne"] } },
      ],
    });
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json().error.fields)).toContain("martienne");
  });

  it("an analyst drafts and edits a version; only a lead publishes it; a published version never changes", async () => {
    const created = await call("POST", "/api/alerting/rule-sets", {
      rules: DEFAULT_ALERT_RULES,
      comment: "Brouillon",
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      version: 1,
      status: "draft",
      comment: "Brouillon",
      publishedAt: null,
    });
    expect(created.json().createdBy).toBe(analyst.full_name);

    const edited = await call("PUT", "/api/alerting/rule-sets/1", {
      rules: withAutomaticFssi,
      comment: "FSSI et agences sanitaires alertés automatiquement",
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().rules.find((r: AlertRule) => r.target === "fssi").automatic).toBe(true);

    const byAnalyst = await call("POST", "/api/alerting/rule-sets/1/publish", undefined, analyst);
    expect(byAnalyst.statusCode).toBe(403);
    expect(byAnalyst.json().error.code).toBe("FORBIDDEN");
    expect((await call("GET", "/api/alerting/rule-sets/current")).json().version).toBe(0);

    const published = await call("POST", "/api/alerting/rule-sets/1/publish", undefined, lead);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ version: 1, status: "published" });
    expect(published.json().publishedAt).not.toBeNull();
    expect((await call("GET", "/api/alerting/rule-sets/current")).json()).toMatchObject({
      version: 1,
      status: "published",
    });

    const editPublished = await call("PUT", "/api/alerting/rule-sets/1", { rules: DEFAULT_ALERT_RULES });
    expect(editPublished.statusCode).toBe(409);
    expect(editPublished.json().error.fields[0].field).toBe("version");
    expect((await call("POST", "/api/alerting/rule-sets/1/publish", undefined, lead)).statusCode).toBe(409);
    expect((await call("PUT", "/api/alerting/rule-sets/0", { rules: [] })).statusCode).toBe(409);
    expect((await call("PUT", "/api/alerting/rule-sets/42", { rules: [] })).statusCode).toBe(404);
    const stored = await db()
      .selectFrom("alert_rule_sets")
      .selectAll()
      .where("version", "=", 1)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe("published");
    expect((stored.rules as AlertRule[]).find((r) => r.target === "fssi")?.automatic).toBe(true);

    const audit = await db()
      .selectFrom("audit_log")
      .select(["action", "outcome"])
      .where("object_type", "=", "alert_rule_set")
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      "alert_rules.draft_created",
      "alert_rules.draft_updated",
      "alert_rules.published",
    ]);
  });

  it("publishing the next version retires the previous one", async () => {
    const draft = await call("POST", "/api/alerting/rule-sets", { rules: withAutomaticFssi, comment: "v2" });
    expect(draft.json().version).toBe(2);
    expect((await call("POST", "/api/alerting/rule-sets/2/publish", undefined, lead)).statusCode).toBe(200);
    const list = await call("GET", "/api/alerting/rule-sets");
    expect(list.json().items.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [2, "published"],
      [1, "retired"],
      [0, "retired"],
    ]);
    expect((await call("PUT", "/api/alerting/rule-sets/1", { rules: DEFAULT_ALERT_RULES })).statusCode).toBe(
      409,
    );
  });
});

describe("dry run over past cases", () => {
  it("shows which targets a changed rule would alert, compared to the published rules", async () => {
    // Tried: the ARS only when the structure asked for support.
    const tried = DEFAULT_ALERT_RULES.map((rule) =>
      rule.id === "ars-region"
        ? { ...rule, when: { all: [rule.when, { flag: "support_requested", is: true }] } }
        : rule,
    );
    const withSupport = await qualifiedCase(ORDINARY);
    await db()
      .updateTable("incidents")
      .set({ support_requested: true })
      .where("id", "=", withSupport)
      .execute();
    const without = await qualifiedCase(ORDINARY);
    const outOfScope = await qualifiedCase(OUT_OF_SCOPE);
    const total = Number(
      (
        await db()
          .selectFrom("incidents")
          .select((eb) => eb.fn.countAll<string>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

    const response = await call("POST", "/api/alerting/dry-run", { rules: tried });
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json();
    expect(result.cases).toBe(total);
    const ids = result.differences.map((d: { id: string }) => d.id);
    expect(ids).toContain(without);
    expect(ids).not.toContain(withSupport);
    expect(ids).not.toContain(outOfScope);
    expect(result.differences.find((d: { id: string }) => d.id === without)).toMatchObject({
      tried: [],
      current: ["ars"],
    });
    expect(result.byTarget.ars.tried).toBeLessThan(result.byTarget.ars.current);
    expect(result.byTarget.ars.tried).toBeGreaterThanOrEqual(1);
    // The other rules did not change: same counts.
    expect(result.byTarget.fssi.tried).toBe(result.byTarget.fssi.current);
    expect(result.byTarget.fssi.current).toBeGreaterThan(0);

    // A saved version, and the most recent cases only.
    const byVersion = await call("POST", "/api/alerting/dry-run", { version: 0, limit: 3 });
    expect(byVersion.statusCode).toBe(200);
    expect(byVersion.json()).toMatchObject({ cases: 3, differences: [] });
    const none = await call("POST", "/api/alerting/dry-run", {});
    expect(none.statusCode).toBe(400);
    expect(none.json().error.fields[0].field).toBe("rules");
    expect((await call("POST", "/api/alerting/dry-run", { version: 99 })).statusCode).toBe(404);
    expect((await call("POST", "/api/alerting/dry-run", { version: 0 }, declarant)).statusCode).toBe(403);
  });
});

describe("automatic rules", () => {
  it("send on qualification to targets not yet alerted; a target with no address is journaled as proposed", async () => {
    const id = await declare();
    expect(await notificationsOf(id)).toEqual([]);
    await qualify(id, CARE_INTERRUPTED);

    const notifications = await notificationsOf(id);
    expect(notifications.map((n) => [n.authority, n.status, n.automatic, n.rule_set_version])).toEqual([
      ["fssi", "sent", true, 2],
    ]);
    expect(notifications[0]?.mail_ids).toHaveLength(2);
    const journal = await alertJournalOf(id);
    expect(journal.map((j) => j.body)).toEqual([
      `Alerte automatique envoyée à FSSI des ministères sociaux (${notifications[0]?.recipients.join(", ")}) — règles v2`,
      "Alerte automatique à Agence sanitaire proposée, aucune adresse enregistrée — règles v2",
    ]);
    expect(journal[0]?.actor_user_id).toBe(analyst.id);

    const { proposals } = await alertsOf(id);
    expect(proposals.find((p) => p.target === "fssi")).toMatchObject({ automatic: true, alreadySent: true });
    // Not automatic: waits for an analyst.
    expect(proposals.find((p) => p.target === "dgs_corruss")).toMatchObject({
      automatic: false,
      alreadySent: false,
    });

    // A new qualification does not send again to a target already alerted.
    await qualify(id, { ...CARE_INTERRUPTED, summary: `${SUMMARY} Mise à jour.` });
    expect((await notificationsOf(id)).filter((n) => n.authority === "fssi")).toHaveLength(1);
  });

  it("send nothing for a TLP:RED case (the journal says why) nor for a case the rules do not select", async () => {
    const red = await declare({ tlp: "red" });
    const mailsBefore = await outboxCount();
    await qualify(red, CARE_INTERRUPTED);
    expect(await notificationsOf(red)).toEqual([]);
    expect(await outboxCount()).toBe(mailsBefore);
    expect((await alertJournalOf(red)).map((j) => j.body)).toContain(
      "Alerte automatique à FSSI des ministères sociaux bloquée : le cas est classé TLP:RED — règles v2",
    );

    const ordinary = await declare();
    await qualify(ordinary, ORDINARY);
    expect(await notificationsOf(ordinary)).toEqual([]);
    expect(await alertJournalOf(ordinary)).toEqual([]);
  });
});

describe("API description", () => {
  it("the OpenAPI document describes the alerting routes (recursive rule conditions included)", async () => {
    const doc = await t.app.inject({ method: "GET", url: "/api/docs/json" });
    expect(doc.statusCode, doc.body.slice(0, 500)).toBe(200);
    const paths = Object.keys((doc.json() as { paths: Record<string, unknown> }).paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/api/alerting/rule-sets",
        "/api/alerting/rule-sets/{version}/publish",
        "/api/alerting/dry-run",
        "/api/alerting/contacts/{id}",
        "/api/cases/{id}/alerts",
        "/api/cases/{id}/alerts/{notificationId}/retry",
      ]),
    );
  });
});
