import { formatDecimal, formatInteger, NNBSP, percent, plural } from "./format.ts";
import { type Figure, type Inline, inlines } from "./rich-text.ts";

// The year-on-year wording: counts compare in percent ("soit 2 % de moins qu'en 2022 (592)"),
// shares in percentage points ("en hausse de 15 points par rapport à 2022 (74 %)").

/** How a count moved from the previous year. */
export type CountChange =
  | { kind: "no_data" }
  | { kind: "both_zero" }
  | { kind: "same" }
  | { kind: "from_zero" }
  | { kind: "to_zero" }
  /** At least twice as many: ratio current / previous. */
  | { kind: "multiple"; ratio: number }
  /** Moved by less than half a percent. */
  | { kind: "stable" }
  | { kind: "increase"; percent: number }
  | { kind: "decrease"; percent: number };

/** `previous` null: no data for the previous year. Percentages are whole, rounded. */
export function countChange(current: number, previous: number | null): CountChange {
  if (previous === null) return { kind: "no_data" };
  if (current === previous) return current === 0 ? { kind: "both_zero" } : { kind: "same" };
  if (previous === 0) return { kind: "from_zero" };
  if (current === 0) return { kind: "to_zero" };
  const ratio = current / previous;
  if (ratio >= 2) return { kind: "multiple", ratio: Math.round(ratio * 10) / 10 };
  const change = Math.round((Math.abs(current - previous) / previous) * 100);
  if (change === 0) return { kind: "stable" };
  return current > previous ? { kind: "increase", percent: change } : { kind: "decrease", percent: change };
}

/** How a share moved, in points between the percentages as displayed. */
export type ShareChange =
  | { kind: "no_data" }
  | { kind: "stable" }
  | { kind: "increase"; points: number }
  | { kind: "decrease"; points: number };

export function shareChange(current: number, previous: number | null): ShareChange {
  if (previous === null) return { kind: "no_data" };
  const diff = Math.round((percent(current).shown - percent(previous).shown) * 10) / 10;
  if (diff === 0) return { kind: "stable" };
  return diff > 0 ? { kind: "increase", points: diff } : { kind: "decrease", points: -diff };
}

function points(value: number): string {
  return `${formatDecimal(value, 1)} ${plural(value, "point", "points")}`;
}

/**
 * What follows a count in a sentence, with its leading punctuation:
 * ", soit 2 % de moins qu'en 2022 (592)", ", autant qu'en 2022", " (aucune donnée pour 2022)"…
 */
export function countEvolution(current: Figure, previous: Figure | null, previousYear: number): Inline[] {
  const change = countChange(current.value ?? 0, previous ? (previous.value ?? 0) : null);
  const y = String(previousYear);
  switch (change.kind) {
    case "no_data":
      return inlines(` (aucune donnée pour ${y})`);
    case "both_zero":
      return inlines(`, comme en ${y}`);
    case "same":
      return inlines(`, autant qu'en ${y}`);
    case "from_zero":
    case "to_zero":
      return inlines(", contre ", previous, ` en ${y}`);
    case "multiple":
      return inlines(`, soit ${formatDecimal(change.ratio, 1)} fois plus qu'en ${y} (`, previous, ")");
    case "stable":
      return inlines(`, un niveau quasi stable par rapport à ${y} (`, previous, ")");
    case "increase":
      return inlines(`, soit ${formatInteger(change.percent)}${NNBSP}% de plus qu'en ${y} (`, previous, ")");
    case "decrease":
      return inlines(`, soit ${formatInteger(change.percent)}${NNBSP}% de moins qu'en ${y} (`, previous, ")");
  }
}

/**
 * What follows a share in a sentence: ", en hausse de 15 points par rapport à 2022 (74 %)",
 * ", stable par rapport à 2022 (50 %)", " (aucune donnée pour 2022)".
 */
export function shareEvolution(current: Figure, previous: Figure | null, previousYear: number): Inline[] {
  const change = shareChange(current.value ?? 0, previous ? (previous.value ?? 0) : null);
  const y = String(previousYear);
  switch (change.kind) {
    case "no_data":
      return inlines(` (aucune donnée pour ${y})`);
    case "stable":
      return inlines(`, stable par rapport à ${y} (`, previous, ")");
    case "increase":
      return inlines(`, en hausse de ${points(change.points)} par rapport à ${y} (`, previous, ")");
    case "decrease":
      return inlines(`, en baisse de ${points(change.points)} par rapport à ${y} (`, previous, ")");
  }
}

/** The previous value in parentheses, " (49 en 2022)", or nothing without data. */
export function previousInParentheses(previous: Figure | null, previousYear: number): Inline[] {
  return previous ? inlines(" (", previous, ` en ${previousYear})`) : [];
}

/** The evolution column of the key figures table: "−2 %", "+15 %", "×2,5", "stable", "—". */
export function countChangeLabel(current: number, previous: number | null): string {
  const change = countChange(current, previous);
  switch (change.kind) {
    case "no_data":
    case "from_zero":
      return "—";
    case "both_zero":
    case "same":
    case "stable":
      return "stable";
    case "to_zero":
      return `−100${NNBSP}%`;
    case "multiple":
      return `×${formatDecimal(change.ratio, 1)}`;
    case "increase":
      return `+${formatInteger(change.percent)}${NNBSP}%`;
    case "decrease":
      return `−${formatInteger(change.percent)}${NNBSP}%`;
  }
}

/** The evolution column for a share: "+15 pts", "−3 pts", "stable", "—". */
export function shareChangeLabel(current: number, previous: number | null): string {
  const change = shareChange(current, previous);
  switch (change.kind) {
    case "no_data":
      return "—";
    case "stable":
      return "stable";
    case "increase":
      return `+${formatDecimal(change.points, 1)}${NNBSP}${plural(change.points, "pt", "pts")}`;
    case "decrease":
      return `−${formatDecimal(change.points, 1)}${NNBSP}${plural(change.points, "pt", "pts")}`;
  }
}
