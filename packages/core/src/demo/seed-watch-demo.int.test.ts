import { createStructure, createTestDatabase, type TestDatabase } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ASSETS } from "./demo-assets.ts";
import { seedWatchDemo } from "./seed-watch-demo.ts";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  for (const finess of Object.keys(DEMO_ASSETS)) await createStructure(database.db, { finessEt: finess });
});
afterAll(async () => {
  await database?.destroy();
});

describe("seedWatchDemo", () => {
  it("loads the reference feeds and matches the demo assets once: the 2023 vulnerabilities are confirmed", async () => {
    const first = await seedWatchDemo(database.db, new Date("2026-11-28T10:00:00Z"));
    // The KEV catalog and the five NVD records of reference/vulnerabilities/.
    expect(first.feedFilesLoaded).toBe(6);
    expect(first.ticketsOpened).toBeGreaterThan(0);

    const tickets = await database.db
      .selectFrom("watch_tickets as t")
      .leftJoin("assets as a", "a.id", "t.asset_id")
      .select(["t.kind", "t.cve_id", "t.confidence", "t.urgency", "t.status", "a.product", "a.service"])
      .execute();
    expect(tickets).toHaveLength(first.ticketsOpened);
    const confirmed = tickets
      .filter((t) => t.confidence === "confirmed")
      .map((t) => `${t.product} ${t.cve_id}`)
      .sort();
    expect(confirmed).toEqual(
      expect.arrayContaining([
        "Connect Secure CVE-2023-46805",
        "Connect Secure CVE-2024-21887",
        "Exchange Server CVE-2021-26855",
        "FortiGate CVE-2023-27997",
        "NetScaler ADC CVE-2023-4966",
      ]),
    );
    // In KEV: at least "high"; every ticket is new until the notification job runs.
    for (const t of tickets.filter((t) => t.kind === "vulnerability" && t.confidence === "confirmed")) {
      expect(["high", "critical"]).toContain(t.urgency);
    }
    expect(new Set(tickets.map((t) => t.status))).toEqual(new Set(["new"]));
    expect(
      tickets
        .filter((t) => t.kind === "sensitive_service")
        .map((t) => t.service)
        .sort(),
    ).toEqual(["dicom", "rdp"]);

    const again = await seedWatchDemo(database.db, new Date("2026-11-28T11:00:00Z"));
    expect(again).toEqual({ assetsCreated: 0, feedFilesLoaded: 0, ticketsOpened: 0 });
  });
});
