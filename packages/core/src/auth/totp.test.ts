import { TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { generateTotpSecret, matchTotpCode, totpQrCodeSvg, totpStepAt, totpUri } from "./totp.ts";

function codeAt(secret: string, at: Date): string {
  return new TOTP({ secret, digits: 6, period: 30, algorithm: "SHA1" }).generate({ timestamp: at.getTime() });
}

describe("TOTP helpers", () => {
  const secret = generateTotpSecret();
  const now = new Date("2026-03-10T09:00:15Z");

  it("generates 160-bit base32 secrets, different each time", () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(generateTotpSecret()).not.toBe(secret);
  });

  it("builds the otpauth URI with the Vigie issuer and standard parameters", () => {
    const uri = new URL(totpUri(secret, "camille@chu.test"));
    expect(uri.protocol).toBe("otpauth:");
    expect(decodeURIComponent(uri.pathname)).toContain("Vigie:camille@chu.test");
    expect(uri.searchParams.get("issuer")).toBe("Vigie");
    expect(uri.searchParams.get("secret")).toBe(secret);
    expect(uri.searchParams.get("algorithm")).toBe("SHA1");
    expect(uri.searchParams.get("digits")).toBe("6");
    expect(uri.searchParams.get("period")).toBe("30");
  });

  it("accepts the current code and returns its step", () => {
    expect(matchTotpCode(secret, codeAt(secret, now), now, null)).toBe(totpStepAt(now));
  });

  it("accepts the previous and next step, not two steps away", () => {
    const previous = new Date(now.getTime() - 30_000);
    const next = new Date(now.getTime() + 30_000);
    expect(matchTotpCode(secret, codeAt(secret, previous), now, null)).toBe(totpStepAt(now) - 1);
    expect(matchTotpCode(secret, codeAt(secret, next), now, null)).toBe(totpStepAt(now) + 1);
    const old = new Date(now.getTime() - 90_000);
    expect(matchTotpCode(secret, codeAt(secret, old), now, null)).toBeNull();
  });

  it("refuses a code whose step was already used (replay) or an older one", () => {
    const step = totpStepAt(now);
    expect(matchTotpCode(secret, codeAt(secret, now), now, step)).toBeNull();
    const previous = new Date(now.getTime() - 30_000);
    expect(matchTotpCode(secret, codeAt(secret, previous), now, step)).toBeNull();
    const next = new Date(now.getTime() + 30_000);
    expect(matchTotpCode(secret, codeAt(secret, next), now, step)).toBe(step + 1);
  });

  it("refuses malformed codes and another secret's code", () => {
    expect(matchTotpCode(secret, "12345", now, null)).toBeNull();
    expect(matchTotpCode(secret, "abcdef", now, null)).toBeNull();
    const other = generateTotpSecret();
    const code = codeAt(other, now);
    // Astronomically unlikely collision aside, another secret's code does not match.
    if (code !== codeAt(secret, now)) expect(matchTotpCode(secret, code, now, null)).toBeNull();
  });

  it("renders the QR code as SVG", async () => {
    const svg = await totpQrCodeSvg(totpUri(secret, "a@b.test"));
    expect(svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });
});
