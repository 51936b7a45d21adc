import { describe, expect, it } from "vitest";
import { PerimeterGuard } from "./perimeter-guard.ts";

describe("PerimeterGuard", () => {
  const guard = new PerimeterGuard(["chu-exemple.fr"], ["198.51.100.0/28", "2001:db8:10::/64"]);

  it("allows the names of the perimeter's domains and their subdomains only", () => {
    expect(guard.allowsName("chu-exemple.fr")).toBe(true);
    expect(guard.allowsName("VPN.Chu-Exemple.fr.")).toBe(true);
    expect(guard.allowsName("chu-exemple.fr.attaquant.test")).toBe(false);
    expect(guard.allowsName("autrechu-exemple.fr")).toBe(false);
  });

  it("allows the addresses of the ranges only, IPv4 and IPv6", () => {
    expect(guard.allowsIp("198.51.100.1")).toBe(true);
    expect(guard.allowsIp("198.51.100.15")).toBe(true);
    expect(guard.allowsIp("198.51.100.16")).toBe(false);
    expect(guard.allowsIp("2001:db8:10::25")).toBe(true);
    expect(guard.allowsIp("2001:db8:11::25")).toBe(false);
    expect(guard.allowsIp("::ffff:198.51.100.2")).toBe(true);
  });

  it("refuses what is not a literal address, even when ipaddr.js would read it as one", () => {
    // `net.connect` would resolve these as host names: never let them through
    for (const odd of [
      "198.51.100",
      "0xc6.51.100.1",
      "3325256705",
      "0306.063.0144.01",
      "chu-exemple.fr",
      "",
    ]) {
      expect(guard.allowsIp(odd)).toBe(false);
    }
    expect(() => guard.assertIp("203.0.113.5")).toThrow(/hors du périmètre/);
    expect(() => guard.assertIp("198.51.100.3")).not.toThrow();
  });
});
