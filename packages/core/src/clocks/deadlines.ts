import type { ClockView, clockKinds } from "@vigie/contracts";
import type { ClockRow } from "@vigie/db";
import type { z } from "zod";
import { parisLocalTime } from "../time/paris-time.ts";

export type ClockKindCode = (typeof clockKinds)[number];
export type ClockState = z.infer<typeof ClockView>["state"];

const HOUR_MS = 3_600_000;

/** A clock is "due soon" within this many hours of its deadline; the first reminder goes then. */
export const CLOCK_DUE_SOON_HOURS = 12;

/** The kinds opened by the qualification (intermediate reports are asked for one by one). */
export const STANDARD_CLOCK_KINDS = [
  "nis2_early_warning",
  "nis2_notification",
  "nis2_final_report",
  "cnil_notification",
] as const satisfies readonly ClockKindCode[];
export type StandardClockKind = (typeof STANDARD_CLOCK_KINDS)[number];

/** The effective data impact that opens the CNIL clock. */
export const PERSONAL_DATA_DISCLOSURE = "personal_info_disclosure";

/**
 * The clocks a qualified case must have: none out of scope; NIS 2 (early warning, notification,
 * final report) for an OSE structure (as it was when it declared); CNIL when personal data were
 * disclosed (effective data impacts).
 */
export function applicableClockKinds(facts: {
  outOfScope: boolean;
  ose: boolean;
  dataImpacts: readonly string[];
}): StandardClockKind[] {
  if (facts.outOfScope) return [];
  return [
    ...(facts.ose ? (["nis2_early_warning", "nis2_notification", "nis2_final_report"] as const) : []),
    ...(facts.dataImpacts.includes(PERSONAL_DATA_DISCLOSURE) ? (["cnil_notification"] as const) : []),
  ];
}

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The same wall-clock time in Paris one calendar month later (31 January → 28 or 29 February,
 * the last day when the month is shorter). A time that does not exist that day (the spring
 * change) moves forward by the hour skipped; one that exists twice (autumn) is the first.
 */
export function addParisCalendarMonth(at: Date): Date {
  const local = parisLocalTime(at);
  const year = local.month === 12 ? local.year + 1 : local.year;
  const month = local.month === 12 ? 1 : local.month + 1;
  const day = Math.min(local.day, daysInMonth(year, month));
  const wall = Date.UTC(
    year,
    month - 1,
    day,
    local.hour,
    local.minute,
    at.getUTCSeconds(),
    at.getUTCMilliseconds(),
  );
  for (const offsetHours of [2, 1]) {
    const candidate = new Date(wall - offsetHours * HOUR_MS);
    const seen = parisLocalTime(candidate);
    if (seen.year === year && seen.month === month && seen.day === day && seen.hour === local.hour) {
      return candidate;
    }
  }
  return new Date(wall - HOUR_MS);
}

/** When a clock falls due, from the moment the structure became aware of the incident. */
export function clockDueAt(kind: StandardClockKind, awareAt: Date): Date {
  switch (kind) {
    case "nis2_early_warning":
      return new Date(awareAt.getTime() + 24 * HOUR_MS);
    case "nis2_notification":
    case "cnil_notification":
      return new Date(awareAt.getTime() + 72 * HOUR_MS);
    case "nis2_final_report":
      return addParisCalendarMonth(awareAt);
  }
}

/** The end of the "due soon" window at `now`. */
export function dueSoonUntil(now: Date): Date {
  return new Date(now.getTime() + CLOCK_DUE_SOON_HOURS * HOUR_MS);
}

/** Where a clock stands at `now`. */
export function clockState(
  clock: Pick<ClockRow, "due_at" | "filed_at" | "cancelled_at">,
  now: Date,
): ClockState {
  const due = new Date(clock.due_at).getTime();
  if (clock.cancelled_at) return "cancelled";
  if (clock.filed_at) return new Date(clock.filed_at).getTime() <= due ? "filed" : "filed_late";
  if (now.getTime() >= due) return "overdue";
  if (due <= dueSoonUntil(now).getTime()) return "due_soon";
  return "pending";
}
