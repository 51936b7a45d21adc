// Deadlines are typed and shown in Paris time, whatever the analyst's computer says.

const parisParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Paris",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function wallClock(at: number): { y: number; mo: number; d: number; h: number; mi: number } {
  const parts: Record<string, string> = {};
  for (const part of parisParts.formatToParts(new Date(at))) parts[part.type] = part.value;
  return {
    y: Number(parts.year),
    mo: Number(parts.month),
    d: Number(parts.day),
    h: Number(parts.hour),
    mi: Number(parts.minute),
  };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** "2026-11-28T09:15" (Paris time) for a datetime-local input; "" for no date. */
export function toParisInput(value: string | null | undefined): string {
  if (!value) return "";
  const at = Date.parse(value);
  if (Number.isNaN(at)) return "";
  const w = wallClock(at);
  return `${w.y}-${pad(w.mo)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}`;
}

/** Minutes Paris is ahead of UTC at this instant (60 in winter, 120 in summer). */
function parisOffsetMinutes(at: number): number {
  const w = wallClock(at);
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi);
  return Math.round((asUtc - Math.floor(at / 60_000) * 60_000) / 60_000);
}

/**
 * The instant of a datetime-local value read as Paris time, as an ISO string; null when empty,
 * undefined when it cannot be read.
 */
export function parisInputToIso(value: string): string | null | undefined {
  const trimmed = value.trim();
  if (!trimmed) return null;
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(trimmed);
  if (!match) return undefined;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  if (Number.isNaN(guess)) return undefined;
  let utc = guess - parisOffsetMinutes(guess) * 60_000;
  utc = guess - parisOffsetMinutes(utc) * 60_000;
  return new Date(utc).toISOString();
}

/** "2 h 15 min", "3 j 4 h", for a number of minutes. */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes == null) return "—";
  if (minutes < 60) return `${minutes} min`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} j ${hours} h` : `${days} j`;
  return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
}
