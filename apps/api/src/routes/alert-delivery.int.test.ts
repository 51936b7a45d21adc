import { randomUUID } from "node:crypto";
import { deliverOutbox, MAX_MAIL_ATTEMPTS, mailRetryDelayMs, startSession } from "@vigie/core";
import { createSmtpTransport, type SmtpTransport } from "@vigie/integrations";
import { startTestSmtpServer, type TestSmtpServer } from "@vigie/integrations/mail/test-smtp-server";
import { createStructure, createTestApp, createUser, type TestApp, type TestUser } from "@vigie/test-kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CSRF_HEADER, SESSION_COOKIE } from "../plugins/auth.ts";

// An alert to an authority goes through the outbox to a real SMTP server (started here, on
// 127.0.0.1): refused first, delivered on a later attempt, or retried by hand once given up.
let t: TestApp;
let smtp: TestSmtpServer;
let transport: SmtpTransport;
let declarant: TestUser;
let analyst: TestUser;
let structure: Awaited<ReturnType<typeof createStructure>>;

const FSSI = "cssi@fssi.test";
const DGS = "alerte@corruss.test";
const DESCRIPTION = "Le mot de passe SECRET-9876 de l'administrateur a été divulgué.";

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

/** A declared case qualified with care interrupted (FSSI and DGS / CORRUSS are proposed). */
async function qualifiedCase(): Promise<string> {
  const declared = await t.app.inject({
    method: "POST",
    url: "/api/declarations",
    headers: await sessionOf(declarant),
    payload: {
      idempotencyKey: randomUUID(),
      finess: [structure.finessEt],
      declarant: { fullName: "Paul Déclarant", email: "paul.declarant@ch-essai.test", phone: "0699887766" },
      title: "Rançongiciel",
      description: DESCRIPTION,
      detectedAt: "2026-03-10T07:30:00+01:00",
      operationalImpact: "care_interrupted",
      stateAtDeclaration: "in_progress",
      supportRequested: true,
    },
  });
  expect(declared.statusCode, declared.body).toBe(201);
  const id: string = declared.json().id;
  const qualified = await call("PUT", `/api/cases/${id}/qualification`, {
    outOfScope: false,
    origin: "malicious",
    maliciousTypes: ["ransomware"],
    siEffect: "extreme",
    operationalImpact: "care_interrupted",
    dataImpacts: ["data_loss_or_unavailability"],
    dataTypes: ["personal_health"],
    patientEndangerment: "potential",
    summary: "Rançongiciel sur le SI hospitalier, urgences en mode dégradé, plan blanc déclenché.",
  });
  expect(qualified.statusCode, qualified.body).toBe(200);
  // The declaration's own mails (acknowledgment…) are not what this file delivers.
  await t.database.db
    .updateTable("mail_outbox")
    .set({ sent_at: new Date() })
    .where("sent_at", "is", null)
    .execute();
  return id;
}

