import { deliverOutbox, type Finding, notifyStructures, recordFindings, startSession } from "@vigie/core";
import { createSmtpTransport, type SmtpTransport } from "@vigie/integrations";
import { startTestSmtpServer, type TestSmtpServer } from "@vigie/integrations/mail/test-smtp-server";
import { createStructure, createTestApp, createUser, type TestApp, type TestUser } from "@vigie/test-kit";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CSRF_HEADER, SESSION_COOKIE } from "../plugins/auth.ts";

// Watch tickets through the API: the lifecycle and who may move a ticket, the structure's
// scope, the grouped notification delivered to a real SMTP server (127.0.0.1), the secret
// acknowledgment link and the CERT's yearly figures.
let t: TestApp;
let smtp: TestSmtpServer;
let transport: SmtpTransport;
let declarant: TestUser;
let otherDeclarant: TestUser;
let analyst: TestUser;
let lead: TestUser;
let admin: TestUser;
let structureId: string;
let otherStructureId: string;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Monday 2 March 2026, 09:00 in Paris.
const MONDAY = new Date("2026-03-02T08:00:00Z");
const LEAK_PASSWORD = "Hopital2024!";

async function sessionOf(user: TestUser): Promise<Record<string, string>> {
  const started = await startSession(
    t.database.db,
    user,
    { ttlHours: 12, mfaAlreadySatisfied: true },
    t.clock.now,
  );
  return { cookie: `${SESSION_COOKIE}=${started.cookieValue}`, [CSRF_HEADER]: started.csrfToken };
}
async function call(user: TestUser | null, method: "GET" | "POST", url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    headers: user ? await sessionOf(user) : {},
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

function vulnerability(cve: string, overrides: Partial<Finding> = {}): Finding {
  return {
    structureId,
    assetId: null,
    kind: "vulnerability",
    findingKey: `vuln:asset-1:${cve}`,
    cveId: cve,
    confidence: "confirmed",
    urgency: "high",
    details: {
      title: "Citrix NetScaler ADC : fuite d'informations (Citrix Bleed)",
      action: "Appliquer le correctif de l'éditeur puis invalider les sessions actives",
      host: "vpn.ch-veille.test",
      ip: "198.51.100.7",
      domain: "vpn.ch-veille.test",
      port: 443,
      service: "https",
      vendor: "Citrix",
      product: "NetScaler ADC",
      version: "13.1-49.14",
    },
    ...overrides,
  };
}

const leak: Finding = {
  structureId: "",
  assetId: null,
  kind: "leaked_credential",
  findingKey: "leak:secretariat@ch-veille.test",
  cveId: null,
  confidence: "confirmed",
  urgency: "high",
  details: {
    title: "Compte de messagerie compromis",
    action: "Changer le mot de passe du compte et vérifier les règles de transfert",
    email: "secretariat@ch-veille.test",
    source: "Fuite publique 2026",
  },
};

async function ticketId(findingKey: string): Promise<string> {
  const row = await t.database.db
    .selectFrom("watch_tickets")
    .select("id")
    .where("finding_key", "=", findingKey)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Decodes RFC 2047 encoded words of a header value. */
function decodeHeader(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, encoding: string, text: string) =>
      encoding.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : Buffer.from(
            text
              .replace(/_/g, " ")
              .replace(/=([0-9A-F]{2})/gi, (_x, hex: string) =>
                String.fromCharCode(Number.parseInt(hex, 16)),
              ),
            "latin1",
          ).toString("utf8"),
    );
}

