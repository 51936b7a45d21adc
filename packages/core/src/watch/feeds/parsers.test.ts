import { describe, expect, it } from "vitest";
import { arrayElementLines, cveIdsIn, isoTimestamp } from "./common.ts";
import { advisoryKindOf } from "./parse-certfr.ts";
import { parseKev } from "./parse-kev.ts";

describe("feed helpers", () => {
  it("finds the line of each element of an array, strings with brackets included", () => {
    const text =
      '{\n "title": "a [b] {c}",\n "vulnerabilities": [\n  {"x": "]"},\n  {"y": [1, 2]},\n  3\n ],\n "other": [{}]\n}';
    expect(arrayElementLines(text, "vulnerabilities")).toEqual([4, 5, 6]);
    expect(arrayElementLines('[\n{"a":1},\n\n{"b":"\\""}\n]', null)).toEqual([2, 4]);
  });

  it("reads NVD and CERT-FR dates as UTC, refuses impossible ones", () => {
    expect(isoTimestamp("2023-10-10T14:15:10.977")?.toISOString()).toBe("2023-10-10T14:15:10.977Z");
    expect(isoTimestamp("2024-01-11T00:00:00.000000")?.toISOString()).toBe("2024-01-11T00:00:00.000Z");
    expect(isoTimestamp("2024-01-11T10:00:00+02:00")?.toISOString()).toBe("2024-01-11T08:00:00.000Z");
    expect(isoTimestamp("2024-02-30T00:00:00")).toBeNull();
    expect(isoTimestamp("hier")).toBeNull();
  });

  it("extracts CVE ids and advisory kinds", () => {
    expect(cveIdsIn("CVE-2023-46805 et cve-2024-21887, encore CVE-2023-46805")).toEqual([
      "CVE-2023-46805",
      "CVE-2024-21887",
    ]);
    expect(advisoryKindOf("CERTFR-2024-ALE-001")).toBe("alerte");
    expect(advisoryKindOf("CERTFR-2023-AVI-0459")).toBe("avis");
    expect(advisoryKindOf("CERTFR-2024-ACT-010")).toBe("autre");
  });

  it("KEV: a catalog whose count differs from its entries is incomplete", () => {
    const parsed = parseKev(
      JSON.stringify({ count: 2, vulnerabilities: [{ cveID: "CVE-2024-0001", dateAdded: "2024-01-01" }] }),
    );
    expect(parsed).toMatchObject({ ok: true, complete: false });
  });
});
