import { describe, expect, it } from "vitest";
import { easterSunday, isBusinessHours, publicHolidays } from "./hours.ts";

describe("heures ouvrées du CERT", () => {
  it("calcule Pâques", () => {
    expect(easterSunday(2024)).toEqual([3, 31]);
    expect(easterSunday(2025)).toEqual([4, 20]);
    expect(easterSunday(2026)).toEqual([4, 5]);
  });

  it("connaît les jours fériés mobiles", () => {
    const h2025 = publicHolidays(2025);
    expect(h2025.has("4-21")).toBe(true); // lundi de Pâques
    expect(h2025.has("5-29")).toBe(true); // Ascension
    expect(h2025.has("6-9")).toBe(true); // lundi de Pentecôte
    expect(h2025.size).toBe(11);
  });

  it("heure de Paris, du lundi au vendredi de 9 h à 18 h", () => {
    // Tuesday 2 December 2025 (UTC+1 in winter).
    expect(isBusinessHours(new Date("2025-12-02T08:00:00Z"))).toBe(true); // 9:00 Paris
    expect(isBusinessHours(new Date("2025-12-02T07:59:00Z"))).toBe(false); // 8:59
    expect(isBusinessHours(new Date("2025-12-02T16:59:00Z"))).toBe(true); // 17:59
    expect(isBusinessHours(new Date("2025-12-02T17:00:00Z"))).toBe(false); // 18:00
    // Summer time (UTC+2): Wednesday 2 July 2025 at 17:30 Paris is 15:30 UTC.
    expect(isBusinessHours(new Date("2025-07-02T15:30:00Z"))).toBe(true);
    expect(isBusinessHours(new Date("2025-07-02T16:30:00Z"))).toBe(false);
    // Saturday, and a holiday on a weekday (14 July 2025 is a Monday).
    expect(isBusinessHours(new Date("2025-12-06T10:00:00Z"))).toBe(false);
    expect(isBusinessHours(new Date("2025-07-14T10:00:00Z"))).toBe(false);
  });
});
