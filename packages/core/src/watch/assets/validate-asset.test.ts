import { AssetInput, assetCsvTemplate } from "@vigie/contracts";
import { describe, expect, it } from "vitest";
import { parseAssetCsv } from "./import-assets.ts";
import {
  assetIdentity,
  displayNetwork,
  normaliseCpe,
  normaliseDomain,
  normaliseNetwork,
  validateAsset,
} from "./validate-asset.ts";

const check = (input: Record<string, unknown>) => validateAsset(AssetInput.parse(input));

describe("normaliseDomain", () => {
  it("lower-cases, drops the trailing dot and writes IDN in punycode", () => {
    expect(normaliseDomain("  CH-Exemple.FR. ")).toEqual({ ok: true, value: "ch-exemple.fr" });
    expect(normaliseDomain("chu-hôpital.example")).toEqual({ ok: true, value: "xn--chu-hpital-vbb.example" });
    expect(normaliseDomain("clinique-mère-enfant.test")).toEqual({
      ok: true,
      value: "xn--clinique-mre-enfant-zyb.test",
    });
    expect(normaliseDomain("xn--chu-hpital-vbb.example")).toEqual({
      ok: true,
      value: "xn--chu-hpital-vbb.example",
    });
  });

  it("refuses what is not a host name, in French", () => {
    for (const bad of [
      "localhost",
      "a..b.fr",
      "-chu.fr",
      "chu-.fr",
      "chu_grenoble.fr",
      "*.chu.fr",
      "chu.123",
    ]) {
      const result = normaliseDomain(bad);
      expect(result.ok, bad).toBe(false);
    }
    expect(normaliseDomain("https://www.chu.fr/")).toMatchObject({
      ok: false,
      message: expect.stringContaining("http"),
    });
    expect(normaliseDomain("192.0.2.1")).toMatchObject({
      ok: false,
      message: expect.stringContaining("adresse IP"),
    });
    expect(normaliseDomain(`${"a".repeat(64)}.fr`)).toMatchObject({
      ok: false,
      message: expect.stringContaining("63"),
    });
  });
});

describe("normaliseNetwork", () => {
  it("stores one address as ip, /32 and /128 included", () => {
    expect(normaliseNetwork("192.0.2.7")).toEqual({
      ok: true,
      value: { kind: "ip", network: "192.0.2.7/32" },
    });
    expect(normaliseNetwork("198.51.100.9/32")).toEqual({
      ok: true,
      value: { kind: "ip", network: "198.51.100.9/32" },
    });
    expect(normaliseNetwork("2001:DB8:0:0::10")).toEqual({
      ok: true,
      value: { kind: "ip", network: "2001:db8::10/128" },
    });
    expect(normaliseNetwork("2001:db8::10/128")).toEqual({
      ok: true,
      value: { kind: "ip", network: "2001:db8::10/128" },
    });
    // An IPv4 address written as IPv6 is the IPv4 address.
    expect(normaliseNetwork("::ffff:203.0.113.4")).toEqual({
      ok: true,
      value: { kind: "ip", network: "203.0.113.4/32" },
    });
  });

  it("accepts a range given by its network address, IPv4 and IPv6", () => {
    expect(normaliseNetwork("203.0.113.0/24")).toEqual({
      ok: true,
      value: { kind: "cidr", network: "203.0.113.0/24" },
    });
    expect(normaliseNetwork("2001:db8:1200::/48")).toEqual({
      ok: true,
      value: { kind: "cidr", network: "2001:db8:1200::/48" },
    });
  });

  it("refuses a range not written with its network address, proposing the right one", () => {
    expect(normaliseNetwork("192.0.2.5/24")).toEqual({
      ok: false,
      message: "Une plage s'écrit avec l'adresse de son réseau : vouliez-vous dire 192.0.2.0/24 ?",
    });
    expect(normaliseNetwork("2001:db8:1200::1/48")).toMatchObject({
      ok: false,
      message: expect.stringContaining("2001:db8:1200::/48"),
    });
  });

  it("refuses unspecified, loopback, link-local and multicast addresses, and malformed ones", () => {
    const refusals: Record<string, string> = {
      "0.0.0.0": "non spécifiée",
      "::": "non spécifiée",
      "127.0.0.1": "bouclage",
      "127.0.0.0/8": "bouclage",
      "::1": "bouclage",
      "169.254.10.1": "lien local",
      "fe80::1": "lien local",
      "224.0.0.0/4": "multidiffusion",
      "ff02::1": "multidiffusion",
    };
    for (const [value, why] of Object.entries(refusals)) {
      expect(normaliseNetwork(value), value).toMatchObject({
        ok: false,
        message: expect.stringContaining(why),
      });
    }
    for (const bad of [
      "192.0.2",
      "192.0.2.256",
      "0xc0.0.2.1",
      "192.0.2.0/33",
      "192.0.2.0/abc",
      "2001:db8:::1",
      "chu.fr",
    ]) {
      expect(normaliseNetwork(bad).ok, bad).toBe(false);
    }
    expect(normaliseNetwork("10.0.0.0/4")).toMatchObject({
      ok: false,
      message: expect.stringContaining("trop large"),
    });
  });

  it("shows an address without its /32 or /128", () => {
    expect(displayNetwork("192.0.2.7/32")).toBe("192.0.2.7");
    expect(displayNetwork("2001:db8::10/128")).toBe("2001:db8::10");
    expect(displayNetwork("2001:db8::/32")).toBe("2001:db8::/32");
    expect(displayNetwork("198.51.100.0/24")).toBe("198.51.100.0/24");
  });
});

