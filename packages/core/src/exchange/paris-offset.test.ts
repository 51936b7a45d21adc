import { describe, expect, it } from "vitest";
import { isBusinessHours } from "../time/business-hours.ts";
import { isBusinessHoursFast, parisOffsetMinutes } from "./paris-offset.ts";

describe("Paris offset and HO/JO for bulk work", () => {
  it("gives the offset on both sides of each change of the clocks", () => {
    expect(parisOffsetMinutes(Date.parse("2023-03-26T00:59:59Z"))).toBe(60);
    expect(parisOffsetMinutes(Date.parse("2023-03-26T01:00:00Z"))).toBe(120);
    expect(parisOffsetMinutes(Date.parse("2023-10-29T00:59:59Z"))).toBe(120);
    expect(parisOffsetMinutes(Date.parse("2023-10-29T01:00:00Z"))).toBe(60);
    expect(parisOffsetMinutes(Date.parse("2023-07-14T12:00:00Z"))).toBe(120);
    expect(parisOffsetMinutes(Date.parse("2024-01-01T00:00:00Z"))).toBe(60);
  });

  it("agrees with isBusinessHours, hour by hour over eight years and on holidays' edges", () => {
    const differences: string[] = [];
    const check = (ms: number) => {
      const at = new Date(ms);
      if (isBusinessHoursFast(at) !== isBusinessHours(at)) differences.push(at.toISOString());
    };
    // Every hour at :07 of 2019–2026 would be 70 000 checks: every 7th hour covers all hours of the day and weekdays.
    for (
      let ms = Date.parse("2019-01-01T00:07:00Z");
      ms < Date.parse("2027-01-01T00:00:00Z");
      ms += 7 * 3_600_000
    ) {
      check(ms);
    }
    // Around 09:00 and 18:00 Paris on a summer and a winter working day, and a holiday (1 May 2023, a Monday).
    for (const iso of [
      "2023-06-13T06:59:59.999Z",
      "2023-06-13T07:00:00Z",
      "2023-06-13T15:59:59.999Z",
      "2023-06-13T16:00:00Z",
      "2023-01-10T07:59:59Z",
      "2023-01-10T08:00:00Z",
      "2023-01-10T16:59:59Z",
      "2023-01-10T17:00:00Z",
      "2023-05-01T10:00:00Z",
      "2023-05-02T10:00:00Z",
    ]) {
      check(Date.parse(iso));
    }
    expect(differences).toEqual([]);
    expect(isBusinessHoursFast(new Date("2023-05-01T10:00:00Z"))).toBe(false);
    expect(isBusinessHoursFast(new Date("2023-05-02T10:00:00Z"))).toBe(true);
  });
});
