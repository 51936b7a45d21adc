// Business hours of the CERT ("heures et jours ouvrés", taxonomy.md): Monday to Friday,
// 09:00 ≤ local time < 18:00 in Europe/Paris, not a French national public holiday.
// The server decides for the record (the receipt says `outOfHours`); the browser computes the
// same rule to show the on-call number while the form is being filled.

const parisParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Paris",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  hourCycle: "h23",
  weekday: "short",
});

interface ParisTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  weekday: string;
}

function inParis(date: Date): ParisTime {
  const parts: Record<string, string> = {};
  for (const part of parisParts.formatToParts(date)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    weekday: parts.weekday ?? "",
  };
}

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm), as [month, day]. */
export function easterSunday(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

function shift(year: number, month: number, day: number, days: number): string {
  const date = new Date(Date.UTC(year, month - 1, day + days));
  return `${date.getUTCMonth() + 1}-${date.getUTCDate()}`;
}

/** The 11 French public holidays of a year (Code du travail, art. L3133-1), as "M-D". */
export function publicHolidays(year: number): Set<string> {
  const [em, ed] = easterSunday(year);
  return new Set([
    "1-1",
    "5-1",
    "5-8",
    "7-14",
    "8-15",
    "11-1",
    "11-11",
    "12-25",
    shift(year, em, ed, 1), // lundi de Pâques
    shift(year, em, ed, 39), // Ascension
    shift(year, em, ed, 50), // lundi de Pentecôte
  ]);
}

/** True during the CERT's business hours (Mon–Fri 9:00–18:00 Paris time, not a public holiday). */
export function isBusinessHours(date: Date = new Date()): boolean {
  const t = inParis(date);
  if (t.weekday === "Sat" || t.weekday === "Sun") return false;
  if (t.hour < 9 || t.hour >= 18) return false;
  return !publicHolidays(t.year).has(`${t.month}-${t.day}`);
}

/** The sentence stating the CERT's hours, used on the form and the receipt. */
export const BUSINESS_HOURS_TEXT = "du lundi au vendredi, de 9 h à 18 h (heure de Paris), hors jours fériés";
