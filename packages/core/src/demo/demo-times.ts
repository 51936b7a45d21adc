import { frenchPublicHolidays } from "../time/business-hours.ts";
import { parisLocalTime } from "../time/paris-time.ts";
import type { Random } from "./random.ts";

/**
 * Declaration times of the demo, drawn in Europe/Paris local time: "heures et jours ouvrés"
 * (HO/JO, `time/business-hours.ts`) or out of them (HNO/JNO), within one month.
 */

/** An instant with its Paris wall-clock reading already known. */
export interface ParisMoment {
  at: Date;
  /** RFC 3339 with the Paris offset: `2023-01-01T00:20:00+01:00`. */
  iso: string;
  /** Paris month, 1–12. */
  month: number;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

function offsetText(offsetMinutes: number): string {
  const sign = offsetMinutes >= 0 ? "+" : "-";
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * The instant a Paris wall-clock time designates, or null when it does not exist (the spring
 * DST gap). One reading of the clock (`parisLocalTime`) in most cases: winter offset first
 * from November to March, summer offset first otherwise.
 */
export function parisMoment(date: string, hour: number, minute: number, second = 0): ParisMoment | null {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const wallClock = Date.UTC(year, month - 1, day, hour, minute, second);
  const offsets = month >= 4 && month <= 10 ? [2, 1] : [1, 2];
  for (const offsetHours of offsets) {
    const at = new Date(wallClock - offsetHours * 3_600_000);
    const local = parisLocalTime(at);
    if (local.date === date && local.hour === hour && local.minute === minute) {
      return {
        at,
        iso: `${date}T${pad(hour)}:${pad(minute)}:${pad(second)}${offsetText(offsetHours * 60)}`,
        month,
      };
    }
  }
  return null;
}

/** RFC 3339 with the Paris offset of the instant: `2023-01-01T00:20:00+01:00`. */
export function formatParisTime(at: Date): string {
  const local = parisLocalTime(at);
  const wallClock = Date.UTC(
    local.year,
    local.month - 1,
    local.day,
    local.hour,
    local.minute,
    at.getUTCSeconds(),
  );
  return (
    `${local.date}T${pad(local.hour)}:${pad(local.minute)}:${pad(at.getUTCSeconds())}` +
    offsetText(Math.round((wallClock - at.getTime()) / 60_000))
  );
}

interface MonthDays {
  working: string[];
  weekend: string[];
  holidays: string[];
  all: string[];
}

const monthCache = new Map<string, MonthDays>();

/** The days of a month: working days (Mon–Fri, not a public holiday), weekend days, weekday holidays. */
function monthDays(year: number, month: number): MonthDays {
  const key = `${year}-${month}`;
  const cached = monthCache.get(key);
  if (cached) return cached;
  const holidays = frenchPublicHolidays(year);
  const days: MonthDays = { working: [], weekend: [], holidays: [], all: [] };
  const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
  for (let day = 1; day <= length; day++) {
    const date = `${year}-${pad(month)}-${pad(day)}`;
    const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
    days.all.push(date);
    if (weekday === 0 || weekday === 6) days.weekend.push(date);
    else if (holidays.has(date)) days.holidays.push(date);
    else days.working.push(date);
  }
  monthCache.set(key, days);
  return days;
}

/** How out-of-hours declarations spread, per kind of moment (weights). */
export interface OutOfHoursProfile {
  /** 18:00–18:29 on a working day (the 2023 report notes a peak right after closing). */
  justAfterClosing: number;
  /** 18:30–19:59. */
  earlyEvening: number;
  /** 20:00–23:59. */
  lateEvening: number;
  /** 00:00–08:59 on a working day. */
  night: number;
  /** Any hour of a Saturday or Sunday. */
  weekend: number;
  /** 08:00–19:59 of a weekday public holiday (falls back to a weekend day when the month has none). */
  holiday: number;
}

const BUSINESS_HOUR_WEIGHTS: Readonly<Record<string, number>> = {
  "9": 12,
  "10": 14,
  "11": 13,
  "12": 7,
  "13": 8,
  "14": 13,
  "15": 13,
  "16": 12,
  "17": 8,
};

/**
 * A random moment of the month within HO/JO: a working day (Monday to Friday, not one of the
 * public holidays of `time/business-hours.ts`), 09:00–17:59 Paris time.
 */
export function businessMoment(random: Random, year: number, month: number): ParisMoment {
  const { working } = monthDays(year, month);
  for (;;) {
    const hour = Number(random.weighted(BUSINESS_HOUR_WEIGHTS));
    const moment = parisMoment(random.pick(working), hour, random.int(0, 59), random.int(0, 59));
    if (moment) return moment;
  }
}

/** A random moment of the month out of HO/JO, following the profile. */
export function outOfHoursMoment(
  random: Random,
  year: number,
  month: number,
  profile: OutOfHoursProfile,
): ParisMoment {
  const days = monthDays(year, month);
  const weights: Partial<Record<keyof OutOfHoursProfile, number>> = { ...profile };
  if (days.holidays.length === 0) weights.holiday = 0;
  for (;;) {
    const kind = random.weighted(weights);
    let date: string;
    let hour: number;
    let minute = random.int(0, 59);
    switch (kind) {
      case "justAfterClosing":
        date = random.pick(days.working);
        hour = 18;
        minute = random.int(0, 29);
        break;
      case "earlyEvening":
        date = random.pick(days.working);
        hour = random.int(18, 19);
        minute = hour === 18 ? random.int(30, 59) : minute;
        break;
      case "lateEvening":
        date = random.pick(days.working);
        hour = random.int(20, 23);
        break;
      case "night":
        date = random.pick(days.working);
        hour = random.chance(0.6) ? random.int(7, 8) : random.int(0, 6);
        break;
      case "weekend":
        date = random.pick(days.weekend);
        hour = random.chance(0.8) ? random.int(8, 21) : random.int(0, 23);
        break;
      default:
        date = random.pick(days.holidays);
        hour = random.int(8, 19);
    }
    const moment = parisMoment(date, hour, minute, random.int(0, 59));
    if (moment) return moment;
  }
}
