// The drawing kit of the observatory's charts: escaping, French number formats, the colours
// (DSFR's blue France, with text colours chosen for contrast), text wrapping and the frame every
// chart shares (title, subtitle, body, legend, source line). Pure strings: no DOM.

/** Width of every chart, in SVG units (pixels at scale 1). */
export const CHART_WIDTH = 760;
export const FONT_FAMILY = "Marianne, Arial, Helvetica, sans-serif";

export const colours = {
  /** DSFR "blue France" sun-113: the current year, bars and scales' dark end. */
  blue: "#000091",
  /** DSFR blue France main-525 (4.2:1 on white): the previous year. */
  blueLight: "#6a6af4",
  /** DSFR blue France 950: the light end of the scales. */
  blueLightest: "#e3e3fd",
  text: "#161616",
  /** Secondary text (5.7:1 on white). */
  mention: "#595959",
  axis: "#3a3a3a",
  grid: "#dddddd",
  border: "#929292",
  white: "#ffffff",
  black: "#000000",
} as const;

/** True for a code point XML 1.0 allows in a document (tab, newlines, and the ranges of its Char). */
function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

const XML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text or attribute value made safe for XML (and HTML): escaped, forbidden characters dropped. */
export function escapeXml(value: string): string {
  let clean = "";
  // Iterating a string yields code points: a lone surrogate comes out alone and is dropped.
  for (const c of value) if (isXmlChar(c.codePointAt(0) ?? 0)) clean += c;
  return clean.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

const integerFormat = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });
const decimalFormat = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });
const percentFormat = new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 0 });
const precisePercentFormat = new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 1 });

/** « 1 234 » (French grouping). */
export const formatCount = (value: number): string => integerFormat.format(value);
/** « 48,4 ». */
export const formatDecimal = (value: number): string => decimalFormat.format(value);
/** « 28 % » (charts). */
export const formatPercent = (share: number): string => percentFormat.format(share);
/** « 28,4 % » (tables). */
export const formatPrecisePercent = (share: number): string => precisePercentFormat.format(share);
/** A share of a total for the tables, or null when the total is zero. */
export function shareOf(value: number, total: number): string | null {
  return total > 0 ? formatPrecisePercent(value / total) : null;
}

/** A number as an attribute: at most two decimals, no exponent. */
export function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

type AttributeValue = string | number | undefined | null;

/** `name="value"` pairs, escaped; undefined and null are left out. */
export function attributes(attrs: Record<string, AttributeValue>): string {
  return Object.entries(attrs)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined && entry[1] !== null)
    .map(([name, value]) => ` ${name}="${typeof value === "number" ? num(value) : escapeXml(value)}"`)
    .join("");
}

/** An element; `children` is already-safe markup. */
export function element(name: string, attrs: Record<string, AttributeValue>, children?: string): string {
  return children === undefined
    ? `<${name}${attributes(attrs)}/>`
    : `<${name}${attributes(attrs)}>${children}</${name}>`;
}

export interface TextStyle {
  size?: number;
  weight?: "normal" | "bold";
  anchor?: "start" | "middle" | "end";
  fill?: string;
}

/** One or several lines of text (escaped), the first line's baseline at y. */
export function text(x: number, y: number, lines: string | readonly string[], style: TextStyle = {}): string {
  const size = style.size ?? 12;
  const list = typeof lines === "string" ? [lines] : lines;
  const attrs = {
    x,
    y,
    "font-size": size,
    "font-weight": style.weight === "bold" ? "bold" : undefined,
    "text-anchor": style.anchor && style.anchor !== "start" ? style.anchor : undefined,
    fill: style.fill ?? colours.text,
  };
  if (list.length === 1) return element("text", attrs, escapeXml(list[0] ?? ""));
  const spans = list
    .map((line, i) => element("tspan", { x, dy: i === 0 ? undefined : lineHeight(size) }, escapeXml(line)))
    .join("");
  return element("text", attrs, spans);
}

/** Distance between two baselines of wrapped text. */
export const lineHeight = (size: number): number => Math.round(size * 1.3);

