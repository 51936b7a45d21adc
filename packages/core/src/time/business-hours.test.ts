import { describe, expect, it } from "vitest";
import { frenchPublicHolidays, isBusinessHours, isFrenchPublicHoliday } from "./business-hours.ts";
import { parisLocalTime } from "./paris-time.ts";

const at = (iso: string) => new Date(iso);

describe("French public holidays (Code du travail L3133-1)", () => {
  it("are exactly the 11 national days in 2026 and 2027", () => {
    expect([...frenchPublicHolidays(2026)].sort()).toEqual([
      "2026-01-01",
      "2026-04-06", // Easter Monday
      "2026-05-01",
      "2026-05-08",
      "2026-05-14", // Ascension
      "2026-05-25", // Whit Monday
      "2026-07-14",
      "2026-08-15",
      "2026-11-01",
      "2026-11-11",
      "2026-12-25",
    ]);
    expect([...frenchPublicHolidays(2027)].sort()).toEqual([
      "2027-01-01",
      "2027-03-29",
      "2027-05-01",
      "2027-05-06",
      "2027-05-08",
      "2027-05-17",
      "2027-07-14",
      "2027-08-15",
      "2027-11-01",
      "2027-11-11",
      "2027-12-25",
    ]);
  });

  it("count 11 every year, with the 8 fixed days, and never the Alsace-Moselle or overseas days", () => {
    for (let year = 2020; year <= 2040; year++) {
      const days = frenchPublicHolidays(year);
      expect(days.size, String(year)).toBe(11);
      for (const fixed of ["01-01", "05-01", "05-08", "07-14", "08-15", "11-01", "11-11", "12-25"]) {
        expect(days.has(`${year}-${fixed}`), `${year}-${fixed}`).toBe(true);
      }
      expect(days.has(`${year}-12-26`)).toBe(false);
    }
    // Good Friday 2026 (3 April) is a holiday only in Alsace-Moselle.
    expect(isFrenchPublicHoliday(at("2026-04-03T10:00:00+02:00"))).toBe(false);
  });
});

describe("isBusinessHours", () => {
  it("opens at 09:00 and closes at 18:00, Paris time, in winter (UTC+1)", () => {
    expect(isBusinessHours(at("2026-03-27T07:59:00Z"))).toBe(false); // Fri 08:59
    expect(isBusinessHours(at("2026-03-27T08:00:00Z"))).toBe(true); // Fri 09:00
    expect(isBusinessHours(at("2026-03-27T16:59:00Z"))).toBe(true); // Fri 17:59
    expect(isBusinessHours(at("2026-03-27T17:00:00Z"))).toBe(false); // Fri 18:00
  });

  it("follows the switch to summer time (29 March 2026) and back (25 October 2026)", () => {
    // Monday 30 March 2026, UTC+2.
    expect(isBusinessHours(at("2026-03-30T06:59:00Z"))).toBe(false); // 08:59
    expect(isBusinessHours(at("2026-03-30T07:00:00Z"))).toBe(true); // 09:00
    expect(isBusinessHours(at("2026-03-30T15:59:00Z"))).toBe(true); // 17:59
    expect(isBusinessHours(at("2026-03-30T16:00:00Z"))).toBe(false); // 18:00
    // Friday 23 October 2026 still UTC+2, Monday 26 October back to UTC+1.
    expect(isBusinessHours(at("2026-10-23T16:00:00Z"))).toBe(false); // 18:00
    expect(isBusinessHours(at("2026-10-23T07:00:00Z"))).toBe(true); // 09:00
    expect(isBusinessHours(at("2026-10-26T07:30:00Z"))).toBe(false); // 08:30
    expect(isBusinessHours(at("2026-10-26T08:00:00Z"))).toBe(true); // 09:00
    expect(isBusinessHours(at("2026-10-26T16:59:00Z"))).toBe(true); // 17:59
  });

  it("is closed on weekends, day and night", () => {
    expect(isBusinessHours(at("2026-03-28T10:00:00+01:00"))).toBe(false); // Saturday
    expect(isBusinessHours(at("2026-03-29T14:00:00+02:00"))).toBe(false); // Sunday (DST day)
    expect(isBusinessHours(at("2026-03-28T23:30:00+01:00"))).toBe(false); // Saturday night
  });

  it("is closed on public holidays, open the working day after", () => {
    expect(isBusinessHours(at("2026-05-01T10:00:00+02:00"))).toBe(false); // Friday 1 May
    expect(isBusinessHours(at("2026-05-14T10:00:00+02:00"))).toBe(false); // Ascension
    expect(isBusinessHours(at("2026-05-15T10:00:00+02:00"))).toBe(true); // the Friday after
    expect(isBusinessHours(at("2026-05-25T10:00:00+02:00"))).toBe(false); // Whit Monday
    expect(isBusinessHours(at("2026-04-06T10:00:00+02:00"))).toBe(false); // Easter Monday
    expect(isBusinessHours(at("2026-04-03T10:00:00+02:00"))).toBe(true); // Good Friday: working day
    expect(isBusinessHours(at("2025-12-26T10:00:00+01:00"))).toBe(true); // St Stephen: working day
  });

  it("reads the holiday on the Paris date, not the UTC one", () => {
    // 23:30 UTC on 30 April is 01:30 on 1 May in Paris; 22:30 UTC on 14 May is 00:30 on the 15th.
    expect(isFrenchPublicHoliday(at("2026-04-30T23:30:00Z"))).toBe(true);
    expect(isFrenchPublicHoliday(at("2026-05-14T22:30:00Z"))).toBe(false);
    expect(parisLocalTime(at("2026-12-31T23:30:00Z"))).toMatchObject({
      year: 2027,
      month: 1,
      day: 1,
      hour: 0,
    });
  });
});