describe("normaliseCpe", () => {
  it("accepts CPE 2.3 formatted strings, escaped characters included", () => {
    expect(normaliseCpe("cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*").ok).toBe(true);
    expect(normaliseCpe("cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_8:*:*:*:*:*:*").ok).toBe(
      true,
    );
    expect(normaliseCpe("cpe:2.3:a:vendor:pro\\:duct:1.0:*:*:*:*:*:*:*").ok).toBe(true);
  });

  it("refuses anything else with an example", () => {
    for (const bad of [
      "cpe:/a:fortinet:fortios:7.2.4",
      "fortios 7.2.4",
      "cpe:2.3:x:fortinet:fortios",
      "cpe:2.3:a:*:*",
      "cpe:2.3:a:a b:c",
    ]) {
      expect(normaliseCpe(bad), bad).toMatchObject({
        ok: false,
        message: expect.stringContaining("cpe:2.3:"),
      });
    }
  });
});

describe("validateAsset", () => {
  it("names each field in error", () => {
    expect(check({ kind: "domain" })).toEqual({
      ok: false,
      issues: [{ field: "value", message: "Saisissez le nom de domaine." }],
    });
    const product = check({ kind: "product", version: "7.2.4", port: 443, cpe: "pas un cpe" });
    expect(product.ok).toBe(false);
    if (!product.ok) expect(product.issues.map((i) => i.field).sort()).toEqual(["cpe", "host", "product"]);
    const service = check({ kind: "service", service: "telnet" });
    expect(service).toMatchObject({ ok: false, issues: [{ field: "host" }] });
  });

  it("follows what was typed for an address or a range", () => {
    expect(check({ kind: "ip", value: "198.51.100.0/24" })).toMatchObject({
      ok: true,
      asset: { kind: "cidr", network: "198.51.100.0/24" },
    });
    expect(check({ kind: "cidr", value: "198.51.100.7/32" })).toMatchObject({
      ok: true,
      asset: { kind: "ip", network: "198.51.100.7/32" },
    });
  });

  it("reads a product's vendor, name and version from its CPE, and a known service's port", () => {
    expect(check({ kind: "product", cpe: "cpe:2.3:o:fortinet:fortios:7.2.4:*:*:*:*:*:*:*" })).toMatchObject({
      ok: true,
      asset: { vendor: "fortinet", product: "fortios", version: "7.2.4", port: null, transport: null },
    });
    expect(check({ kind: "service", service: "RDP", host: "203.0.113.20" })).toMatchObject({
      ok: true,
      asset: { service: "rdp", port: 3389, transport: "tcp", host: "203.0.113.20" },
    });
    expect(check({ kind: "service", service: "snmp", host: "Gw.CHU.example" })).toMatchObject({
      ok: true,
      asset: { port: 161, transport: "udp", host: "gw.chu.example" },
    });
    expect(check({ kind: "service", service: "pacs-maison", host: "203.0.113.21" })).toMatchObject({
      ok: false,
      issues: [{ field: "port" }],
    });
  });

  it("gives two spellings of the same asset the same identity", () => {
    const a = check({
      kind: "product",
      vendor: "Citrix",
      product: "NetScaler ADC",
      version: "13.1-49.14",
      host: "203.0.113.10",
      port: 443,
    });
    const b = check({
      kind: "product",
      vendor: "citrix",
      product: "netscaler adc",
      version: "13.1-49.14",
      host: "203.0.113.10",
      port: "443",
    });
    if (!a.ok || !b.ok) throw new Error("invalid");
    expect(assetIdentity(a.asset)).toBe(assetIdentity(b.asset));
  });
});

