import { deliverOutbox, MAX_MAIL_ATTEMPTS, queueMail } from "@vigie/core";
import { createTestDatabase, type TestDatabase } from "@vigie/test-kit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createSmtpTransport, type SmtpTransport } from "./smtp-transport.ts";
import { startTestSmtpServer, type TestSmtpServer } from "./test-smtp-server.ts";

let database: TestDatabase;
let smtp: TestSmtpServer;
let transport: SmtpTransport;

async function mailRow(id: string) {
  return database.db.selectFrom("mail_outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
}

beforeAll(async () => {
  database = await createTestDatabase();
  smtp = await startTestSmtpServer();
  transport = createSmtpTransport({
    url: smtp.url,
    from: "Vigie <ne-pas-repondre@vigie.test>",
    timeoutMs: 5_000,
  });
});

afterAll(async () => {
  transport.close();
  await smtp.close();
  await database.destroy();
});

beforeEach(async () => {
  smtp.failWith = null;
  smtp.received.length = 0;
  await database.db.deleteFrom("mail_outbox").execute();
});

describe("deliverOutbox over SMTP", () => {
  it("delivers a queued mail once and marks it sent", async () => {
    const now = new Date();
    const id = await database.db
      .transaction()
      .execute((trx) =>
        queueMail(
          trx,
          { to: "rssi@chu-essai.fr", subject: "Essai d'envoi", text: "Bonjour,\nCeci est un essai. Été." },
          now,
        ),
      );
    const report = await deliverOutbox(database.db, transport, now, { batch: 10 });
    expect(report).toEqual({ sent: 1, failed: 0 });
    expect(smtp.received).toHaveLength(1);
    const received = smtp.received[0];
    expect(received?.from).toBe("ne-pas-repondre@vigie.test");
    expect(received?.to).toEqual(["rssi@chu-essai.fr"]);
    expect(received?.data).toContain(`Message-ID: <${id}@vigie.test>`);
    expect(received?.data).toMatch(/Subject: Essai d'envoi/);
    const row = await mailRow(id);
    expect(row.sent_at).toBeInstanceOf(Date);
    expect(row.attempts).toBe(1);
    expect(row.last_error).toBeNull();

    // A later run finds nothing to send: never twice.
    expect(await deliverOutbox(database.db, transport, new Date(now.getTime() + 3_600_000))).toEqual({
      sent: 0,
      failed: 0,
    });
    expect(smtp.received).toHaveLength(1);
  });

  it("a mail queued in a rolled back transaction is never sent", async () => {
    await expect(
      database.db.transaction().execute(async (trx) => {
        await queueMail(trx, { to: "annule@chu-essai.fr", subject: "Annulé", text: "…" });
        throw new Error("rollback");
      }),
    ).rejects.toThrow("rollback");
    expect(await deliverOutbox(database.db, transport, new Date())).toEqual({ sent: 0, failed: 0 });
  });

  it("keeps a refused mail unsent with its error, retries after the backoff, then sends it", async () => {
    const now = new Date();
    const id = await queueMail(database.db, { to: "rssi@chu-essai.fr", subject: "Réessai", text: "…" }, now);
    smtp.failWith = "451 4.3.0 Service momentanément indisponible";
    expect(await deliverOutbox(database.db, transport, now)).toEqual({ sent: 0, failed: 1 });
    let row = await mailRow(id);
    expect(row.sent_at).toBeNull();
    expect(row.attempts).toBe(1);
    expect(row.last_error).toContain("451");
    expect(row.next_attempt_at?.getTime()).toBe(now.getTime() + 60_000);
    expect(row.claimed_until).toBeNull();

    // Not retried before the backoff has elapsed.
    smtp.failWith = null;
    expect(await deliverOutbox(database.db, transport, new Date(now.getTime() + 30_000))).toEqual({
      sent: 0,
      failed: 0,
    });
    const later = new Date(now.getTime() + 61_000);
    expect(await deliverOutbox(database.db, transport, later)).toEqual({ sent: 1, failed: 0 });
    row = await mailRow(id);
    expect(row.sent_at?.getTime()).toBe(later.getTime());
    expect(row.attempts).toBe(2);
    expect(row.last_error).toBeNull();
    expect(smtp.received).toHaveLength(1);
  });

  it("leaves the mail unsent with last_error when no server answers, and gives up after the last attempt", async () => {
    const down = await startTestSmtpServer();
    const deadUrl = down.url;
    await down.close();
    const dead = createSmtpTransport({ url: deadUrl, from: "vigie@vigie.test", timeoutMs: 2_000 });
    const now = new Date();
    const id = await queueMail(database.db, { to: "x@chu-essai.fr", subject: "Perdu", text: "…" }, now);
    expect(await deliverOutbox(database.db, dead, now)).toEqual({ sent: 0, failed: 1 });
    const row = await mailRow(id);
    expect(row.sent_at).toBeNull();
    expect(row.last_error).toMatch(/ECONNREFUSED|connect/i);
    dead.close();

    await database.db
      .updateTable("mail_outbox")
      .set({ attempts: MAX_MAIL_ATTEMPTS, next_attempt_at: null })
      .where("id", "=", id)
      .execute();
    expect(await deliverOutbox(database.db, transport, new Date(now.getTime() + 86_400_000))).toEqual({
      sent: 0,
      failed: 0,
    });
  });

  it("two concurrent runs send each message exactly once", async () => {
    const now = new Date();
    for (let i = 0; i < 6; i++) {
      await queueMail(database.db, { to: `n${i}@chu-essai.fr`, subject: `Message ${i}`, text: "…" }, now);
    }
    const [a, b] = await Promise.all([
      deliverOutbox(database.db, transport, now, { batch: 4 }),
      deliverOutbox(database.db, transport, now, { batch: 4 }),
    ]);
    expect((a?.sent ?? 0) + (b?.sent ?? 0)).toBe(6);
    expect(smtp.received.map((m) => m.to[0]).sort()).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => `n${i}@chu-essai.fr`),
    );
  });
});