/**
 * An estimate of a text's width: the charts have no font metrics, so this errs on the wide side
 * (0.58 em per character; capitals and digits a little wider) to keep labels inside their box.
 */
export function textWidth(value: string, size: number): number {
  let ems = 0;
  for (const c of value) {
    if (c === " " || c === "\u202f" || c === "\u00a0") ems += 0.3;
    else if (/[A-ZÀ-ÖØ-Þ%—]/.test(c)) ems += 0.72;
    else if (/[il.,;:'’!|()]/.test(c)) ems += 0.3;
    else ems += 0.58;
  }
  return ems * size;
}

/** Words of a label, breaking after a hyphen or a slash inside a word too (« Provence-Alpes-Côte d'Azur »). */
function tokens(value: string): Array<{ text: string; glued: boolean }> {
  return value
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((word) => word.split(/(?<=[^\s][-/])(?=.)/).map((text, i) => ({ text, glued: i > 0 })));
}

/** Greedy wrapping of a label into lines no wider than `width` (a too-long word gets its own line). */
export function wrap(value: string, width: number, size: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const token of tokens(value)) {
    const candidate = line === "" ? token.text : `${line}${token.glued ? "" : " "}${token.text}`;
    if (line !== "" && textWidth(candidate, size) > width) {
      lines.push(line);
      line = token.text;
    } else {
      line = candidate;
    }
  }
  if (line !== "") lines.push(line);
  return lines.length > 0 ? lines : [""];
}

// --- Colour -------------------------------------------------------------------------------------

function channels(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function toHex([r, g, b]: [number, number, number]): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;
}

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours (1 to 21). */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/**
 * The fill of a value on the sequential scale: zero is white, then from blue France 950 to
 * blue France sun-113 as the value grows to the maximum.
 */
export function scaleFill(value: number, max: number): string {
  if (value <= 0 || max <= 0) return colours.white;
  const t = Math.min(1, value / max);
  const from = channels(colours.blueLightest);
  const to = channels(colours.blue);
  return toHex(
    [0, 1, 2].map((i) => (from[i] ?? 0) + ((to[i] ?? 0) - (from[i] ?? 0)) * t) as [number, number, number],
  );
}

/** Black or white, whichever reads better on the fill (at least 4.5:1 on any fill). */
export function textOn(fill: string): string {
  return contrast(fill, colours.white) >= contrast(fill, colours.black) ? colours.white : colours.black;
}

// --- Frame --------------------------------------------------------------------------------------

/** A drawn part of a chart: its markup from y = 0, its height and any definitions it needs. */
export interface Block {
  height: number;
  svg: string;
  defs?: string;
}

export interface LegendItem {
  label: string;
  swatch: LegendMark;
}

/** How a series is painted: solid, lighter, or hatched (never colour alone: values are written). */
export type Swatch = "solid" | "light" | "hatched";

/** A legend entry's mark: a series' swatch, or the dashed line of a mean. */
export type LegendMark = Swatch | "dashed-line";

/** The fill attributes of a swatch (the hatch pattern lives in the chart's defs). */
export function swatchPaint(swatch: Swatch, prefix: string): Record<string, string | number> {
  switch (swatch) {
    case "solid":
      return { fill: colours.blue };
    case "light":
      return { fill: colours.blueLight };
    case "hatched":
      return { fill: `url(#${prefix}-hatch)`, stroke: colours.blue, "stroke-width": 1 };
  }
}

/** The definitions every chart may use (the hatch pattern), with ids unique to the chart. */
function sharedDefs(prefix: string): string {
  return element(
    "pattern",
    {
      id: `${prefix}-hatch`,
      width: 6,
      height: 6,
      patternUnits: "userSpaceOnUse",
      patternTransform: "rotate(45)",
    },
    element("rect", { width: 6, height: 6, fill: colours.white }) +
      element("line", { x1: 1.5, y1: 0, x2: 1.5, y2: 6, stroke: colours.blue, "stroke-width": 3 }),
  );
}

const MARGIN = 24;

/** The legend: swatches and labels in one row (wrapping when needed). */
export function legend(items: readonly LegendItem[], prefix: string, width: number): Block {
  const size = 12;
  const rowHeight = 22;
  let x = 0;
  let y = 0;
  const parts: string[] = [];
  for (const item of items) {
    const itemWidth = 22 + textWidth(item.label, size) + 24;
    if (x > 0 && x + itemWidth > width) {
      x = 0;
      y += rowHeight;
    }
    parts.push(
      item.swatch === "dashed-line"
        ? element("line", {
            x1: x,
            y1: y + 10,
            x2: x + 16,
            y2: y + 10,
            stroke: colours.text,
            "stroke-width": 2,
            "stroke-dasharray": "4 2",
          })
        : element("rect", { x, y: y + 2, width: 16, height: 16, ...swatchPaint(item.swatch, prefix) }),
      text(x + 22, y + 15, item.label, { size }),
    );
    x += itemWidth;
  }
  return { height: y + rowHeight, svg: parts.join("") };
}

export interface FrameInput {
  /** Prefix of every id in the chart (unique in a page showing several charts). */
  prefix: string;
  title: string;
  /** Short description read by assistive technologies (`<desc>`). */
  description: string;
  /** Lines under the title: the key number of the chart, a comparison. */
  subtitle?: readonly string[];
  legend?: readonly LegendItem[];
  body: Block;
  /** The source line: who counted what, for whom. */
  source: string;
}

/**
 * The complete, self-contained SVG: width, height and viewBox set, role="img" named by its
 * <title> and described by its <desc>, a white background (for the PNG), the title drawn at the
 * top, subtitle, legend, the body, and the source at the bottom.
 */
export function frame(input: FrameInput): string {
  const inner = CHART_WIDTH - 2 * MARGIN;
  const parts: string[] = [];
  let y = MARGIN;
  const titleLines = wrap(input.title, inner, 16);
  parts.push(text(MARGIN, y + 14, titleLines, { size: 16, weight: "bold" }));
  y += 14 + (titleLines.length - 1) * lineHeight(16) + 10;
  for (const line of input.subtitle ?? []) {
    const lines = wrap(line, inner, 12);
    parts.push(text(MARGIN, y + 12, lines, { size: 12, fill: colours.axis }));
    y += 12 + (lines.length - 1) * lineHeight(12) + 6;
  }
  y += 6;
  if (input.legend && input.legend.length > 0) {
    const block = legend(input.legend, input.prefix, inner);
    parts.push(element("g", { transform: `translate(${MARGIN} ${num(y)})` }, block.svg));
    y += block.height + 8;
  }
  parts.push(element("g", { transform: `translate(${MARGIN} ${num(y)})` }, input.body.svg));
  y += input.body.height + 12;
  const sourceLines = wrap(input.source, inner, 10);
  parts.push(text(MARGIN, y + 10, sourceLines, { size: 10, fill: colours.mention }));
  y += 10 + (sourceLines.length - 1) * lineHeight(10) + MARGIN;
  const height = Math.ceil(y);

  const titleId = `${input.prefix}-title`;
  const descId = `${input.prefix}-desc`;
  return (
    `<svg${attributes({
      xmlns: "http://www.w3.org/2000/svg",
      width: CHART_WIDTH,
      height,
      viewBox: `0 0 ${CHART_WIDTH} ${height}`,
      role: "img",
      "aria-labelledby": titleId,
      "aria-describedby": descId,
      "font-family": FONT_FAMILY,
    })}>` +
    element("title", { id: titleId }, escapeXml(input.title)) +
    element("desc", { id: descId }, escapeXml(input.description)) +
    element("defs", {}, sharedDefs(input.prefix) + (input.body.defs ?? "")) +
    element("rect", { width: CHART_WIDTH, height, fill: colours.white }) +
    parts.join("") +
    "</svg>"
  );
}

/** The inner width available to a chart's body. */
export const BODY_WIDTH = CHART_WIDTH - 2 * MARGIN;
