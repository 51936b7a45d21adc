import { createStructure, createTestDatabase, createUser, type TestDatabase } from "@vigie/test-kit";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "../../access/policy.ts";
import { type Finding, recordFindings } from "../tickets/record-findings.ts";
import { acknowledgeTickets } from "../tickets/transition-tickets.ts";
import { notifyStructures } from "./notify-structures.ts";

let database: TestDatabase;
let structureId: string;
let silentStructureId: string;
let member: Actor;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// Monday 2 March 2026, 09:00 in Paris.
const monday = new Date("2026-03-02T08:00:00Z");
const settings = (now: Date) => ({ now, publicUrl: "https://vigie.test", reminderDays: 7, ackLinkDays: 30 });

beforeAll(async () => {
  database = await createTestDatabase();
  structureId = (await createStructure(database.db, { name: "CH de Veille" })).id;
  silentStructureId = (await createStructure(database.db, { name: "EHPAD sans contact" })).id;
  await database.db
    .updateTable("structures")
    .set({ contact_emails: ["rssi@ch-veille.test"] })
    .where("id", "=", structureId)
    .execute();
  const user = await createUser(database.db, "declarant", {
    structureIds: [structureId],
    email: "dsi@ch-veille.test",
  });
  member = {
    userId: user.id,
    email: user.email,
    role: "declarant",
    regionCode: null,
    authority: null,
    structureIds: [structureId],
    via: "session",
  };
});
afterAll(async () => {
  await database?.destroy();
});
beforeEach(async () => {
  await sql`delete from watch_notifications; delete from watch_tickets; delete from mail_outbox`.execute(
    database.db,
  );
});

function finding(key: string, overrides: Partial<Finding> = {}): Finding {
  return {
    structureId,
    assetId: null,
    kind: "vulnerability",
    findingKey: `vuln:a1:${key}`,
    cveId: key,
    confidence: "confirmed",
    urgency: "normal",
    details: { title: `Produit : ${key}`, action: "Mettre à jour", ip: "192.0.2.10" },
    ...overrides,
  };
}

async function mails() {
  return database.db.selectFrom("mail_outbox").selectAll().orderBy("created_at").execute();
}
async function ticket(key: string) {
  return database.db
    .selectFrom("watch_tickets")
    .selectAll()
    .where("finding_key", "=", `vuln:a1:${key}`)
    .executeTakeFirstOrThrow();
}

describe("notifyStructures", () => {
  it("sends one grouped message per structure and Paris day, never twice the same day", async () => {
    await recordFindings(database.db, [finding("CVE-2023-4966"), finding("CVE-2024-21762")], monday);
    const first = await notifyStructures(database.db, settings(monday));
    expect(first).toMatchObject({ notified: 1, newTickets: 2, raisedTickets: 0, reminders: 0 });
    const [mail] = await mails();
    expect(mail?.to_address).toBe("rssi@ch-veille.test, dsi@ch-veille.test");
    expect(mail?.subject).toContain("[TLP:AMBER]");
    expect(mail?.text_body).toContain("CVE-2023-4966");
    expect(mail?.text_body).toContain("CVE-2024-21762");
    expect(await ticket("CVE-2023-4966")).toMatchObject({ status: "notified", notified_urgency: "normal" });

    // A new finding later the same day waits for tomorrow: one message a day.
    await recordFindings(database.db, [finding("CVE-2023-46805")], new Date(monday.getTime() + 2 * HOUR));
    const again = await notifyStructures(database.db, settings(new Date(monday.getTime() + 3 * HOUR)));
    expect(again).toMatchObject({ notified: 0, alreadyNotified: 1 });
    expect(await mails()).toHaveLength(1);
    expect((await ticket("CVE-2023-46805")).status).toBe("new");

    // The next day: only what is new.
    const tuesday = new Date(monday.getTime() + DAY);
    const next = await notifyStructures(database.db, settings(tuesday));
    expect(next).toMatchObject({ notified: 1, newTickets: 1, raisedTickets: 0, reminders: 0 });
    const sent = await mails();
    expect(sent).toHaveLength(2);
    expect(sent[1]?.text_body).toContain("CVE-2023-46805");
    expect(sent[1]?.text_body).not.toContain("CVE-2023-4966");
    // Nothing more that day or the next: nothing new, nothing raised, no reminder due.
    expect(await notifyStructures(database.db, settings(new Date(tuesday.getTime() + DAY)))).toMatchObject({
      notified: 0,
      alreadyNotified: 0,
    });
  });

  it("notifies a raised urgency again, even acknowledged, and reminds only what is not acknowledged", async () => {
    await recordFindings(database.db, [finding("CVE-2023-4966"), finding("CVE-2024-21762")], monday);
    await notifyStructures(database.db, settings(monday));
    const acknowledged = await ticket("CVE-2024-21762");
    await acknowledgeTickets(database.db, member, { ticketIds: [acknowledged.id] }, { now: monday });

    // Added to KEV the next day: the acknowledged ticket is told again.
    const tuesday = new Date(monday.getTime() + DAY);
    await recordFindings(
      database.db,
      [finding("CVE-2023-4966"), finding("CVE-2024-21762", { urgency: "high" })],
      tuesday,
    );
    const raised = await notifyStructures(database.db, settings(tuesday));
    expect(raised).toMatchObject({ notified: 1, newTickets: 0, raisedTickets: 1, reminders: 0 });
    expect((await mails())[1]?.text_body).toContain("[Urgence relevée]");
    expect(await ticket("CVE-2024-21762")).toMatchObject({
      status: "acknowledged",
      notified_urgency: "high",
    });

    // Seven days after the first notice: a reminder for the ticket not acknowledged only.
    const nextMonday = new Date(monday.getTime() + 7 * DAY);
    const reminder = await notifyStructures(database.db, settings(nextMonday));
    expect(reminder).toMatchObject({ notified: 1, newTickets: 0, raisedTickets: 0, reminders: 1 });
    const third = (await mails())[2];
    expect(third?.text_body).toContain("[Rappel n° 1]");
    expect(third?.text_body).toContain("CVE-2023-4966");
    expect(third?.text_body).not.toContain("CVE-2024-21762");
    expect(await ticket("CVE-2023-4966")).toMatchObject({ status: "notified", reminder_count: 1 });
    // The next reminder waits another seven days.
    expect(
      (await notifyStructures(database.db, settings(new Date(nextMonday.getTime() + 6 * DAY)))).notified,
    ).toBe(0);
    expect(
      (await notifyStructures(database.db, settings(new Date(nextMonday.getTime() + 7 * DAY)))).reminders,
    ).toBe(1);
  });

  it("sends nothing to a structure without recipient and leaves its tickets new", async () => {
    await recordFindings(database.db, [finding("CVE-2023-4966", { structureId: silentStructureId })], monday);
    const report = await notifyStructures(database.db, settings(monday));
    expect(report).toMatchObject({ notified: 0, noRecipient: 1 });
    expect(await mails()).toHaveLength(0);
    const row = await database.db
      .selectFrom("watch_tickets")
      .select("status")
      .where("structure_id", "=", silentStructureId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("new");
  });
});
