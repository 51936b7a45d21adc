import { describe, expect, it } from "vitest";
import { nextDay, parisStartOfDay } from "./paris-time.ts";

describe("parisStartOfDay", () => {
  it("gives the UTC instant of midnight in Paris, winter and summer time", () => {
    expect(parisStartOfDay("2026-01-15").toISOString()).toBe("2026-01-14T23:00:00.000Z");
    expect(parisStartOfDay("2026-07-15").toISOString()).toBe("2026-07-14T22:00:00.000Z");
    // The days of the changes of time: midnight is still before the change.
    expect(parisStartOfDay("2026-03-29").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(parisStartOfDay("2026-10-25").toISOString()).toBe("2026-10-24T22:00:00.000Z");
  });

  it("steps to the next calendar day across months and years", () => {
    expect(nextDay("2026-02-28")).toBe("2026-03-01");
    expect(nextDay("2026-12-31")).toBe("2027-01-01");
  });
});
