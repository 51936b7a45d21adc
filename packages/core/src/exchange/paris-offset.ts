import {
  BUSINESS_DAY_END_HOUR,
  BUSINESS_DAY_START_HOUR,
  frenchPublicHolidays,
} from "../time/business-hours.ts";
import { PARIS_TIME_ZONE } from "../time/paris-time.ts";

// Bulk import and export read a hundred thousand instants in Paris time: ICU is asked for the
// offset once per UTC day (twice a year, on the days the clocks change, once per hour).

const parisParts = new Intl.DateTimeFormat("en-US", {
  timeZone: PARIS_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function offsetFromIcu(ms: number): number {
  const p = Object.fromEntries(parisParts.formatToParts(new Date(ms)).map((part) => [part.type, part.value]));
  const wall = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
}

// Per UTC day: the offset when it is the same all day, else null (then per UTC hour).
const byDay = new Map<number, number | null>();
const byHour = new Map<number, number>();

/** Minutes to add to UTC to read the instant on a Paris clock (60 in winter, 120 in summer). */
export function parisOffsetMinutes(ms: number): number {
  const day = Math.floor(ms / DAY);
  let offset = byDay.get(day);
  if (offset === undefined) {
    const start = offsetFromIcu(day * DAY);
    offset = start === offsetFromIcu(day * DAY + DAY - HOUR) ? start : null;
    if (byDay.size > 50_000) byDay.clear();
    byDay.set(day, offset);
  }
  if (offset !== null) return offset;
  // France changes its clocks on the hour (01:00 UTC): within an hour the offset is constant.
  const hour = Math.floor(ms / HOUR);
  let hourly = byHour.get(hour);
  if (hourly === undefined) {
    hourly = offsetFromIcu(hour * HOUR);
    byHour.set(hour, hourly);
  }
  return hourly;
}

/**
 * `isBusinessHours` (HO/JO: Monday to Friday, 09:00 ≤ Paris time < 18:00, not one of the 11
 * public holidays) for many instants: the same rule and holidays, the offset from the cache.
 */
export function isBusinessHoursFast(at: Date): boolean {
  const local = new Date(at.getTime() + parisOffsetMinutes(at.getTime()) * 60_000);
  const weekday = local.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  const hour = local.getUTCHours();
  if (hour < BUSINESS_DAY_START_HOUR || hour >= BUSINESS_DAY_END_HOUR) return false;
  return !frenchPublicHolidays(local.getUTCFullYear()).has(local.toISOString().slice(0, 10));
}