describe("parseAssetCsv", () => {
  it("reads ; or , separated files, with or without a byte-order mark, French type names", () => {
    const semicolon = parseAssetCsv(
      "\uFEFFtype;valeur;éditeur;produit;version;cpe;hôte;port;protocole;service;libellé\r\n" +
        "domaine;CHU-Exemple.test;;;;;;;;;Site\r\n\r\nplage;198.51.100.0/24;;;;;;;;;\r\n",
    );
    expect(semicolon.problems.list).toEqual([]);
    expect(semicolon.lines.map((l) => [l.line, l.asset.kind])).toEqual([
      [2, "domain"],
      [4, "cidr"],
    ]);
    const comma = parseAssetCsv(Buffer.from("type,valeur,hote,port,service\nservice,,203.0.113.5,,rdp\n"));
    expect(comma.problems.list).toEqual([]);
    expect(comma.lines[0]?.asset).toMatchObject({ kind: "service", port: 3389 });
  });

  it("reports each problem with its physical line and column", () => {
    const parsed = parseAssetCsv(
      'type;valeur;port;libelle\nplage;192.0.2.5/24;;\nip;10.0.0.1;;"sur\ndeux lignes"\nbidule;x;;\nservice;;99999;\n',
    );
    expect(parsed.problems.list).toEqual([
      { line: 2, column: "valeur", message: expect.stringContaining("192.0.2.0/24") },
      { line: 5, column: "type", message: expect.stringContaining("bidule") },
      { line: 6, column: "port", message: "Le port est un nombre entier de 1 à 65535." },
    ]);
    expect(parsed.read).toBe(4);
  });

  it("reads the downloadable template without a problem", () => {
    const parsed = parseAssetCsv(assetCsvTemplate);
    expect(parsed.problems.list).toEqual([]);
    expect(parsed.lines.map((l) => l.asset.kind)).toEqual(["domain", "ip", "cidr", "product", "service"]);
  });

  it("refuses an unknown column, a missing type column and a file not in UTF-8", () => {
    expect(parseAssetCsv("type;adresse\n").problems.list).toEqual([
      { line: 1, column: "adresse", message: expect.stringContaining("inconnue") },
    ]);
    expect(parseAssetCsv("valeur\nchu.test\n").problems.list).toEqual([
      { line: 1, column: "type", message: "La colonne « type » est obligatoire." },
    ]);
    expect(parseAssetCsv(Buffer.from([0x74, 0x79, 0x70, 0x65, 0x0a, 0xe9, 0x0a])).problems.list).toEqual([
      { line: 1, column: null, message: expect.stringContaining("UTF-8") },
    ]);
  });
});
