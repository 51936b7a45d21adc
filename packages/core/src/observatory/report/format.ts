// French typography of the report's figures: narrow no-break spaces (U+202F) between thousands
// and before "%" and "h", decimal commas, singular for 0 and 1 (French rule).

/** U+202F, the narrow no-break space of French number formatting. */
export const NNBSP = "\u202f";

const integerFormat = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });

function decimalFormat(digits: number): Intl.NumberFormat {
  return new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 0, maximumFractionDigits: digits });
}

/** Intl uses U+202F for fr-FR grouping in current ICU; older data used U+00A0: normalise. */
function typographic(text: string): string {
  return text.replace(/[\u00a0\u2009 ]/g, NNBSP).replace("-", "−");
}

/** `1234` → "1 234" (U+202F), `-3` → "−3". */
export function formatInteger(value: number): string {
  return typographic(integerFormat.format(value));
}

/** At most `digits` decimals, none when the value is whole: `48.5` → "48,5", `48` → "48". */
export function formatDecimal(value: number, digits = 1): string {
  return typographic(decimalFormat(digits).format(value));
}

/**
 * A mean: whole above 10 ("48"), one decimal below ("0,4"), so a small mean is never shown
 * as zero.
 */
export function formatMean(value: number): string {
  return Math.abs(value) >= 10 ? formatInteger(value) : formatDecimal(value, 1);
}

/** A share shown as a percentage, with the number actually displayed (for comparisons). */
export interface PercentDisplay {
  text: string;
  /** The percentage as displayed, e.g. 29 or 0.4. */
  shown: number;
}

/**
 * A share in [0, 1] as a French percentage: whole ("29 %"), except that a share that is neither
 * 0 nor 1 never shows as "0 %" or "100 %" (one decimal then: "0,4 %", "99,6 %"; "moins de 0,1 %").
 */
export function percent(share: number): PercentDisplay {
  const p = share * 100;
  let shown = Math.round(p);
  if (shown === 0 && p > 0) {
    shown = Math.round(p * 10) / 10;
    if (shown === 0) return { text: `moins de 0,1${NNBSP}%`, shown: 0.1 };
  } else if (shown === 100 && p < 100) {
    shown = Math.floor(p * 10) / 10;
  }
  return { text: `${formatDecimal(shown, 1)}${NNBSP}%`, shown };
}

/** `percent(share).text`. */
export function formatPercent(share: number): string {
  return percent(share).text;
}

/** `part / whole` as a percentage; "0 %" when the whole is 0. */
export function formatRatio(part: number, whole: number): string {
  return formatPercent(whole > 0 ? part / whole : 0);
}

/** Hours, one decimal at most: "26,5 h". */
export function formatHours(value: number): string {
  return `${formatDecimal(value, 1)}${NNBSP}h`;
}

/** French agreement: singular for 0 and 1, plural from 2. */
export function plural(count: number, singular: string, pluralForm: string): string {
  return Math.abs(count) < 2 ? singular : pluralForm;
}

/** "1 signalement", "581 signalements". */
export function countOf(count: number, singular: string, pluralForm: string): string {
  return `${formatInteger(count)} ${plural(count, singular, pluralForm)}`;
}

/** Joins French list items: "a", "a et b", "a, b et c". */
export function joinFrench(items: readonly string[], conjunction = "et"): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items[items.length - 1]}`;
}

/** The French months, lower case, January first. */
export const monthNames = [
  "janvier",
  "février",
  "mars",
  "avril",
  "mai",
  "juin",
  "juillet",
  "août",
  "septembre",
  "octobre",
  "novembre",
  "décembre",
] as const;

/** The French weekdays, Monday first (the heatmap's order). */
export const weekdayNames = [
  "lundi",
  "mardi",
  "mercredi",
  "jeudi",
  "vendredi",
  "samedi",
  "dimanche",
] as const;

/** Upper-cases the first letter. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
