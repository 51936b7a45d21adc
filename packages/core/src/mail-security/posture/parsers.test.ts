import { describe, expect, it } from "vitest";
import { imapSettingsOf } from "../filtering/imap-check.ts";
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
  it("allows public unicast addresses only, whatever private networks it is given", () => {
    const guard = new MailGuard(["ch.test"], ["10.0.0.0/8", "0.0.0.0/0", "::/0"]);
    expect(guard.allowsIp("8.8.8.8")).toBe(true);
    expect(guard.allowsIp("2a00:1450:4007:80c::200e")).toBe(true);
    expect(guard.allowsIp("10.1.2.3")).toBe(false);
    expect(guard.allowsIp("127.0.0.1")).toBe(false);
    expect(guard.allowsIp("169.254.169.254")).toBe(false);
    expect(guard.allowsIp("::ffff:10.0.0.1")).toBe(false);
    // IPv4-compatible (::/96), public or not
    expect(guard.allowsIp("::a00:1")).toBe(false);
    expect(guard.allowsIp("::808:808")).toBe(false);
    expect(guard.allowsIp("0x0a.0.0.1")).toBe(false);
    expect(() => guard.assertIp("192.168.1.1")).toThrow();
  });

  it("allows the given non-public networks with the test-only option, never others", () => {
    const guard = new MailGuard(["ch.test"], ["127.0.0.0/8"], { allowNonPublic: true });
    expect(guard.allowsIp("127.0.0.1")).toBe(true);
    expect(guard.allowsIp("10.1.2.3")).toBe(false);
    expect(guard.allowsIp("::7f00:1")).toBe(false);
    expect(guard.allowsIp("8.8.8.8")).toBe(true);
  });
});

describe("the IMAP client options", () => {
  const base = {
    ip: "192.0.2.10",
    host: "imap.ch.test",
    port: 143,
    user: "u@ch.test",
    password: "secret",
    tag: "VIGIE-00000000",
    tokens: [],
    timeoutMs: 1000,
  };

  it("requires STARTTLS without implicit TLS, so the password never travels in clear", () => {
    expect(imapSettingsOf({ ...base, secure: false })).toMatchObject({ secure: false, doSTARTTLS: true });
  });

  it("does not ask for STARTTLS over implicit TLS (imapflow refuses both)", () => {
    const settings = imapSettingsOf({ ...base, port: 993, secure: true });
    expect(settings.secure).toBe(true);
    expect(settings.doSTARTTLS).toBeUndefined();
  });
});
