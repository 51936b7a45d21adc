import { createStructure, createTestDatabase, type TestDatabase } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ASSETS, seedDemoAssets } from "./demo-assets.ts";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  for (const finess of Object.keys(DEMO_ASSETS)) await createStructure(database.db, { finessEt: finess });
});
afterAll(async () => {
  await database?.destroy();
});

describe("seedDemoAssets", () => {
  it("adds the demo exposures once, through the checked use case, with their matching names", async () => {
    const expected = Object.values(DEMO_ASSETS).reduce((n, list) => n + list.length, 0);
    expect(await seedDemoAssets(database.db, new Date())).toBe(expected);
    expect(await seedDemoAssets(database.db, new Date())).toBe(0);

    const products = await database.db
      .selectFrom("assets")
      .select(["product", "version", "match_vendor", "match_product"])
      .where("kind", "=", "product")
      .orderBy("match_vendor")
      .execute();
    expect(products).toEqual([
      {
        product: "NetScaler ADC",
        version: "13.1-49.14",
        match_vendor: "citrix",
        match_product: "netscaler_application_delivery_controller",
      },
      { product: "FortiGate", version: "7.2.4", match_vendor: "fortinet", match_product: "fortios" },
      {
        product: "Connect Secure",
        version: "22.6R2",
        match_vendor: "ivanti",
        match_product: "connect_secure",
      },
      {
        product: "Exchange Server",
        version: "2019 CU8",
        match_vendor: "microsoft",
        match_product: "exchange_server",
      },
    ]);
    const services = await database.db
      .selectFrom("assets")
      .select(["service", "port"])
      .where("kind", "=", "service")
      .execute();
    expect(services.map((s) => `${s.service}:${s.port}`).sort()).toEqual(["dicom:104", "rdp:3389"]);
    // Documentation ranges only (RFC 5737, RFC 3849).
    const networks = await database.db
      .selectFrom("assets")
      .select("network")
      .where("network", "is not", null)
      .execute();
    for (const { network } of networks) {
      expect(network).toMatch(/^(192\.0\.2\.|198\.51\.100\.|203\.0\.113\.|2001:db8:)/);
    }
  });
});
