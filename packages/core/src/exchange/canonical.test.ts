import { IncidentRecordSchema } from "@vigie/contracts";
import { describe, expect, it } from "vitest";
import { canonicalJson, canonicalRecord, formatRfc3339Paris, recordHash } from "./canonical.ts";
import { searchFold } from "./search-document.ts";

describe("RFC 3339 in Paris local time", () => {
  it("writes the offset of the day, across both daylight-saving changes", () => {
    // Spring forward: 01:59:59.999 CET, then 03:00 CEST.
    expect(formatRfc3339Paris(new Date("2023-03-26T00:59:59.999Z"))).toBe("2023-03-26T01:59:59.999+01:00");
    expect(formatRfc3339Paris(new Date("2023-03-26T01:00:00Z"))).toBe("2023-03-26T03:00:00+02:00");
    // Fall back: 02:59:59 CEST, then 02:00 CET again.
    expect(formatRfc3339Paris(new Date("2023-10-29T00:59:59Z"))).toBe("2023-10-29T02:59:59+02:00");
    expect(formatRfc3339Paris(new Date("2023-10-29T01:00:00Z"))).toBe("2023-10-29T02:00:00+01:00");
    expect(formatRfc3339Paris(new Date("2022-12-31T23:30:00Z"))).toBe("2023-01-01T00:30:00+01:00");
    // What it writes reads back as the same instant.
    for (const iso of ["2023-07-14T09:00:00.5Z", "2024-02-29T23:59:59.001Z", "2023-10-29T00:30:00Z"]) {
      expect(new Date(formatRfc3339Paris(new Date(iso))).toISOString()).toBe(new Date(iso).toISOString());
    }
  });
});

describe("canonical form of a record", () => {
  const base = {
    reference: "CS-2023-000001",
    declared_at: "2023-03-14T10:30:00+01:00",
    structure: { finess_et: "690000123", type: "es_public", region: "84" },
  } as const;

  it("compares instants whatever their offset, and absent the same as null or empty text", () => {
    const a = IncidentRecordSchema.parse(base);
    const b = IncidentRecordSchema.parse({
      ...base,
      declared_at: "2023-03-14T09:30:00.000Z",
      detected_at: null,
      origin: null,
      title: "",
      event_ref: null,
      structure: { ...base.structure, name: "", ose: false },
    });
    expect(canonicalJson(canonicalRecord(b))).toBe(canonicalJson(canonicalRecord(a)));
    expect(recordHash(canonicalRecord(b))).toBe(recordHash(canonicalRecord(a)));
  });

  it("tells apart records that differ in one value or in the order of a list", () => {
    const a = canonicalJson(canonicalRecord(IncidentRecordSchema.parse(base)));
    const other = [
      { ...base, declared_at: "2023-03-14T10:30:00.001+01:00" },
      { ...base, tlp: "green" },
      { ...base, structure: { ...base.structure, oiv: true } },
      { ...base, description: " " },
    ];
    for (const record of other) {
      expect(canonicalJson(canonicalRecord(IncidentRecordSchema.parse(record)))).not.toBe(a);
    }
    const ab = IncidentRecordSchema.parse({ ...base, filings: ["cnil", "complaint"] });
    const ba = IncidentRecordSchema.parse({ ...base, filings: ["complaint", "cnil"] });
    expect(canonicalJson(canonicalRecord(ab))).not.toBe(canonicalJson(canonicalRecord(ba)));
  });
});

describe("search folding (twin of vigie_search_fold)", () => {
  it("folds ligatures, the listed accents and anything else to spaces", () => {
    expect(searchFold("Œuvre Hôpital St-Étienne — CS-2026-000123")).toBe(
      "oeuvre hopital st etienne cs 2026 000123",
    );
    expect(searchFold("Ærø ÿ Ç")).toBe("aer y c");
  });
});
