import { createStructure, createTestDatabase, type TestDatabase } from "@vigie/test-kit";
import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Finding, recordFindings } from "./record-findings.ts";

let database: TestDatabase;
let structureId: string;
let otherStructureId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  structureId = (await createStructure(database.db)).id;
  otherStructureId = (await createStructure(database.db)).id;
});
afterAll(async () => {
  await database?.destroy();
});
beforeEach(async () => {
  await sql`delete from watch_tickets`.execute(database.db);
});

const day1 = new Date("2026-03-02T08:00:00Z");
const day2 = new Date("2026-03-03T08:00:00Z");

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    structureId,
    assetId: null,
    kind: "vulnerability",
    findingKey: "vuln:a1:CVE-2023-4966",
    cveId: "CVE-2023-4966",
    confidence: "confirmed",
    urgency: "high",
    details: { title: "NetScaler 13.1-49.14 : CVE-2023-4966", action: "Mettre à jour" },
    ...overrides,
  };
}

async function tickets() {
  return database.db.selectFrom("watch_tickets").selectAll().orderBy("finding_key").execute();
}
async function historyOf(ticketId: string) {
  return database.db
    .selectFrom("watch_ticket_history")
    .select(["from_status", "to_status", "urgency", "via", "note"])
    .where("ticket_id", "=", ticketId)
    .orderBy("at")
    .orderBy("id")
    .execute();
}

describe("recordFindings", () => {
  it("opens one ticket per structure and key, with a deadline from its urgency, and never twice", async () => {
    const first = await recordFindings(
      database.db,
      [finding(), finding({ urgency: "critical" }), finding({ structureId: otherStructureId })],
      day1,
    );
    expect(first).toMatchObject({ opened: 2, seen: 0 });
    const again = await recordFindings(database.db, [finding({ urgency: "critical" })], day2);
    expect(again).toMatchObject({ opened: 0, seen: 1, raised: 0 });
    const rows = await tickets();
    expect(rows).toHaveLength(2);
    const mine = rows.find((r) => r.structure_id === structureId);
    // The duplicate in the first pass kept the most urgent: critical, 2 days from 2 March (Paris).
    expect(mine).toMatchObject({ status: "new", urgency: "critical", due_on: "2026-03-04" });
    expect(mine?.last_seen_at.toISOString()).toBe(day2.toISOString());
    expect(await historyOf(mine?.id ?? "")).toEqual([
      { from_status: null, to_status: "new", urgency: "critical", via: "system", note: "Détecté" },
    ]);
  });

  it("raises the urgency of an open ticket, brings its deadline forward and writes it down", async () => {
    await recordFindings(database.db, [finding({ urgency: "normal" })], day1);
    await sql`update watch_tickets set status = 'notified', notified_urgency = 'normal'`.execute(database.db);
    const result = await recordFindings(database.db, [finding({ urgency: "critical" })], day2);
    expect(result.raised).toBe(1);
    const [row] = await tickets();
    expect(row).toMatchObject({ status: "notified", urgency: "critical", notified_urgency: "normal" });
    expect(row?.due_on).toBe("2026-03-05");
    const history = await historyOf(row?.id ?? "");
    expect(history.at(-1)?.note).toContain("Critique");
  });

  it("fixes, within the scope, the open tickets not found again, and reopens them when they come back", async () => {
    await recordFindings(database.db, [finding(), finding({ findingKey: "vuln:a2:CVE-2023-4966" })], day1);
    const pass = await recordFindings(database.db, [finding()], day2, { kinds: ["vulnerability"] });
    expect(pass.fixed).toBe(1);
    const fixed = (await tickets()).find((r) => r.finding_key === "vuln:a2:CVE-2023-4966");
    expect(fixed).toMatchObject({ status: "fixed" });
    expect(fixed?.fixed_at).not.toBeNull();

    const back = await recordFindings(
      database.db,
      [finding({ findingKey: "vuln:a2:CVE-2023-4966" })],
      new Date("2026-03-04T08:00:00Z"),
    );
    expect(back.reopened).toBe(1);
    const reopened = (await tickets()).find((r) => r.finding_key === "vuln:a2:CVE-2023-4966");
    expect(reopened).toMatchObject({ status: "reopened", fixed_at: null, notified_urgency: null });
    expect((await historyOf(reopened?.id ?? "")).map((h) => h.to_status)).toEqual([
      "new",
      "fixed",
      "reopened",
    ]);
  });

  it("leaves tickets outside the scope alone", async () => {
    await recordFindings(database.db, [finding(), finding({ structureId: otherStructureId })], day1);
    const result = await recordFindings(database.db, [], day2, {
      kinds: ["vulnerability"],
      structureIds: [otherStructureId],
    });
    expect(result.fixed).toBe(1);
    const statuses = (await tickets()).map((r) => [r.structure_id === structureId, r.status]);
    expect(statuses).toContainEqual([true, "new"]);
    expect(statuses).toContainEqual([false, "fixed"]);
    const none = await recordFindings(database.db, [], day2, { kinds: ["leaked_credential"] });
    expect(none.fixed).toBe(0);
  });

  it("keeps a false positive until its expiry, then reopens it when seen again", async () => {
    await recordFindings(database.db, [finding()], day1);
    await sql`update watch_tickets set status = 'false_positive', false_positive_until = '2026-03-02', false_positive_reason = 'Boîtier de test'`.execute(
      database.db,
    );
    const sameDay = await recordFindings(database.db, [finding()], day1, { kinds: ["vulnerability"] });
    expect(sameDay).toMatchObject({ seen: 1, reopened: 0, fixed: 0 });
    expect((await tickets())[0]?.status).toBe("false_positive");

    const afterExpiry = await recordFindings(database.db, [finding()], day2);
    expect(afterExpiry.reopened).toBe(1);
    expect((await tickets())[0]).toMatchObject({
      status: "reopened",
      false_positive_until: null,
      false_positive_reason: null,
    });
  });
});
