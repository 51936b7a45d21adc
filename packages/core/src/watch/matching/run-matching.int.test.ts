import { readFileSync } from "node:fs";
import { assetsRepo, type NewAssetRow } from "@vigie/db";
import { createStructure, createTestDatabase, type TestDatabase } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestFeed } from "../feeds/ingest-feed.ts";
import { normaliseProduct } from "./cpe.ts";
import { NVD_FIXTURE_DIR } from "./nvd-fixtures.ts";
import { runMatching, runScheduledMatching } from "./run-matching.ts";

// runMatching on a real database fed by the real KEV catalog and the real NVD records through
// the feeds' own ingestion: tickets opened, no-change runs that consider nothing, an upgrade that
// fixes a ticket, a KEV ransomware update that raises one.
let database: TestDatabase;
let structureA: string;
let structureB: string;
const ids: Record<string, string> = {};

const KEV_FILE = new URL("known_exploited_vulnerabilities.json", NVD_FIXTURE_DIR);
const T0 = new Date("2026-03-02T08:00:00Z");
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

function assetRow(
  structureId: string,
  fields: Partial<NewAssetRow> & Pick<NewAssetRow, "kind">,
  at: Date,
): NewAssetRow {
  const match = fields.product ? normaliseProduct(fields.vendor, fields.product, fields.cpe) : null;
  return {
    structure_id: structureId,
    source: "manual",
    match_vendor: match?.matchVendor ?? null,
    match_product: match?.matchProduct ?? null,
    created_at: at,
    updated_at: at,
    ...fields,
  };
}

async function ticketsOf(structureId: string) {
  return database.db
    .selectFrom("watch_tickets")
    .select(["id", "asset_id", "kind", "cve_id", "confidence", "status", "urgency", "details", "finding_key"])
    .where("structure_id", "=", structureId)
    .orderBy("finding_key")
    .execute();
}
async function ticket(assetName: string, cveId: string | null) {
  const rows = await database.db
    .selectFrom("watch_tickets")
    .selectAll()
    .where("asset_id", "=", ids[assetName] as string)
    .where((eb) => (cveId ? eb("cve_id", "=", cveId) : eb("cve_id", "is", null)))
    .execute();
  return rows[0];
}

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  await ingestFeed(db, { source: "kev", content: readFileSync(KEV_FILE), origin: "file:kev.json", now: T0 });
  for (const cve of [
    "CVE-2021-26855",
    "CVE-2023-27997",
    "CVE-2023-46805",
    "CVE-2023-4966",
    "CVE-2024-21887",
  ]) {
    const run = await ingestFeed(db, {
      source: "nvd",
      content: readFileSync(new URL(`${cve}.json`, NVD_FIXTURE_DIR)),
      origin: `file:${cve}.json`,
      now: T0,
    });
    expect(run.status).not.toBe("failed");
  }
  structureA = (await createStructure(db)).id;
  structureB = (await createStructure(db)).id;
  const at = minutes(1);
  const rows: [string, NewAssetRow][] = [
    [
      "netscaler",
      assetRow(
        structureA,
        {
          kind: "product",
          host: "192.0.2.10",
          port: 443,
          vendor: "Citrix",
          product: "NetScaler ADC",
          version: "13.1-49.14",
        },
        at,
      ),
    ],
    [
      "fortigateA",
      assetRow(
        structureA,
        {
          kind: "product",
          host: "vpn.ch-a.test",
          port: 10443,
          vendor: "Fortinet",
          product: "FortiGate",
          version: "7.2.5",
        },
        at,
      ),
    ],
    [
      "ivanti",
      assetRow(
        structureA,
        {
          kind: "product",
          host: "192.0.2.11",
          port: 443,
          vendor: "Ivanti",
          product: "Connect Secure",
          version: "22.6R2",
        },
        at,
      ),
    ],
    [
      "exchange",
      assetRow(
        structureA,
        {
          kind: "service",
          host: "mail.ch-a.test",
          port: 443,
          service: "https",
          vendor: "Microsoft",
          product: "Exchange Server 2019 CU8",
        },
        at,
      ),
    ],
    ["rdp", assetRow(structureA, { kind: "service", host: "192.0.2.12", port: 3389, service: "rdp" }, at)],
    ["web", assetRow(structureA, { kind: "service", host: "192.0.2.13", port: 443, service: "https" }, at)],
    [
      "fortigateB",
      assetRow(
        structureB,
        {
          kind: "product",
          host: "198.51.100.4",
          port: 443,
          vendor: "Fortinet",
          product: "FortiOS",
          version: "7.2.4",
        },
        at,
      ),
    ],
    [
      "domain",
      {
        structure_id: structureB,
        kind: "domain",
        domain: "ch-b.test",
        source: "manual",
        created_at: at,
        updated_at: at,
      },
    ],
  ];
  const inserted = await assetsRepo.insertAssets(
    db,
    rows.map(([, row]) => row),
  );
  rows.forEach(([name], i) => {
    ids[name] = inserted[i]?.id as string;
  });
});
afterAll(async () => {
  await database?.destroy();
});

