import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadConfig } from "@vigie/config";
import { dispatchOncallPages, oncallSettingsFrom, startSession } from "@vigie/core";
import { createJsonPoster } from "@vigie/integrations";
import { createStructure, createTestApp, createUser, type TestApp, type TestUser } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSRF_HEADER, SESSION_COOKIE } from "../plugins/auth.ts";

/** Saturday 14 March 2026, 23:30 in Paris: out of business hours. */
const SATURDAY_NIGHT = new Date("2026-03-14T22:30:00Z");
const FALLBACK = "astreinte@cert-sante.localhost";

let t: TestApp;
let structure: Awaited<ReturnType<typeof createStructure>>;
let declarant: TestUser;
let first: TestUser;
let backup: TestUser;
let lead: TestUser;
let webhook: Server;
let webhookUrl: string;
let webhookStatus = 200;
const received: Record<string, unknown>[] = [];

async function sessionOf(user: TestUser): Promise<Record<string, string>> {
  const started = await startSession(
    t.database.db,
    user,
    { ttlHours: 12, mfaAlreadySatisfied: true },
    t.clock.now,
  );
  return { cookie: `${SESSION_COOKIE}=${started.cookieValue}`, [CSRF_HEADER]: started.csrfToken };
}

/** Runs the `oncall.dispatch` job's use case at the test clock, posting to the local test server. */
function dispatch() {
  const settings = oncallSettingsFrom(loadConfig({ NODE_ENV: "test", ONCALL_WEBHOOK_URL: webhookUrl }));
  return dispatchOncallPages(t.database.db, settings, createJsonPoster({ timeoutMs: 2000 }), t.clock.now);
}

/** An out-of-hours declaration asking for help: it needs the on-call analyst. */
async function declareUrgent(): Promise<{ id: string; reference: string }> {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/declarations",
    payload: {
      idempotencyKey: randomUUID(),
      finess: [structure.finessEt],
      declarant: { fullName: "Nuit Blanche", email: "nuit@ch-essai.test", phone: "06 11 22 33 44" },
      title: "Chiffrement des serveurs",
      description: "Message de rançon sur les serveurs de fichiers.",
      detectedAt: "2026-03-14T22:00:00+01:00",
      operationalImpact: "degraded_care",
      stateAtDeclaration: "in_progress",
      supportRequested: true,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  expect(response.json()).toMatchObject({ outOfHours: true, oncallPaged: true });
  return response.json();
}

function pagesOf(incidentId: string) {
  return t.database.db
    .selectFrom("oncall_pages")
    .selectAll()
    .where("incident_id", "=", incidentId)
    .orderBy("level")
    .execute();
}

function mailsTo(address: string) {
  return t.database.db.selectFrom("mail_outbox").selectAll().where("to_address", "=", address).execute();
}

async function createShift(user: TestUser, body: Record<string, unknown>) {
  return t.app.inject({
    method: "POST",
    url: "/api/oncall/shifts",
    headers: await sessionOf(user),
    payload: body,
  });
}

beforeAll(async () => {
  webhook = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ status: webhookStatus, body: JSON.parse(body) });
      response.writeHead(webhookStatus, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => webhook.listen(0, "127.0.0.1", resolve));
  webhookUrl = `http://127.0.0.1:${(webhook.address() as AddressInfo).port}/hook`;
  t = await createTestApp({ ONCALL_WEBHOOK_URL: webhookUrl });
  t.clock.now = SATURDAY_NIGHT;
  const db = t.database.db;
  structure = await createStructure(db, { name: "Centre hospitalier de Nuit" });
  declarant = await createUser(db, "declarant", { structureIds: [structure.id] });
  first = await createUser(db, "cert_analyst");
  backup = await createUser(db, "cert_analyst");
  lead = await createUser(db, "cert_lead");
});
afterAll(async () => {
  await t.close();
  await new Promise((resolve) => webhook.close(resolve));
});

