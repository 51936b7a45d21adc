import { describe, expect, it } from "vitest";
import { formatMinutes, parisInputToIso, toParisInput } from "./time.ts";

describe("Paris time of the deadlines", () => {
  it("reads a datetime-local value as Paris time, winter and summer", () => {
    expect(parisInputToIso("2026-01-15T10:00")).toBe("2026-01-15T09:00:00.000Z");
    expect(parisInputToIso("2026-07-15T10:00")).toBe("2026-07-15T08:00:00.000Z");
    // Around the change of time (29 March 2026, 02:00 → 03:00).
    expect(parisInputToIso("2026-03-29T01:30")).toBe("2026-03-29T00:30:00.000Z");
    expect(parisInputToIso("2026-03-29T04:00")).toBe("2026-03-29T02:00:00.000Z");
  });

  it("tells an empty value from an unreadable one", () => {
    expect(parisInputToIso("")).toBeNull();
    expect(parisInputToIso("  ")).toBeNull();
    expect(parisInputToIso("demain")).toBeUndefined();
  });

  it("shows an instant as Paris wall-clock time, and back", () => {
    expect(toParisInput("2026-07-15T08:00:00.000Z")).toBe("2026-07-15T10:00");
    expect(toParisInput("2026-12-31T23:30:00+00:00")).toBe("2027-01-01T00:30");
    expect(toParisInput(null)).toBe("");
    const iso = "2026-11-28T16:45:00.000Z";
    expect(parisInputToIso(toParisInput(iso))).toBe(iso);
  });

  it("words durations", () => {
    expect(formatMinutes(null)).toBe("—");
    expect(formatMinutes(45)).toBe("45 min");
    expect(formatMinutes(135)).toBe("2 h 15 min");
    expect(formatMinutes(60 * 24 * 3 + 120)).toBe("3 j 2 h");
  });
});