describe("runMatching", () => {
  it("full: opens a ticket per finding, confirmed on versions, with its urgency and French details", async () => {
    const report = await runMatching(database.db, { mode: "full", now: minutes(10) });
    expect(report.mode).toBe("full");
    expect(report.assetsConsidered).toBe(7); // products and services, not the domain
    expect(report.vulnerabilitiesConsidered).toBeGreaterThanOrEqual(1404);
    expect(report.opened).toBe(report.findings);

    const bleed = await ticket("netscaler", "CVE-2023-4966");
    expect(bleed).toMatchObject({
      kind: "vulnerability",
      confidence: "confirmed",
      urgency: "critical",
      status: "new",
    });
    expect(bleed?.details).toMatchObject({
      title:
        "Citrix NetScaler ADC 13.1-49.14 exposé sur 192.0.2.10:443 : CVE-2023-4966 (Citrix Bleed), exploitée activement, y compris par des rançongiciels",
      ip: "192.0.2.10",
      port: 443,
      version: "13.1-49.14",
    });
    expect(await ticket("ivanti", "CVE-2023-46805")).toMatchObject({
      confidence: "confirmed",
      urgency: "high",
    });
    expect(await ticket("ivanti", "CVE-2024-21887")).toMatchObject({
      confidence: "confirmed",
      urgency: "high",
    });
    expect(await ticket("exchange", "CVE-2021-26855")).toMatchObject({
      confidence: "confirmed",
      urgency: "critical",
    });
    expect(await ticket("fortigateB", "CVE-2023-27997")).toMatchObject({
      confidence: "confirmed",
      urgency: "critical",
    });
    // 7.2.5 is fixed for CVE-2023-27997
    expect(await ticket("fortigateA", "CVE-2023-27997")).toBeUndefined();
    expect(await ticket("rdp", null)).toMatchObject({
      kind: "sensitive_service",
      urgency: "high",
      finding_key: `service:${ids.rdp}`,
    });
    expect(await ticket("web", null)).toBeUndefined();

    // the other KEV entries of these products, without NVD records here, are only probable
    const others = (await ticketsOf(structureA)).filter(
      (t) =>
        t.kind === "vulnerability" &&
        !["CVE-2023-4966", "CVE-2023-46805", "CVE-2024-21887", "CVE-2021-26855"].includes(t.cve_id as string),
    );
    expect(others.length).toBeGreaterThan(0);
    expect(new Set(others.map((t) => t.confidence))).toEqual(new Set(["probable"]));
    expect((await ticketsOf(structureB)).filter((t) => t.cve_id === "CVE-2023-27997")).toHaveLength(1);
  });

  it("incremental with nothing changed considers nothing and changes nothing", async () => {
    const before = await ticketsOf(structureA);
    const report = await runMatching(database.db, { mode: "incremental", now: minutes(20) });
    expect(report).toMatchObject({
      mode: "incremental",
      assetsConsidered: 0,
      vulnerabilitiesConsidered: 0,
      findings: 0,
      opened: 0,
      fixed: 0,
    });
    expect(await ticketsOf(structureA)).toEqual(before);
  });

  it("an upgraded asset is re-matched alone and its ticket is fixed", async () => {
    await assetsRepo.updateAsset(database.db, ids.netscaler as string, {
      version: "13.1-49.15",
      updated_at: minutes(25),
    });
    const report = await runMatching(database.db, { mode: "incremental", now: minutes(30) });
    expect(report.assetsConsidered).toBe(1);
    expect(report.vulnerabilitiesConsidered).toBe(0);
    expect(report.fixed).toBe(1);
    expect(report.opened).toBe(0);
    expect(await ticket("netscaler", "CVE-2023-4966")).toMatchObject({ status: "fixed" });
    // the structure's other tickets are untouched
    expect(await ticket("ivanti", "CVE-2023-46805")).toMatchObject({ status: "new" });
    expect(await ticket("rdp", null)).toMatchObject({ status: "new" });
  });

  it("a KEV update (ransomware use now known) re-matches that CVE alone and raises the urgency", async () => {
    const catalog = JSON.parse(readFileSync(KEV_FILE, "utf8")) as {
      vulnerabilities: { cveID: string; knownRansomwareCampaignUse: string }[];
    };
    const entry = catalog.vulnerabilities.find((v) => v.cveID === "CVE-2023-46805");
    if (!entry) throw new Error("CVE-2023-46805 absent du catalogue");
    entry.knownRansomwareCampaignUse = "Known";
    await ingestFeed(database.db, {
      source: "kev",
      content: JSON.stringify(catalog),
      origin: "file:kev-2.json",
      now: minutes(35),
    });
    const report = await runMatching(database.db, { mode: "incremental", now: minutes(40) });
    expect(report.vulnerabilitiesConsidered).toBe(1);
    expect(report.assetsConsidered).toBe(1); // the only Connect Secure asset
    expect(report.raised).toBe(1);
    expect(report.fixed).toBe(0);
    expect(await ticket("ivanti", "CVE-2023-46805")).toMatchObject({ urgency: "critical", status: "new" });
    expect(await ticket("ivanti", "CVE-2024-21887")).toMatchObject({ urgency: "high" });
    const history = await database.db
      .selectFrom("watch_ticket_history")
      .select(["note", "urgency"])
      .where("ticket_id", "=", (await ticket("ivanti", "CVE-2023-46805"))?.id as string)
      .orderBy("at")
      .execute();
    expect(history.at(-1)).toMatchObject({ urgency: "critical" });
  });

  it("a service no longer sensitive is fixed; a full run afterwards finds the same as the incremental ones", async () => {
    await assetsRepo.updateAsset(database.db, ids.rdp as string, {
      service: "https",
      port: 443,
      updated_at: minutes(45),
    });
    const incremental = await runMatching(database.db, { mode: "incremental", now: minutes(50) });
    expect(incremental).toMatchObject({ assetsConsidered: 1, fixed: 1 });
    expect(await ticket("rdp", null)).toMatchObject({ status: "fixed" });

    const full = await runMatching(database.db, { mode: "full", now: minutes(60) });
    expect(full).toMatchObject({ opened: 0, reopened: 0, raised: 0, fixed: 0 });
    expect(full.seen).toBe(full.findings);
  });

  it("stores every run; the schedule runs incrementally while a full run is less than a day old", async () => {
    const runs = await database.db.selectFrom("watch_match_runs").selectAll().orderBy("started_at").execute();
    expect(runs.map((r) => r.mode)).toEqual([
      "full",
      "incremental",
      "incremental",
      "incremental",
      "incremental",
      "full",
    ]);
    expect(runs.every((r) => r.finished_at !== null)).toBe(true);
    expect(runs[2]).toMatchObject({ assets_considered: 1, tickets_fixed: 1 });
    expect(runs[3]).toMatchObject({ vulnerabilities_considered: 1, tickets_raised: 1 });

    expect((await runScheduledMatching(database.db, minutes(75))).mode).toBe("incremental");
    expect((await runScheduledMatching(database.db, minutes(60 + 24 * 60))).mode).toBe("full");
  });
});