describe(`on-call rota and paging (${process.env.VIGIE_TEST_DATABASE ?? "pglite"})`, () => {
  it("pages the fallback address when nobody is scheduled", async () => {
    const before = (await mailsTo(FALLBACK)).length;
    const incident = await declareUrgent();
    const pages = await pagesOf(incident.id);
    expect(pages).toMatchObject([
      { level: 1, shift_user_id: null, target_email: FALLBACK, sent_webhook_at: null },
    ]);
    const mails = await mailsTo(FALLBACK);
    expect(mails).toHaveLength(before + 1);
    expect(mails.at(-1)?.subject).toContain(incident.reference);
  });

  it("lets a CERT lead build the rota, with French errors naming the field", async () => {
    const night = { startsAt: "2026-03-14T20:00:00+01:00", endsAt: "2026-03-15T08:00:00+01:00" };
    const created = await createShift(lead, { userId: first.id, ...night, position: 1 });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ userId: first.id, position: 1, fullName: first.full_name });
    expect((await createShift(lead, { userId: backup.id, ...night, position: 2 })).statusCode).toBe(201);

    const overlap = await createShift(lead, {
      userId: backup.id,
      startsAt: "2026-03-15T07:00:00+01:00",
      endsAt: "2026-03-15T19:00:00+01:00",
      position: 1,
    });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().error.fields).toEqual([
      { field: "startsAt", message: expect.stringContaining("chevauche l'astreinte de") },
    ]);

    const reversed = await createShift(lead, {
      userId: backup.id,
      startsAt: "2026-03-16T08:00:00+01:00",
      endsAt: "2026-03-16T07:00:00+01:00",
    });
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.fields[0]).toMatchObject({
      field: "endsAt",
      message: expect.stringMatching(/postérieure/),
    });

    const notCert = await createShift(lead, {
      userId: declarant.id,
      startsAt: "2026-03-16T08:00:00+01:00",
      endsAt: "2026-03-16T18:00:00+01:00",
    });
    expect(notCert.statusCode).toBe(400);
    expect(notCert.json().error.fields[0].field).toBe("userId");

    // An analyst sees the rota but does not organise it.
    expect(
      (
        await createShift(first, {
          userId: first.id,
          startsAt: "2026-03-20T08:00:00+01:00",
          endsAt: "2026-03-20T18:00:00+01:00",
        })
      ).statusCode,
    ).toBe(403);
    const now = await t.app.inject({
      method: "GET",
      url: "/api/oncall/now",
      headers: await sessionOf(first),
    });
    expect(now.statusCode).toBe(200);
    expect(now.json().items.map((s: { userId: string }) => s.userId)).toEqual([first.id, backup.id]);
    const rota = await t.app.inject({
      method: "GET",
      url: "/api/oncall/shifts",
      headers: await sessionOf(first),
    });
    expect(rota.json().items).toHaveLength(2);
  });

  it("refuses the rota and the pages to a declarant", async () => {
    const headers = await sessionOf(declarant);
    for (const url of ["/api/oncall/shifts", "/api/oncall/now", "/api/oncall/pages"]) {
      expect((await t.app.inject({ method: "GET", url, headers })).statusCode).toBe(403);
    }
  });

  it("pages the scheduled analyst, posts the webhook (retried after a 500), escalates once to position 2", async () => {
    const incident = await declareUrgent();
    const [page] = await pagesOf(incident.id);
    expect(page).toMatchObject({ level: 1, shift_user_id: first.id, target_email: first.email });
    const mails = await mailsTo(first.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toContain(incident.reference);
    expect(mails[0]?.text_body).toContain("06 11 22 33 44");

    webhookStatus = 500;
    const failed = await dispatch();
    expect(failed.webhooksFailed).toBeGreaterThan(0);
    expect(failed.escalated).toBe(0);
    expect((await pagesOf(incident.id))[0]).toMatchObject({ sent_webhook_at: null, webhook_attempts: 1 });

    webhookStatus = 200;
    received.length = 0;
    await dispatch();
    expect((await pagesOf(incident.id))[0]?.sent_webhook_at).not.toBeNull();
    const body = received
      .map((r) => r.body as Record<string, unknown>)
      .find((b) => b.reference === incident.reference);
    expect(body).toMatchObject({
      reference: incident.reference,
      structure: { name: "Centre hospitalier de Nuit", finess: structure.finessEt },
      phone: "06 11 22 33 44",
      impacts: { operational: "degraded_care", supportRequested: true },
      link: expect.stringContaining(`/declarations/${incident.id}`),
      level: 1,
    });
    received.length = 0;
    await dispatch();
    expect(received).toHaveLength(0);

    // Not before the delay, then once to position 2.
    t.clock.advance(14 * 60_000);
    await dispatch();
    expect(await pagesOf(incident.id)).toHaveLength(1);
    t.clock.advance(2 * 60_000);
    await dispatch();
    await dispatch();
    const escalated = await pagesOf(incident.id);
    expect(escalated).toHaveLength(2);
    expect(escalated[0]?.escalated_at).not.toBeNull();
    expect(escalated[1]).toMatchObject({ level: 2, shift_user_id: backup.id, target_email: backup.email });
    expect(escalated[1]?.sent_webhook_at).not.toBeNull();
    const backupMails = await mailsTo(backup.email);
    expect(backupMails).toHaveLength(1);
    expect(backupMails[0]?.subject).toMatch(/^ESCALADE niveau 2 — ASTREINTE/);

    // The backup acknowledges the level-2 page: nothing more is paged for this declaration.
    const ack = await t.app.inject({
      method: "POST",
      url: `/api/oncall/pages/${escalated[1]?.id}/ack`,
      headers: await sessionOf(backup),
    });
    expect(ack.statusCode, ack.body).toBe(200);
    t.clock.advance(30 * 60_000);
    await dispatch();
    expect(await pagesOf(incident.id)).toHaveLength(2);
  });

  it("stops the escalation once acknowledged (idempotent, audited once)", async () => {
    const incident = await declareUrgent();
    const [page] = await pagesOf(incident.id);
    const pending = await t.app.inject({
      method: "GET",
      url: "/api/oncall/pages?pending=true",
      headers: await sessionOf(first),
    });
    expect(pending.json().items.map((p: { id: string }) => p.id)).toContain(page?.id);

    const headers = await sessionOf(first);
    const ack = await t.app.inject({ method: "POST", url: `/api/oncall/pages/${page?.id}/ack`, headers });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json()).toMatchObject({ acknowledgedBy: first.full_name, reference: incident.reference });
    t.clock.advance(60_000);
    const again = await t.app.inject({ method: "POST", url: `/api/oncall/pages/${page?.id}/ack`, headers });
    expect(again.statusCode).toBe(200);
    expect(again.json().acknowledgedAt).toBe(ack.json().acknowledgedAt);

    t.clock.advance(20 * 60_000);
    const report = await dispatch();
    expect(await pagesOf(incident.id)).toHaveLength(1);
    expect(report).toBeDefined();
    const audits = await t.database.db
      .selectFrom("audit_log")
      .selectAll()
      .where("action", "=", "oncall.page_acknowledged")
      .where("object_id", "=", incident.id)
      .execute();
    expect(audits).toHaveLength(1);
    const stillPending = await t.app.inject({
      method: "GET",
      url: "/api/oncall/pages?pending=true",
      headers,
    });
    expect(stillPending.json().items.map((p: { id: string }) => p.id)).not.toContain(page?.id);
    const unknown = await t.app.inject({
      method: "POST",
      url: `/api/oncall/pages/${randomUUID()}/ack`,
      headers,
    });
    expect(unknown.statusCode).toBe(404);
  });
});
