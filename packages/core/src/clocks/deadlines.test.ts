import { describe, expect, it } from "vitest";
import { parisLocalTime } from "../time/paris-time.ts";
import { addParisCalendarMonth, applicableClockKinds, clockDueAt, clockState } from "./deadlines.ts";

describe("regulatory clock deadlines", () => {
  it("adds one calendar month in Paris time, across the change to summer time", () => {
    // 10 March 07:30 CET → 10 April 07:30 CEST.
    expect(addParisCalendarMonth(new Date("2026-03-10T06:30:00Z")).toISOString()).toBe(
      "2026-04-10T05:30:00.000Z",
    );
    // 15 October 10:00 CEST → 15 November 10:00 CET.
    expect(addParisCalendarMonth(new Date("2026-10-15T08:00:00Z")).toISOString()).toBe(
      "2026-11-15T09:00:00.000Z",
    );
  });

  it("ends on the last day of a shorter month, and rolls over the year", () => {
    expect(addParisCalendarMonth(new Date("2026-01-31T09:00:00Z")).toISOString()).toBe(
      "2026-02-28T09:00:00.000Z",
    );
    expect(addParisCalendarMonth(new Date("2028-01-31T09:00:00Z")).toISOString()).toBe(
      "2028-02-29T09:00:00.000Z",
    );
    // 31 December 23:30 in Paris is 22:30 UTC; one month later, 31 January 23:30 in Paris.
    expect(addParisCalendarMonth(new Date("2026-12-31T22:30:00Z")).toISOString()).toBe(
      "2027-01-31T22:30:00.000Z",
    );
  });

  it("moves a time skipped by the spring change forward by the hour skipped", () => {
    // 26 February 2028 02:30 CET; 26 March 2028 (the change) has no 02:30: 03:30 CEST instead.
    const due = addParisCalendarMonth(new Date("2028-02-26T01:30:00Z"));
    expect(due.toISOString()).toBe("2028-03-26T01:30:00.000Z");
    expect(parisLocalTime(due)).toMatchObject({ date: "2028-03-26", hour: 3, minute: 30 });
  });

  it("computes the NIS 2 and CNIL deadlines from the moment the structure became aware", () => {
    const aware = new Date("2026-03-10T06:30:00Z");
    expect(clockDueAt("nis2_early_warning", aware).toISOString()).toBe("2026-03-11T06:30:00.000Z");
    expect(clockDueAt("nis2_notification", aware).toISOString()).toBe("2026-03-13T06:30:00.000Z");
    expect(clockDueAt("cnil_notification", aware).toISOString()).toBe("2026-03-13T06:30:00.000Z");
    expect(clockDueAt("nis2_final_report", aware).toISOString()).toBe("2026-04-10T05:30:00.000Z");
  });

  it("opens NIS 2 clocks for an OSE structure and the CNIL clock for personal data, none out of scope", () => {
    expect(applicableClockKinds({ outOfScope: false, ose: true, dataImpacts: ["none"] })).toEqual([
      "nis2_early_warning",
      "nis2_notification",
      "nis2_final_report",
    ]);
    expect(
      applicableClockKinds({ outOfScope: false, ose: false, dataImpacts: ["personal_info_disclosure"] }),
    ).toEqual(["cnil_notification"]);
    expect(
      applicableClockKinds({ outOfScope: false, ose: false, dataImpacts: ["data_loss_or_unavailability"] }),
    ).toEqual([]);
    expect(
      applicableClockKinds({ outOfScope: true, ose: true, dataImpacts: ["personal_info_disclosure"] }),
    ).toEqual([]);
  });

  it("tells a clock's state: pending, due within 12 hours, overdue, filed in time or late, cancelled", () => {
    const due = new Date("2026-03-11T06:30:00Z");
    const open = { due_at: due, filed_at: null, cancelled_at: null };
    expect(clockState(open, new Date("2026-03-10T18:29:00Z"))).toBe("pending");
    expect(clockState(open, new Date("2026-03-10T18:30:00Z"))).toBe("due_soon");
    expect(clockState(open, new Date("2026-03-11T06:29:59Z"))).toBe("due_soon");
    expect(clockState(open, due)).toBe("overdue");
    expect(clockState({ ...open, filed_at: due }, new Date("2026-04-01T00:00:00Z"))).toBe("filed");
    expect(clockState({ ...open, filed_at: new Date("2026-03-11T06:31:00Z") }, due)).toBe("filed_late");
    expect(clockState({ ...open, cancelled_at: due }, due)).toBe("cancelled");
  });
});
