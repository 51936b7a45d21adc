// The rota is entered in Paris time, whatever the browser's time zone: a `datetime-local`
// value ("2026-03-14T20:00") is read as Europe/Paris wall-clock time and sent with its offset.

export const PARIS_TIME_ZONE = "Europe/Paris";

const parts = new Intl.DateTimeFormat("en-GB", {
  timeZone: PARIS_TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

function wallClock(at: Date): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
} {
  const out: Record<string, number> = {};
  for (const part of parts.formatToParts(at)) {
    if (part.type !== "literal") out[part.type] = Number(part.value);
  }
  return {
    year: out.year ?? 1970,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

/** Minutes Paris is ahead of UTC at that instant (60 in winter, 120 in summer). */
export function parisOffsetMinutes(at: Date): number {
  const w = wallClock(at);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * "2026-03-14T20:00" (Paris wall clock) → "2026-03-14T20:00:00+01:00"; null when not a
 * complete date and time. A time skipped by the spring change is moved forward an hour; a
 * time repeated in autumn is read as its first occurrence (summer time).
 */
export function parisLocalToIso(value: string): string | null {
  const match = LOCAL.exec(value.trim());
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1, 6).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // Try both offsets Paris can have around that day; keep the one that reads back as typed.
  const candidates = [
    wall - parisOffsetMinutes(new Date(wall - 120 * 60_000)) * 60_000,
    wall - parisOffsetMinutes(new Date(wall)) * 60_000,
  ];
  const exact = candidates
    .filter((utc) => {
      const w = wallClock(new Date(utc));
      return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) === wall;
    })
    .sort((a, b) => a - b)[0];
  // In the spring gap, the offset before the change moves the time forward an hour.
  const instant = exact ?? candidates[0] ?? wall;
  const offset = parisOffsetMinutes(new Date(instant));
  const local = new Date(instant + offset * 60_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  return (
    `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}` +
    `T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** An instant as a `datetime-local` value in Paris time ("2026-03-14T20:00"). */
export function toParisLocal(at: Date): string {
  const w = wallClock(at);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}
