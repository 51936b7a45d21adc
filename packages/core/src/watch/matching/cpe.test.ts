import { describe, expect, it } from "vitest";
import { cpeName, normaliseProduct, parseCpe } from "./cpe.ts";
import { readNvdFixture } from "./nvd-fixtures.ts";

describe("CPE 2.3 formatted strings", () => {
  it("reads every attribute of a real NVD criterion", () => {
    expect(parseCpe("cpe:2.3:a:ivanti:connect_secure:9.1:r18:*:*:*:*:*:*")).toEqual({
      part: "a",
      vendor: "ivanti",
      product: "connect_secure",
      version: "9.1",
      update: "r18",
      edition: "*",
      language: "*",
      swEdition: "*",
      targetSw: "*",
      targetHw: "*",
      other: "*",
    });
    expect(
      parseCpe("cpe:2.3:a:citrix:netscaler_application_delivery_controller:*:*:*:*:fips:*:*:*")?.swEdition,
    ).toBe("fips");
  });

  it("unescapes quoted characters, colons included", () => {
    const cpe = parseCpe("cpe:2.3:a:acme:web\\:server:1\\.0\\-beta:*:*:*:*:*:*:*");
    expect(cpe?.product).toBe("web:server");
    expect(cpe?.version).toBe("1.0-beta");
  });

  it("takes missing trailing attributes as ANY and refuses what is not CPE 2.3", () => {
    expect(parseCpe("cpe:2.3:o:fortinet:fortios:7.2.4")?.update).toBe("*");
    expect(parseCpe("cpe:/a:fortinet:fortios:7.2.4")).toBeNull();
    expect(parseCpe("fortios")).toBeNull();
    expect(parseCpe("cpe:2.3:x:fortinet:fortios:7.2.4")).toBeNull();
    expect(parseCpe("cpe:2.3:a:a:b:c:d:e:f:g:h:i:j:k:l")).toBeNull();
  });

  it("parses every criterion of the real records", () => {
    for (const cve of [
      "CVE-2021-26855",
      "CVE-2023-27997",
      "CVE-2023-46805",
      "CVE-2023-4966",
      "CVE-2024-21887",
    ]) {
      const { criteria } = readNvdFixture(cve);
      expect(criteria.length).toBeGreaterThan(0);
      for (const criterion of criteria) expect(parseCpe(criterion.criteria)).not.toBeNull();
    }
  });
});

describe("normalising an asset's product to NVD's CPE names", () => {
  it("knows the names of the products the CERT warned about", () => {
    const cases: [string | null, string, string, string][] = [
      ["Citrix", "NetScaler ADC", "citrix", "netscaler_application_delivery_controller"],
      [null, "Citrix NetScaler ADC", "citrix", "netscaler_application_delivery_controller"],
      ["Citrix", "NetScaler Gateway", "citrix", "netscaler_gateway"],
      ["Fortinet", "FortiGate", "fortinet", "fortios"],
      [null, "FortiOS", "fortinet", "fortios"],
      ["Ivanti", "Ivanti Connect Secure", "ivanti", "connect_secure"],
      ["Pulse Secure", "Pulse Connect Secure", "ivanti", "connect_secure"],
      ["Ivanti", "Policy Secure", "ivanti", "policy_secure"],
      ["Microsoft", "Exchange Server", "microsoft", "exchange_server"],
      [null, "Microsoft Exchange", "microsoft", "exchange_server"],
      ["Microsoft", "Exchange Server 2019 CU8", "microsoft", "exchange_server"],
    ];
    for (const [vendor, product, matchVendor, matchProduct] of cases) {
      expect(normaliseProduct(vendor, product), `${vendor} ${product}`).toEqual({
        matchVendor,
        matchProduct,
      });
    }
  });

  it("checks the alias table against the real records' CPE names", () => {
    const names = new Set<string>();
    for (const cve of ["CVE-2021-26855", "CVE-2023-27997", "CVE-2023-46805", "CVE-2023-4966"]) {
      for (const c of readNvdFixture(cve).criteria) names.add(`${c.vendor}:${c.product}`);
    }
    for (const [vendor, product] of [
      ["Citrix", "NetScaler ADC"],
      ["Citrix", "NetScaler Gateway"],
      ["Fortinet", "FortiGate"],
      ["Ivanti", "Connect Secure"],
      ["Ivanti", "Policy Secure"],
      ["Microsoft", "Exchange Server"],
    ] as const) {
      const normalised = normaliseProduct(vendor, product);
      expect(names.has(`${normalised?.matchVendor}:${normalised?.matchProduct}`), product).toBe(true);
    }
  });

  it("prefers a given CPE, else lower case with underscores", () => {
    expect(
      normaliseProduct("Whatever", "Something", "cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*"),
    ).toEqual({
      matchVendor: "apache",
      matchProduct: "http_server",
    });
    expect(normaliseProduct("Apache", "HTTP Server")).toEqual({
      matchVendor: "apache",
      matchProduct: "http_server",
    });
    expect(normaliseProduct("Fortinet", "Fortinet FortiWeb")).toEqual({
      matchVendor: "fortinet",
      matchProduct: "fortiweb",
    });
    expect(normaliseProduct(null, "Télé Santé")).toEqual({ matchVendor: "", matchProduct: "tele_sante" });
    expect(normaliseProduct("Acme", null)).toBeNull();
    expect(normaliseProduct("Acme", "  ")).toBeNull();
    expect(cpeName("  NetScaler ADC (VPX) ")).toBe("netscaler_adc_vpx");
  });
});
