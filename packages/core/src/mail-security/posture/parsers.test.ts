import { describe, expect, it } from "vitest";
import { homoglyph, missingLetter, otherTld, visualSwap } from "../filtering/lookalike.ts";
import { MailGuard } from "../mail-guard.ts";
import { mxMatchesPattern, parseMtaStsPolicy } from "./mta-sts.ts";
import { parseSpf } from "./spf.ts";

describe("SPF parsing", () => {
  it("accepts a valid record and reads qualifiers", () => {
    const parsed = parseSpf("v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 include:_spf.example.fr mx -all");
    expect(parsed.problems).toEqual([]);
    expect(parsed.terms.at(-1)).toMatchObject({ name: "all", qualifier: "-" });
  });

  it("names each syntax problem in French", () => {
    const parsed = parseSpf("v=spf1 ip4:300.1.1.1 include foo:bar all:x redirect=a redirect=b");
    expect(parsed.problems).toEqual([
      "adresse ou plage invalide : « ip4:300.1.1.1 »",
      "« include » demande un domaine : « include »",
      "mécanisme inconnu ou mal formé : « foo:bar »",
      "« all » ne prend pas d'argument : « all:x »",
      "modificateur « redirect » répété",
    ]);
  });
});

describe("MTA-STS", () => {
  it("parses a policy and matches MX patterns on one label", () => {
    const policy = parseMtaStsPolicy(
      "version: STSv1\r\nmode: enforce\r\nmx: *.mail.example.fr\r\nmx: mx1.example.fr\r\nmax_age: 604800\r\n",
    );
    expect(policy).toEqual({
      version: "STSv1",
      mode: "enforce",
      mx: ["*.mail.example.fr", "mx1.example.fr"],
      maxAge: 604800,
    });
    expect(mxMatchesPattern("a.mail.example.fr", "*.mail.example.fr")).toBe(true);
    expect(mxMatchesPattern("a.b.mail.example.fr", "*.mail.example.fr")).toBe(false);
    expect(mxMatchesPattern("MX1.example.fr.", "mx1.example.fr")).toBe(true);
  });
});

describe("look-alike domains", () => {
  it("differ from the domain and keep its look", () => {
    const domain = "chu-montpellier.fr";
    for (const variant of [
      homoglyph(domain).ascii,
      visualSwap(domain),
      missingLetter(domain),
      otherTld(domain),
    ]) {
      expect(variant).not.toBe(domain);
    }
    expect(homoglyph(domain).ascii).toMatch(/^xn--/);
    expect(visualSwap(domain)).toBe("chu-rnontpellier.fr");
    expect(otherTld(domain)).toBe("chu-montpellier.com");
  });
});

describe("the mail guard", () => {
  it("allows public addresses and the perimeter's networks, never other private ones", () => {
    const guard = new MailGuard(["ch.test"], ["10.1.0.0/16"]);
    expect(guard.allowsIp("8.8.8.8")).toBe(true);
    expect(guard.allowsIp("10.1.2.3")).toBe(true);
    expect(guard.allowsIp("10.2.0.1")).toBe(false);
    expect(guard.allowsIp("127.0.0.1")).toBe(false);
    expect(guard.allowsIp("169.254.169.254")).toBe(false);
    expect(() => guard.assertIp("192.168.1.1")).toThrow();
  });
});