async function sendAlert(id: string, target: string): Promise<{ id: string; delivery: string }> {
  const response = await call("POST", `/api/cases/${id}/alerts`, { target });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function deliveryOf(caseId: string, notificationId: string): Promise<string> {
  const response = await call("GET", `/api/cases/${caseId}/alerts`);
  expect(response.statusCode, response.body).toBe(200);
  const notification = response.json().notifications.find((n: { id: string }) => n.id === notificationId) as
    | { delivery: string }
    | undefined;
  if (!notification) throw new Error("notification absente");
  return notification.delivery;
}

async function mailOf(notificationId: string) {
  const notification = await t.database.db
    .selectFrom("authority_notifications")
    .select("mail_ids")
    .where("id", "=", notificationId)
    .executeTakeFirstOrThrow();
  expect(notification.mail_ids).toHaveLength(1);
  return t.database.db
    .selectFrom("mail_outbox")
    .selectAll()
    .where("id", "=", notification.mail_ids[0] ?? "")
    .executeTakeFirstOrThrow();
}

/** Decodes RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=) of a header value. */
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
function parseMessage(raw: string): { headers: Record<string, string>; subject: string; text: string } {
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
  return { headers, subject: decodeHeader(headers.subject ?? ""), text: text.replace(/\r\n/g, "\n") };
}

beforeAll(async () => {
  t = await createTestApp();
  smtp = await startTestSmtpServer();
  transport = createSmtpTransport({
    url: smtp.url,
    from: "CERT Santé <alertes@vigie.test>",
    timeoutMs: 5_000,
  });
  const db = t.database.db;
  structure = await createStructure(db, { regionCode: "11", name: "Centre hospitalier de Pontoise" });
  declarant = await createUser(db, "declarant", { structureIds: [structure.id] });
  analyst = await createUser(db, "cert_analyst");
  const lead = await createUser(db, "cert_lead");
  for (const [target, email] of [
    ["fssi", FSSI],
    ["dgs_corruss", DGS],
  ] as const) {
    const created = await call(
      "POST",
      "/api/alerting/contacts",
      { target, email, label: `Permanence ${target}` },
      lead,
    );
    expect(created.statusCode, created.body).toBe(201);
  }
});
afterAll(async () => {
  transport?.close();
  await smtp?.close();
  await t?.close();
});
beforeEach(() => {
  smtp.failWith = null;
  smtp.received.length = 0;
});

describe("delivering an alert through SMTP", () => {
  it("refused by the server, it stays pending with its error, then is delivered on the next attempt", async () => {
    const caseId = await qualifiedCase();
    const sent = await sendAlert(caseId, "fssi");
    expect(sent.delivery).toBe("pending");

    const now = new Date();
    smtp.failWith = "451 4.3.0 Service momentanément indisponible";
    expect(await deliverOutbox(t.database.db, transport, now)).toEqual({ sent: 0, failed: 1 });
    expect(smtp.received).toHaveLength(0);
    const refused = await mailOf(sent.id);
    expect(refused.sent_at).toBeNull();
    expect(refused.last_error).toContain("451");
    expect(refused.next_attempt_at?.getTime()).toBe(now.getTime() + mailRetryDelayMs(1));
    // Retried automatically after the backoff: still pending, not failed.
    expect(await deliveryOf(caseId, sent.id)).toBe("pending");

    smtp.failWith = null;
    const later = new Date(now.getTime() + mailRetryDelayMs(1) + 1_000);
    expect(await deliverOutbox(t.database.db, transport, later)).toEqual({ sent: 1, failed: 0 });
    expect(await deliveryOf(caseId, sent.id)).toBe("delivered");
    expect((await mailOf(sent.id)).attempts).toBe(2);

    expect(smtp.received).toHaveLength(1);
    const received = smtp.received[0];
    expect(received?.to).toEqual([FSSI]);
    expect(received?.from).toBe("alertes@vigie.test");
    const message = parseMessage(received?.data ?? "");
    expect(message.subject).toMatch(
      /^\[TLP:AMBER\] CERT Santé — CS-\d{4}-\d{6} — incident majeur, origine malveillante \(Île-de-France\)$/,
    );
    expect(message.text).toContain("TLP:AMBER — diffusion limitée aux organisations concernées");
    expect(message.text).toContain("- Types malveillants : Rançongiciel");
    expect(message.text).toContain("- Effet sur le SI : Extrême");
    expect(message.text).toContain("- Impact sur le fonctionnement : Interruption de la prise en charge");
    expect(message.text).toContain("urgences en mode dégradé, plan blanc déclenché.");
    for (const secret of [
      "SECRET-9876",
      "Paul Déclarant",
      "paul.declarant@ch-essai.test",
      "0699887766",
      "Pontoise",
    ]) {
      expect(message.text).not.toContain(secret);
    }
  });

  it("given up after the last attempt, it shows failed; the retry route queues it again and it is delivered", async () => {
    const caseId = await qualifiedCase();
    const sent = await sendAlert(caseId, "dgs_corruss");
    smtp.failWith = "550 5.7.1 Relais refusé";
    let at = new Date();
    for (let attempt = 1; attempt <= MAX_MAIL_ATTEMPTS; attempt++) {
      expect(await deliverOutbox(t.database.db, transport, at)).toEqual({ sent: 0, failed: 1 });
      at = new Date(at.getTime() + mailRetryDelayMs(attempt) + 1_000);
    }
    // No more attempts: the outbox gives up.
    expect(await deliverOutbox(t.database.db, transport, at)).toEqual({ sent: 0, failed: 0 });
    const givenUp = await mailOf(sent.id);
    expect(givenUp.attempts).toBe(MAX_MAIL_ATTEMPTS);
    expect(givenUp.last_error).toContain("550");
    expect(await deliveryOf(caseId, sent.id)).toBe("failed");

    smtp.failWith = null;
    const retried = await call("POST", `/api/cases/${caseId}/alerts/${sent.id}/retry`);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ id: sent.id, status: "sent", delivery: "pending" });
    const requeued = await mailOf(sent.id);
    expect(requeued).toMatchObject({ attempts: 0, next_attempt_at: null, last_error: null, sent_at: null });
    const journal = await t.database.db
      .selectFrom("incident_journal")
      .select("body")
      .where("incident_id", "=", caseId)
      .where("kind", "=", "alert")
      .orderBy("id")
      .execute();
    expect(journal.map((j) => j.body)).toEqual([
      `Alerte envoyée à DGS / CORRUSS (${DGS}) — règles v0`,
      "Nouvel envoi de l'alerte à DGS / CORRUSS (1 courriel)",
    ]);

    expect(await deliverOutbox(t.database.db, transport, at)).toEqual({ sent: 1, failed: 0 });
    expect(await deliveryOf(caseId, sent.id)).toBe("delivered");
    expect(smtp.received.map((m) => m.to)).toEqual([[DGS]]);
    const message = parseMessage(smtp.received[0]?.data ?? "");
    expect(message.subject).toContain("incident affectant la prise en charge des patients");
    expect(message.text).toContain("Le CERT Santé informe la DGS (CORRUSS)");

    // Delivered: nothing left to retry, the notification is unchanged and no line is added.
    const again = await call("POST", `/api/cases/${caseId}/alerts/${sent.id}/retry`);
    expect(again.statusCode).toBe(200);
    expect(again.json().delivery).toBe("delivered");
    expect(
      await t.database.db
        .selectFrom("incident_journal")
        .select("id")
        .where("incident_id", "=", caseId)
        .where("kind", "=", "alert")
        .execute(),
    ).toHaveLength(2);
  });
});
