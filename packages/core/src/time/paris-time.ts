/** The French legal time zone every business rule is expressed in (taxonomy, "Time"). */
export const PARIS_TIME_ZONE = "Europe/Paris";

/** A moment as read on a clock in Paris. */
export interface ParisLocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  isoWeekday: number;
  /** Local calendar date, YYYY-MM-DD. */
  date: string;
}

const formatter = new Intl.DateTimeFormat("en-US", {
  timeZone: PARIS_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  weekday: "short",
  hourCycle: "h23",
});
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Reads a UTC instant in Europe/Paris local time (DST handled by the ICU time-zone data). */
export function parisLocalTime(at: Date): ParisLocalTime {
  const parts = Object.fromEntries(formatter.formatToParts(at).map((p) => [p.type, p.value]));
  const year = Number(parts.year);
  const month = Number(parts.month);
  const day = Number(parts.day);
  return {
    year,
    month,
    day,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    isoWeekday: WEEKDAYS[parts.weekday ?? ""] ?? 0,
    date: `${parts.year}-${parts.month}-${parts.day}`,
  };
}

/** The instant a calendar day (YYYY-MM-DD) begins in Paris (midnight always exists there). */
export function parisStartOfDay(date: string): Date {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  for (const offsetHours of [1, 2]) {
    const candidate = new Date(Date.UTC(year, month - 1, day) - offsetHours * 3_600_000);
    const local = parisLocalTime(candidate);
    if (local.date === date && local.hour === 0 && local.minute === 0) return candidate;
  }
  throw new Error(`jour invalide : ${date}`);
}

/** The day after a calendar day, YYYY-MM-DD. */
export function nextDay(date: string): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + 1)).toISOString().slice(0, 10);
}