/** The subject and text of a raw message as the SMTP server received it. */
function parseMessage(raw: string): { subject: string; text: string } {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = raw.slice(split + 4);
  const encoding = (headers["content-transfer-encoding"] ?? "7bit").toLowerCase();
  let text: string;
  if (encoding === "base64") text = Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  else if (encoding === "quoted-printable") {
    const bytes = body
      .replace(/=\r\n/g, "")
      .replace(/=([0-9A-F]{2})/gi, (_x, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    text = Buffer.from(bytes, "latin1").toString("utf8");
  } else text = body;
  return { subject: decodeHeader(headers.subject ?? ""), text: text.replace(/\r\n/g, "\n") };
}

const notifySettings = () => ({
  now: t.clock.now,
  publicUrl: "https://vigie.test",
  reminderDays: 7,
  ackLinkDays: 30,
});

beforeAll(async () => {
  t = await createTestApp();
  t.clock.now = MONDAY;
  smtp = await startTestSmtpServer();
  transport = createSmtpTransport({
    url: smtp.url,
    from: "CERT Santé <veille@vigie.test>",
    timeoutMs: 5_000,
  });
  const db = t.database.db;
  structureId = (await createStructure(db, { name: "Centre hospitalier de Veille", regionCode: "11" })).id;
  otherStructureId = (await createStructure(db, { name: "Clinique voisine", regionCode: "84" })).id;
  await db
    .updateTable("structures")
    .set({ contact_emails: ["rssi@ch-veille.test"] })
    .where("id", "=", structureId)
    .execute();
  declarant = await createUser(db, "declarant", { structureIds: [structureId], email: "dsi@ch-veille.test" });
  otherDeclarant = await createUser(db, "declarant", {
    structureIds: [otherStructureId],
    email: "dsi@clinique.test",
  });
  analyst = await createUser(db, "cert_analyst");
  lead = await createUser(db, "cert_lead");
  admin = await createUser(db, "admin");
});
afterAll(async () => {
  transport?.close();
  await smtp?.close();
  await t?.close();
});
beforeEach(async () => {
  t.clock.now = MONDAY;
  smtp.received.length = 0;
  await sql`delete from watch_notifications; delete from watch_tickets; delete from mail_outbox`.execute(
    t.database.db,
  );
});

describe("the ticket lifecycle", () => {
  it("lets the structure acknowledge and fix, the CERT classify and reopen, refusing what the machine forbids", async () => {
    await recordFindings(
      t.database.db,
      [vulnerability("CVE-2023-4966"), vulnerability("CVE-2023-3519")],
      MONDAY,
    );
    const first = await ticketId("vuln:asset-1:CVE-2023-4966");
    const second = await ticketId("vuln:asset-1:CVE-2023-3519");

    // The declarant acknowledges both at once.
    const ack = await call(declarant, "POST", "/api/watch/tickets/acknowledge", {
      ticketIds: [first, second],
    });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ changed: 2 });
    expect(ack.json().tickets.map((x: { status: string }) => x.status)).toEqual([
      "acknowledged",
      "acknowledged",
    ]);
    // Again: harmless.
    expect(
      (await call(declarant, "POST", `/api/watch/tickets/${first}/acknowledge`, {})).json(),
    ).toMatchObject({
      changed: 0,
    });

    t.clock.advance(60_000);
    // The structure marks one fixed; it cannot acknowledge a fixed ticket, nor reopen it, nor class a false positive.
    const fixed = await call(declarant, "POST", `/api/watch/tickets/${first}/fix`, {
      note: "Correctif appliqué",
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    expect(fixed.json().tickets[0]).toMatchObject({ status: "fixed", actions: [] });
    const refused = await call(declarant, "POST", `/api/watch/tickets/${first}/acknowledge`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: "WATCH_TRANSITION_REFUSED" });
    expect(refused.json().error.message).toMatch(/« Corrigé » : il ne peut pas passer à « Pris en compte »/);
    expect((await call(declarant, "POST", `/api/watch/tickets/${first}/reopen`, {})).statusCode).toBe(403);
    expect(
      (
        await call(declarant, "POST", `/api/watch/tickets/${second}/false-positive`, {
          reason: "Équipement retiré",
          until: "2026-06-01",
        })
      ).statusCode,
    ).toBe(403);
    expect((await call(declarant, "POST", `/api/watch/tickets/${first}/fix`, {})).statusCode).toBe(409);

    t.clock.advance(60_000);
    // The CERT reopens the fixed one, then classes the other as a false positive with a valid expiry.
    const reopened = await call(analyst, "POST", `/api/watch/tickets/${first}/reopen`, {
      note: "Toujours exposé",
    });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json().tickets[0]).toMatchObject({ status: "reopened", fixedAt: null });
    for (const [body, message] of [
      [{ reason: "Équipement retiré", until: "2026-03-02" }, "doit être dans le futur"],
      [{ reason: "Équipement retiré", until: "2027-03-03" }, "à un an au plus"],
    ] as const) {
      const bad = await call(analyst, "POST", `/api/watch/tickets/${second}/false-positive`, body);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.fields).toEqual([
        { field: "until", message: expect.stringContaining(message) },
      ]);
    }
    const noReason = await call(analyst, "POST", `/api/watch/tickets/${second}/false-positive`, {
      until: "2026-06-01",
    });
    expect(noReason.statusCode).toBe(400);
    expect(JSON.stringify(noReason.json().error.fields)).toContain("reason");
    const fp = await call(analyst, "POST", `/api/watch/tickets/${second}/false-positive`, {
      reason: "Équipement retiré du service, adresse réattribuée",
      until: "2027-03-02",
    });
    expect(fp.statusCode, fp.body).toBe(200);
    expect(fp.json().tickets[0]).toMatchObject({
      status: "false_positive",
      falsePositiveUntil: "2027-03-02",
      actions: ["reopen"],
    });
    // A false positive cannot be marked fixed, even by the CERT.
    expect((await call(analyst, "POST", `/api/watch/tickets/${second}/fix`, {})).statusCode).toBe(409);

    // The history says who, when and how.
    const detail = await call(declarant, "GET", `/api/watch/tickets/${first}`);
    expect(detail.statusCode, detail.body).toBe(200);
    expect(
      detail
        .json()
        .history.map((h: { fromStatus: string; toStatus: string; via: string; actorName: string | null }) => [
          h.fromStatus,
          h.toStatus,
          h.via,
          h.actorName,
        ]),
    ).toEqual([
      [null, "new", "system", null],
      ["new", "acknowledged", "user", declarant.full_name],
      ["acknowledged", "fixed", "user", declarant.full_name],
      ["fixed", "reopened", "user", analyst.full_name],
    ]);
    const audit = await t.database.db
      .selectFrom("audit_log")
      .select("action")
      .where("object_id", "=", first)
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      "watch.ticket.acknowledge",
      "watch.ticket.fix",
      "watch.ticket.reopen",
    ]);
  });

  it("keeps each declarant to its structures' tickets; another structure's ticket is not found", async () => {
    await recordFindings(
      t.database.db,
      [vulnerability("CVE-2023-4966"), vulnerability("CVE-2024-21762", { structureId: otherStructureId })],
      MONDAY,
    );
    const mine = await ticketId("vuln:asset-1:CVE-2023-4966");
    const theirs = (
      await t.database.db
        .selectFrom("watch_tickets")
        .select("id")
        .where("structure_id", "=", otherStructureId)
        .executeTakeFirstOrThrow()
    ).id;
    const list = await call(declarant, "GET", "/api/watch/tickets?status=ouverts");
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((x: { id: string }) => x.id)).toEqual([mine]);
    expect((await call(declarant, "GET", `/api/watch/tickets/${theirs}`)).statusCode).toBe(404);
    expect((await call(declarant, "POST", `/api/watch/tickets/${theirs}/acknowledge`, {})).statusCode).toBe(
      404,
    );
    expect(
      (await call(declarant, "POST", "/api/watch/tickets/acknowledge", { ticketIds: [mine, theirs] }))
        .statusCode,
    ).toBe(404);
    expect((await call(otherDeclarant, "GET", "/api/watch/tickets")).json().items).toHaveLength(1);
    // The CERT sees both, filters by structure, CVE and words; the admin has no access.
    expect((await call(analyst, "GET", "/api/watch/tickets")).json().total).toBe(2);
    expect(
      (await call(analyst, "GET", `/api/watch/tickets?structureId=${otherStructureId}`)).json().items[0].id,
    ).toBe(theirs);
    expect((await call(analyst, "GET", "/api/watch/tickets?cve=CVE-2023-4966")).json().items[0].id).toBe(
      mine,
    );
    expect((await call(analyst, "GET", "/api/watch/tickets?q=Clinique")).json().total).toBe(1);
    expect((await call(admin, "GET", "/api/watch/tickets")).statusCode).toBe(403);
    expect((await call(declarant, "GET", "/api/watch/notifications")).statusCode).toBe(403);
    expect((await call(declarant, "GET", "/api/watch/stats")).statusCode).toBe(403);
    expect((await call(null, "GET", "/api/watch/tickets")).statusCode).toBe(401);
  });
});

