import { describe, expect, it } from "vitest";
import { normaliseProduct } from "./cpe.ts";
import {
  buildMatchIndex,
  frenchAction,
  type MatchAsset,
  type MatchVulnerability,
  matchAsset,
  sensitiveServiceFinding,
} from "./match.ts";
import { fixtureVulnerability, readNvdFixture } from "./nvd-fixtures.ts";

/** The real KEV entries of the records (known_exploited_vulnerabilities.json, 2025-08-25). */
const KEV: Record<string, Partial<MatchVulnerability>> = {
  "CVE-2023-4966": {
    inKev: true,
    kevRansomware: true,
    kevVendor: "Citrix",
    kevProduct: "NetScaler ADC and NetScaler Gateway",
    kevAction:
      "Apply mitigations and kill all active and persistent sessions per vendor instructions [https://www.netscaler.com/blog/news/cve-2023-4966-critical-security-update-now-available-for-netscaler-adc-and-netscaler-gateway/] OR discontinue use of the product if mitigations are unavailable.",
  },
  "CVE-2023-27997": {
    inKev: true,
    kevRansomware: true,
    kevVendor: "Fortinet",
    kevProduct: "FortiOS and FortiProxy SSL-VPN",
    kevAction: "Apply updates per vendor instructions.",
  },
  "CVE-2023-46805": {
    inKev: true,
    kevVendor: "Ivanti",
    kevProduct: "Connect Secure and Policy Secure",
    kevAction:
      "Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.",
  },
  "CVE-2024-21887": {
    inKev: true,
    kevVendor: "Ivanti",
    kevProduct: "Connect Secure and Policy Secure",
    kevAction:
      "Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.",
  },
  "CVE-2021-26855": {
    inKev: true,
    kevRansomware: true,
    kevVendor: "Microsoft",
    kevProduct: "Exchange Server",
    kevAction: "Apply updates per vendor instructions.",
  },
};

function realIndex(cves: string[] = Object.keys(KEV)) {
  return buildMatchIndex(
    cves.map((cve) => fixtureVulnerability(cve, KEV[cve])),
    cves.flatMap((cve) => readNvdFixture(cve).criteria),
  );
}

