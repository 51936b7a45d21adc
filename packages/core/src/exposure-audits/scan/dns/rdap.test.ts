import { describe, expect, it } from "vitest";
import { formatRecordData } from "./lookup.ts";
import { daysUntil, expirySeverity } from "./rdap.ts";

const now = new Date("2026-03-02T09:00:00Z");
const inDays = (days: number) => new Date(now.getTime() + days * 86_400_000);

describe("expirySeverity", () => {
  it("grades the time left before the domain expires", () => {
    expect(expirySeverity(inDays(-1), now)).toBe("critical");
    expect(expirySeverity(now, now)).toBe("critical");
    expect(expirySeverity(inDays(0.5), now)).toBe("high");
    expect(expirySeverity(inDays(29.9), now)).toBe("high");
    expect(expirySeverity(inDays(30), now)).toBe("medium");
    expect(expirySeverity(inDays(59.9), now)).toBe("medium");
    expect(expirySeverity(inDays(60), now)).toBeNull();
    expect(expirySeverity(inDays(365), now)).toBeNull();
  });

  it("counts whole days left", () => {
    expect(daysUntil(inDays(10), now)).toBe(10);
    expect(daysUntil(inDays(10.9), now)).toBe(10);
    expect(daysUntil(inDays(-3), now)).toBe(-3);
  });
});

describe("formatRecordData", () => {
  it("writes records as a zone file shows them", () => {
    expect(
      formatRecordData({ type: "MX", name: "a.test", data: { preference: 10, exchange: "MX.A.test." } }),
    ).toBe("10 mx.a.test");
    expect(
      formatRecordData({ type: "TXT", name: "a.test", data: [Buffer.from("v=spf1 "), Buffer.from("-all")] }),
    ).toBe("v=spf1 -all");
    expect(
      formatRecordData({
        type: "CAA",
        name: "a.test",
        data: { flags: 0, tag: "issue", value: "letsencrypt.org" },
      }),
    ).toBe('0 issue "letsencrypt.org"');
    expect(formatRecordData({ type: "CNAME", name: "a.test", data: "Web.A.test." })).toBe("web.a.test");
  });
});