describe("the grouped notification", () => {
  it("is delivered to a real SMTP server: one message per structure, naming everything but a password", async () => {
    await recordFindings(
      t.database.db,
      [
        vulnerability("CVE-2023-4966", { urgency: "critical" }),
        { ...leak, structureId },
        vulnerability("CVE-2024-21762", { structureId: otherStructureId }),
      ],
      MONDAY,
    );
    const report = await notifyStructures(t.database.db, notifySettings());
    expect(report).toMatchObject({ notified: 2, newTickets: 3 });
    expect(await deliverOutbox(t.database.db, transport, t.clock.now)).toEqual({ sent: 2, failed: 0 });
    expect(smtp.received).toHaveLength(2);
    const mine = smtp.received.find((m) => m.to.includes("rssi@ch-veille.test"));
    expect(mine?.to.sort()).toEqual(["dsi@ch-veille.test", "rssi@ch-veille.test"]);
    const message = parseMessage(mine?.data ?? "");
    expect(message.subject).toMatch(/^\[TLP:AMBER\] Vigie — veille : 2 points d'exposition à traiter/);
    expect(message.text).toMatch(/^TLP:AMBER/);
    for (const expected of [
      "Adresse IP : 198.51.100.7",
      "Domaine : vpn.ch-veille.test",
      "Port et service : port 443 — https",
      "Produit : Citrix NetScaler ADC version 13.1-49.14",
      "Vulnérabilité : CVE-2023-4966 — Citrix NetScaler ADC : fuite d'informations (Citrix Bleed)",
      "Urgence : Critique (exploitée par des rançongiciels)",
      "Action attendue : Appliquer le correctif de l'éditeur",
      "Échéance : mercredi 4 mars 2026",
      "Compte concerné : secretariat@ch-veille.test",
      "https://vigie.test/veille/acquitter/",
      "https://vigie.test/veille\n",
    ]) {
      expect(message.text).toContain(expected);
    }
    expect(message.text).not.toContain(LEAK_PASSWORD);
    expect(message.text).not.toMatch(/mot de passe\s*:/i);
    expect(message.text).not.toContain("CVE-2024-21762");
    const theirs = parseMessage(smtp.received.find((m) => m.to.includes("dsi@clinique.test"))?.data ?? "");
    expect(theirs.text).toContain("CVE-2024-21762");
    expect(theirs.text).not.toContain("CVE-2023-4966");

    // The CERT sees who was alerted, when, about what; the structure sees the message without the addresses.
    const notifications = await call(analyst, "GET", "/api/watch/notifications");
    expect(notifications.statusCode, notifications.body).toBe(200);
    const mineListed = notifications
      .json()
      .items.find((n: { structureId: string }) => n.structureId === structureId);
    expect(mineListed).toMatchObject({
      recipients: ["rssi@ch-veille.test", "dsi@ch-veille.test"],
      acknowledgedAt: null,
      parisDay: "2026-03-02",
    });
    expect(mineListed.tickets).toHaveLength(2);
    const id = await ticketId("vuln:asset-1:CVE-2023-4966");
    const forCert = (await call(analyst, "GET", `/api/watch/tickets/${id}`)).json();
    expect(forCert.notifications[0]).toMatchObject({
      recipients: ["rssi@ch-veille.test", "dsi@ch-veille.test"],
    });
    const forStructure = (await call(declarant, "GET", `/api/watch/tickets/${id}`)).json();
    expect(forStructure.notifications[0]).toMatchObject({ recipients: null, recipientCount: 2 });
    expect(forStructure.status).toBe("notified");
  });

  it("shows « sans destinataire » to the CERT when a structure cannot be reached", async () => {
    const lonely = await createStructure(t.database.db, { name: "EHPAD sans contact" });
    await recordFindings(t.database.db, [vulnerability("CVE-2023-4966", { structureId: lonely.id })], MONDAY);
    expect(await notifyStructures(t.database.db, notifySettings())).toMatchObject({
      notified: 0,
      noRecipient: 1,
    });
    const listed = (await call(analyst, "GET", `/api/watch/tickets?structureId=${lonely.id}`)).json()
      .items[0];
    expect(listed).toMatchObject({ status: "new", noRecipient: true });
  });
});

describe("the acknowledgment link", () => {
  async function notifiedLink(): Promise<string> {
    await recordFindings(t.database.db, [vulnerability("CVE-2023-4966"), { ...leak, structureId }], MONDAY);
    await notifyStructures(t.database.db, notifySettings());
    const mail = await t.database.db.selectFrom("mail_outbox").select("text_body").executeTakeFirstOrThrow();
    const token = /\/veille\/acquitter\/([A-Za-z0-9_-]{43})/.exec(mail.text_body)?.[1];
    if (!token) throw new Error("lien absent");
    return token;
  }

  it("shows what it covers, acknowledges every open ticket once, and a second use is harmless", async () => {
    const token = await notifiedLink();
    const fixedId = await ticketId("leak:secretariat@ch-veille.test");
    await call(declarant, "POST", `/api/watch/tickets/${fixedId}/fix`, {});

    const shown = await call(null, "GET", `/api/watch/ack/${token}`);
    expect(shown.statusCode, shown.body).toBe(200);
    expect(Object.keys(shown.json()).sort()).toEqual(["acknowledgedAt", "expiresAt", "sentAt", "tickets"]);
    expect(shown.json().tickets).toHaveLength(2);
    for (const ticket of shown.json().tickets)
      expect(Object.keys(ticket).sort()).toEqual(["reference", "status", "title"]);

    t.clock.advance(2 * HOUR);
    const used = await call(null, "POST", `/api/watch/ack/${token}`);
    expect(used.statusCode, used.body).toBe(200);
    expect(used.json()).toMatchObject({ acknowledged: 1, acknowledgedAt: t.clock.now.toISOString() });
    const vulnId = await ticketId("vuln:asset-1:CVE-2023-4966");
    const detail = (await call(analyst, "GET", `/api/watch/tickets/${vulnId}`)).json();
    expect(detail.status).toBe("acknowledged");
    expect(detail.history.at(-1)).toMatchObject({ toStatus: "acknowledged", via: "link", actorName: null });
    // The fixed one stays fixed.
    expect((await call(analyst, "GET", `/api/watch/tickets/${fixedId}`)).json().status).toBe("fixed");

    const again = await call(null, "POST", `/api/watch/ack/${token}`);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ acknowledged: 0 });
    const notifications = (await call(analyst, "GET", "/api/watch/notifications?acknowledged=yes")).json();
    expect(notifications.total).toBe(1);
    expect(notifications.items[0].acknowledgedTickets).toBe(1);
  });

  it("refuses an unknown or expired link with a French message", async () => {
    const token = await notifiedLink();
    const unknown = await call(null, "POST", `/api/watch/ack/${"A".repeat(43)}`);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toMatchObject({ code: "WATCH_ACK_LINK_UNKNOWN" });
    expect(unknown.json().error.message).toContain("lien d'acquittement est inconnu");
    t.clock.advance(31 * DAY);
    const expired = await call(null, "POST", `/api/watch/ack/${token}`);
    expect(expired.statusCode).toBe(410);
    expect(expired.json().error).toMatchObject({ code: "WATCH_ACK_LINK_EXPIRED" });
    expect(expired.json().error.message).toContain("a expiré");
    expect((await call(null, "GET", `/api/watch/ack/${token}`)).statusCode).toBe(410);
    const id = await ticketId("vuln:asset-1:CVE-2023-4966");
    expect(
      (
        await t.database.db
          .selectFrom("watch_tickets")
          .select("status")
          .where("id", "=", id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe("notified");
  });
});

describe("the year's figures", () => {
  it("counts the structures alerted in a Paris year by kind, type and region, and those that acknowledged", async () => {
    await recordFindings(
      t.database.db,
      [
        vulnerability("CVE-2023-4966"),
        { ...leak, structureId },
        vulnerability("CVE-2024-21762", { structureId: otherStructureId, urgency: "normal" }),
      ],
      MONDAY,
    );
    await notifyStructures(t.database.db, notifySettings());
    await call(
      declarant,
      "POST",
      `/api/watch/tickets/${await ticketId("vuln:asset-1:CVE-2023-4966")}/acknowledge`,
      {},
    );
    // A notification sent on 31 December 2025 at 23:30 Paris time belongs to 2025.
    const lateInYear = await createStructure(t.database.db, { name: "Laboratoire de fin d'année" });
    await t.database.db
      .insertInto("watch_notifications")
      .values({
        structure_id: lateInYear.id,
        paris_day: "2025-12-31",
        sent_at: new Date("2025-12-31T22:30:00Z"),
        recipients: ["labo@test"],
        ticket_ids: [],
        ack_token_hash: "x".repeat(64),
        ack_expires_at: new Date("2026-01-30T22:30:00Z"),
      })
      .execute();

    const stats = await call(lead, "GET", "/api/watch/stats?year=2026");
    expect(stats.statusCode, stats.body).toBe(200);
    const body = stats.json();
    expect(body).toMatchObject({ year: 2026, alertedStructures: 2, acknowledgingStructures: 1 });
    expect(body.byKind).toEqual([
      { kind: "leaked_credential", structures: 1 },
      { kind: "vulnerability", structures: 2 },
    ]);
    expect(body.byRegion).toEqual(
      expect.arrayContaining([
        { regionCode: "11", regionName: "Île-de-France", structures: 1 },
        { regionCode: "84", regionName: "Auvergne-Rhône-Alpes", structures: 1 },
      ]),
    );
    expect(body.byStructureType).toEqual([{ structureType: "es_public", structures: 2 }]);
    expect(body.tickets).toEqual(
      expect.arrayContaining([
        { kind: "vulnerability", urgency: "high", opened: 1, fixed: 0, open: 1 },
        { kind: "vulnerability", urgency: "normal", opened: 1, fixed: 0, open: 1 },
        { kind: "leaked_credential", urgency: "high", opened: 1, fixed: 0, open: 1 },
      ]),
    );
    expect((await call(lead, "GET", "/api/watch/stats?year=2025")).json()).toMatchObject({
      alertedStructures: 1,
    });
    const bad = await call(lead, "GET", "/api/watch/stats?year=abc");
    expect(bad.statusCode).toBe(400);
  });
});