let counter = 0;
function asset(
  vendor: string | null,
  product: string,
  version: string | null,
  extra: Partial<MatchAsset> = {},
): MatchAsset {
  counter++;
  const normalised = normaliseProduct(vendor, product, extra.cpe);
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`,
    structureId: "11111111-1111-4111-8111-111111111111",
    kind: "product",
    host: "192.0.2.10",
    port: 443,
    service: null,
    vendor,
    product,
    version,
    matchVendor: normalised?.matchVendor ?? null,
    matchProduct: normalised?.matchProduct ?? null,
    ...extra,
  };
}

/** CVE → confidence of the asset's vulnerability findings. */
function verdicts(a: MatchAsset, index = realIndex()): Record<string, string> {
  return Object.fromEntries(
    matchAsset(a, index)
      .filter((f) => f.kind === "vulnerability")
      .map((f) => [f.cveId, f.confidence]),
  );
}

describe("Citrix Bleed, CVE-2023-4966 (real NVD record)", () => {
  it("confirms 13.1-49.14 and clears 13.1-49.15", () => {
    expect(verdicts(asset("Citrix", "NetScaler ADC", "13.1-49.14"))).toEqual({
      "CVE-2023-4966": "confirmed",
    });
    expect(verdicts(asset("Citrix", "NetScaler ADC", "13.1-49.15"))).toEqual({});
    expect(verdicts(asset("Citrix", "NetScaler ADC", "13.1-50.1"))).toEqual({});
    expect(verdicts(asset("Citrix", "NetScaler Gateway", "14.1-8.6"))).toEqual({
      "CVE-2023-4966": "confirmed",
    });
    expect(verdicts(asset("Citrix", "NetScaler Gateway", "14.1-8.50"))).toEqual({});
    expect(verdicts(asset(null, "Citrix NetScaler ADC", "NS13.0: Build 92.18.nc"))).toEqual({
      "CVE-2023-4966": "confirmed",
    });
  });

  it("is probable without a version, or for a FIPS-only range on an asset not known to be FIPS", () => {
    expect(verdicts(asset("Citrix", "NetScaler ADC", null))).toEqual({ "CVE-2023-4966": "probable" });
    expect(verdicts(asset("Citrix", "NetScaler ADC", "12.1-55.299"))).toEqual({
      "CVE-2023-4966": "probable",
    });
    const fips = asset("Citrix", "NetScaler ADC", "12.1-55.299", {
      cpe: "cpe:2.3:a:citrix:netscaler_application_delivery_controller:12.1-55.299:*:*:*:fips:*:*:*",
    });
    expect(verdicts(fips)).toEqual({ "CVE-2023-4966": "confirmed" });
  });

  it("says it in French, naming host, version, CVE, exploitation and the action", () => {
    const [finding] = matchAsset(asset("Citrix", "NetScaler ADC", "13.1-49.14", { port: null }), realIndex());
    expect(finding?.urgency).toBe("critical");
    expect(finding?.details.title).toBe(
      "Citrix NetScaler ADC 13.1-49.14 exposé sur 192.0.2.10 : CVE-2023-4966 (Citrix Bleed), exploitée activement, y compris par des rançongiciels",
    );
    expect(finding?.details.ip).toBe("192.0.2.10");
    expect(finding?.details.action).toMatch(
      /^Appliquer le correctif ou les mesures d'atténuation de l'éditeur, puis fermer toutes les sessions actives et persistantes/,
    );
    expect(finding?.details.action).toContain(
      "Référence (CISA KEV) : « Apply mitigations and kill all active",
    );
    expect(finding?.findingKey).toMatch(/^vuln:.+:CVE-2023-4966$/);
  });
});

describe("FortiOS SSL-VPN, CVE-2023-27997 (real NVD record)", () => {
  it("confirms 7.2.4 and clears 7.2.5", () => {
    expect(verdicts(asset("Fortinet", "FortiGate", "7.2.4"))).toEqual({ "CVE-2023-27997": "confirmed" });
    expect(verdicts(asset("Fortinet", "FortiGate", "7.2.5"))).toEqual({});
    expect(verdicts(asset("Fortinet", "FortiOS", "v7.0.11,build0489 (GA)"))).toEqual({
      "CVE-2023-27997": "confirmed",
    });
    expect(verdicts(asset("Fortinet", "FortiOS", "7.0.12"))).toEqual({});
    expect(verdicts(asset("Fortinet", "FortiOS", "6.4.12"))).toEqual({ "CVE-2023-27997": "confirmed" });
    expect(verdicts(asset("Fortinet", "FortiOS", "7.4.0"))).toEqual({});
  });

  it("is probable when the patch level is not given", () => {
    expect(verdicts(asset("Fortinet", "FortiGate", "7.2"))).toEqual({ "CVE-2023-27997": "probable" });
    expect(verdicts(asset("Fortinet", "FortiGate", "7.4"))).toEqual({});
  });
});

describe("Ivanti Connect Secure, CVE-2023-46805 and CVE-2024-21887 (real NVD records)", () => {
  const both = { "CVE-2023-46805": "confirmed", "CVE-2024-21887": "confirmed" };

  it("confirms the exact versions NVD lists as version + update", () => {
    expect(verdicts(asset("Ivanti", "Connect Secure", "22.6R2"))).toEqual(both);
    expect(verdicts(asset("Ivanti", "Connect Secure", "22.4R2.1"))).toEqual(both);
    expect(verdicts(asset("Ivanti", "Ivanti Connect Secure", "9.1R18"))).toEqual(both);
    expect(verdicts(asset("Pulse Secure", "Pulse Connect Secure", "9.1r11.4"))).toEqual(both);
    // 22.6 with update "-", and 9.0 with update "*" (every 9.0 release)
    expect(verdicts(asset("Ivanti", "Connect Secure", "22.6"))).toEqual(both);
    expect(verdicts(asset("Ivanti", "Connect Secure", "9.0R3"))).toEqual(both);
    expect(verdicts(asset("Ivanti", "Policy Secure", "22.5R1"))).toEqual(both);
  });

  it("clears versions NVD does not list: the fixed patches and later releases", () => {
    expect(verdicts(asset("Ivanti", "Connect Secure", "22.6R2.2"))).toEqual({});
    expect(verdicts(asset("Ivanti", "Connect Secure", "22.6R2.1"))).toEqual({});
    expect(verdicts(asset("Ivanti", "Connect Secure", "22.7R1"))).toEqual({});
    expect(verdicts(asset("Ivanti", "Connect Secure", "9.1R18.3"))).toEqual({});
    // Connect Secure 22.5R1 is not listed (Policy Secure 22.5R1 is)
    expect(verdicts(asset("Ivanti", "Connect Secure", "22.5R1"))).toEqual({});
  });

  it("is probable without a readable version, high urgency (KEV, no ransomware use known)", () => {
    expect(verdicts(asset("Ivanti", "Connect Secure", null))).toEqual({
      "CVE-2023-46805": "probable",
      "CVE-2024-21887": "probable",
    });
    const findings = matchAsset(asset("Ivanti", "Connect Secure", "22.6R2"), realIndex());
    expect(findings.map((f) => f.urgency)).toEqual(["high", "high"]);
    expect(findings[0]?.details.action).toMatch(/à défaut, cesser d'exposer le produit/);
  });
});

describe("Exchange ProxyLogon, CVE-2021-26855 (real NVD record)", () => {
  it("confirms cumulative updates NVD lists, given by name or by build", () => {
    expect(verdicts(asset("Microsoft", "Exchange Server 2019 CU8", null))).toEqual({
      "CVE-2021-26855": "confirmed",
    });
    expect(verdicts(asset("Microsoft", "Exchange Server", "2019 CU8"))).toEqual({
      "CVE-2021-26855": "confirmed",
    });
    expect(verdicts(asset("Microsoft", "Exchange Server", "15.2.792.3"))).toEqual({
      "CVE-2021-26855": "confirmed",
    });
    expect(verdicts(asset("Microsoft", "Exchange Server", "15.1.2176.2"))).toEqual({
      "CVE-2021-26855": "confirmed",
    });
    expect(verdicts(asset("Microsoft", "Exchange Server", "15.0.1497.2"))).toEqual({
      "CVE-2021-26855": "confirmed",
    });
    expect(verdicts(asset("Microsoft", "Exchange Server", "2019 RTM"))).toEqual({
      "CVE-2021-26855": "confirmed",
    });
  });

  it("clears the CUs released with the fix", () => {
    expect(verdicts(asset("Microsoft", "Exchange Server", "15.2.858.5"))).toEqual({});
    expect(verdicts(asset("Microsoft", "Exchange Server", "2016 CU20"))).toEqual({});
    expect(verdicts(asset("Microsoft", "Exchange Server", "15.1.2507.16"))).toEqual({});
  });

  it("is probable for a CU build with security updates, or a line without its CU", () => {
    // CU8 + the March 2021 security update: NVD's CU-level names cannot tell
    expect(verdicts(asset("Microsoft", "Exchange Server", "15.2.792.10"))).toEqual({
      "CVE-2021-26855": "probable",
    });
    expect(verdicts(asset("Microsoft", "Exchange Server 2019", null))).toEqual({
      "CVE-2021-26855": "probable",
    });
    const [finding] = matchAsset(asset("Microsoft", "Exchange Server", "15.2.792.10"), realIndex());
    expect(finding?.details.title).toContain("CVE-2021-26855 (ProxyLogon)");
    expect(finding?.details.title).toMatch(/\(version à vérifier\)$/);
  });
});

describe("KEV entries without NVD criteria, urgency and sensitive services", () => {
  it("matches on the KEV product names as probable", () => {
    const index = buildMatchIndex(
      [fixtureVulnerability("CVE-2023-4966", KEV["CVE-2023-4966"])],
      [], // the NVD record not ingested yet
    );
    expect(verdicts(asset("Citrix", "NetScaler Gateway", "13.1-49.15"), index)).toEqual({
      "CVE-2023-4966": "probable",
    });
    expect(verdicts(asset("Citrix", "NetScaler ADC", null), index)).toEqual({ "CVE-2023-4966": "probable" });
    expect(verdicts(asset("Citrix", "XenApp", "7.15"), index)).toEqual({});
    expect(verdicts(asset("Fortinet", "FortiGate", "7.2.4"), index)).toEqual({});
    const ivanti = buildMatchIndex([fixtureVulnerability("CVE-2023-46805", KEV["CVE-2023-46805"])], []);
    expect(verdicts(asset("Pulse Secure", "Pulse Connect Secure", "9.1R18"), ivanti)).toEqual({
      "CVE-2023-46805": "probable",
    });
    expect(verdicts(asset(null, "Ivanti Connect Secure", null), ivanti)).toEqual({
      "CVE-2023-46805": "probable",
    });
  });

  it("ranks urgency: critical with ransomware use, high in KEV, normal otherwise", () => {
    const cve = "CVE-2023-27997";
    const criteria = readNvdFixture(cve).criteria;
    const urgencyWith = (kev: Partial<MatchVulnerability>) =>
      matchAsset(
        asset("Fortinet", "FortiGate", "7.2.4"),
        buildMatchIndex([fixtureVulnerability(cve, kev)], criteria),
      )[0]?.urgency;
    expect(urgencyWith({})).toBe("normal");
    expect(urgencyWith({ inKev: true })).toBe("high");
    expect(urgencyWith({ inKev: true, kevRansomware: true })).toBe("critical");
  });

  it("raises exposed sensitive services, high for remote access, file sharing, imaging and databases", () => {
    const service = (name: string, port: number) =>
      sensitiveServiceFinding(
        asset(null, "x", null, {
          kind: "service",
          service: name,
          port,
          host: "pacs.chu-exemple.fr",
          product: null,
        }),
      );
    const rdp = service("rdp", 3389);
    expect(rdp?.urgency).toBe("high");
    expect(rdp?.kind).toBe("sensitive_service");
    expect(rdp?.findingKey).toMatch(/^service:/);
    expect(rdp?.details.title).toBe("Bureau à distance (RDP) exposé sur Internet : pacs.chu-exemple.fr:3389");
    expect(rdp?.details.domain).toBe("pacs.chu-exemple.fr");
    for (const high of ["smb", "telnet", "dicom", "mssql", "mysql", "postgresql", "oracle", "mongodb"]) {
      expect(service(high, 1)?.urgency, high).toBe("high");
    }
    expect(service("ftp", 21)?.urgency).toBe("normal");
    expect(service("snmp", 161)?.urgency).toBe("normal");
    expect(service("https", 443)).toBeNull();
    // a product asset is not a service finding
    expect(sensitiveServiceFinding(asset("Microsoft", "Exchange Server", "2019 CU8"))).toBeNull();
  });

  it("translates KEV's required actions into a French action", () => {
    expect(frenchAction(null)).toBe(
      "Appliquer le correctif de l'éditeur (mettre à jour vers une version corrigée).",
    );
    expect(frenchAction("Apply updates per vendor instructions.")).toBe(
      "Appliquer le correctif de l'éditeur (mettre à jour vers une version corrigée). Référence (CISA KEV) : « Apply updates per vendor instructions. »",
    );
  });
});
