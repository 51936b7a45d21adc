import Holidays from "date-holidays";
import { parisLocalTime } from "./paris-time.ts";

/** Opening of the CERT's business hours, Paris local time (inclusive). */
export const BUSINESS_DAY_START_HOUR = 9;
/** Closing of the CERT's business hours, Paris local time (exclusive). */
export const BUSINESS_DAY_END_HOUR = 18;

// Country-level "public" days of date-holidays for FR are exactly the 11 days of Code du travail
// L3133-1; regional days (Good Friday and St Stephen in Alsace-Moselle, overseas abolition days)
// only appear for sub-regions, which we never ask for. The unit test pins the list.
const holidays = new Holidays("FR", { types: ["public"] });
const holidaysByYear = new Map<number, ReadonlySet<string>>();

/** The French national public holidays of a year, as local dates YYYY-MM-DD. */
export function frenchPublicHolidays(year: number): ReadonlySet<string> {
  let dates = holidaysByYear.get(year);
  if (!dates) {
    dates = new Set(
      holidays
        .getHolidays(year)
        .filter((h) => h.type === "public")
        .map((h) => h.date.slice(0, 10)),
    );
    holidaysByYear.set(year, dates);
  }
  return dates;
}

/** True when the local Paris date of the instant is a French national public holiday. */
export function isFrenchPublicHoliday(at: Date): boolean {
  const local = parisLocalTime(at);
  return frenchPublicHolidays(local.year).has(local.date);
}

/**
 * "Heures et jours ouvrés": Monday to Friday, not a national public holiday, and
 * 09:00 ≤ Europe/Paris local time < 18:00. Everything else is out of hours (HNO/JNO).
 */
export function isBusinessHours(at: Date): boolean {
  const local = parisLocalTime(at);
  if (local.isoWeekday > 5) return false;
  if (local.hour < BUSINESS_DAY_START_HOUR || local.hour >= BUSINESS_DAY_END_HOUR) return false;
  return !frenchPublicHolidays(local.year).has(local.date);
}
