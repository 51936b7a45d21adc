// The kinds of chart the observatory draws: horizontal bars (long category names), grouped
// columns (months, quarters, years), the day × hour heat map, the tile map of the regions and
// the key figures. Each returns a Block for `frame`; every value is written, never shown by
// colour alone.

import {
  type Block,
  BODY_WIDTH,
  colours,
  element,
  formatCount,
  lineHeight,
  type Swatch,
  scaleFill,
  swatchPaint,
  text,
  textOn,
  textWidth,
  wrap,
} from "./svg.ts";

export interface Series {
  label: string;
  /** Written before each value when there are several series (« 2022 : 50 »). */
  short?: string;
  swatch: Swatch;
}

export type BarRow =
  | { kind: "bar"; label: string; values: readonly number[]; valueLabels: readonly string[] }
  | { kind: "heading"; label: string };

/** A step of an axis: 1, 2 or 5 times a power of ten, about `target` steps up to max. */
export function niceStep(max: number, target = 5): number {
  if (max <= 0) return 1;
  const raw = max / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  return Math.max(1, step);
}

/** Horizontal bars, one row per category, one bar per series, the value written after each bar. */
export function horizontalBars(input: {
  prefix: string;
  series: readonly Series[];
  rows: readonly BarRow[];
  labelWidth?: number;
}): Block {
  const { series, rows, prefix } = input;
  const size = 12;
  const labelWidth = input.labelWidth ?? 270;
  const several = series.length > 1;
  const valueText = (row: Extract<BarRow, { kind: "bar" }>, i: number): string => {
    const written = row.valueLabels[i] ?? formatCount(row.values[i] ?? 0);
    const s = series[i];
    return several && s ? `${s.short ?? s.label} : ${written}` : written;
  };
  let valueSpace = 0;
  let max = 0;
  for (const row of rows) {
    if (row.kind !== "bar") continue;
    row.values.forEach((v, i) => {
      max = Math.max(max, v);
      valueSpace = Math.max(valueSpace, textWidth(valueText(row, i), size));
    });
  }
  const plotX = labelWidth + 12;
  const plotWidth = Math.max(80, BODY_WIDTH - plotX - valueSpace - 8);
  const barHeight = several ? 14 : 18;
  const barGap = 3;
  const parts: string[] = [];
  let y = 0;
  for (const row of rows) {
    if (row.kind === "heading") {
      const lines = wrap(row.label, BODY_WIDTH, 13);
      parts.push(text(0, y + 16, lines, { size: 13, weight: "bold" }));
      y += 16 + (lines.length - 1) * lineHeight(13) + 10;
      continue;
    }
    const lines = wrap(row.label, labelWidth, size);
    const labelHeight = 12 + (lines.length - 1) * lineHeight(size) + 4;
    const barsHeight = series.length * barHeight + (series.length - 1) * barGap;
    const rowHeight = Math.max(labelHeight, barsHeight);
    parts.push(text(0, y + 12, lines, { size }));
    series.forEach((s, i) => {
      const value = row.values[i] ?? 0;
      const length = max > 0 ? (value / max) * plotWidth : 0;
      const barY = y + i * (barHeight + barGap);
      if (length > 0) {
        parts.push(
          element("rect", {
            x: plotX,
            y: barY,
            width: Math.max(1, length),
            height: barHeight,
            ...swatchPaint(s.swatch, prefix),
          }),
        );
      }
      parts.push(text(plotX + length + 6, barY + barHeight / 2 + 4, valueText(row, i), { size }));
    });
    y += rowHeight + 12;
  }
  const height = Math.max(0, y - 4);
  parts.push(
    element("line", {
      x1: plotX,
      y1: 0,
      x2: plotX,
      y2: height,
      stroke: colours.axis,
      "stroke-width": 1,
    }),
  );
  return { height, svg: parts.join("") };
}

export interface ColumnGroup {
  label: string;
  values: readonly number[];
}

/**
 * Grouped vertical columns (a series per year, oldest first), the value above each column, a
 * light grid with its scale, the category names under the axis; optionally a dashed mean line.
 */
export function groupedColumns(input: {
  prefix: string;
  series: readonly Series[];
  groups: readonly ColumnGroup[];
  /** A dashed line at this value (named in the chart's legend). */
  mean?: number;
  plotHeight?: number;
}): Block {
  const { series, groups, prefix } = input;
  const plotHeight = input.plotHeight ?? 220;
  const axisWidth = 44;
  const plotWidth = BODY_WIDTH - axisWidth;
  const max = Math.max(0, ...groups.flatMap((g) => g.values), input.mean ?? 0);
  const step = niceStep(max);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const top0 = 20; // room for the values above the highest column
  const yOf = (v: number): number => top0 + plotHeight - (v / top) * plotHeight;
  const groupWidth = plotWidth / Math.max(1, groups.length);
  const columnWidth = Math.min(30, (groupWidth - 10) / Math.max(1, series.length));
  const valueSize = groups.length * series.length > 20 && max >= 1000 ? 8 : 10;
  const parts: string[] = [];

  for (let tick = 0; tick <= top; tick += step) {
    const y = yOf(tick);
    parts.push(
      element("line", {
        x1: axisWidth,
        y1: y,
        x2: BODY_WIDTH,
        y2: y,
        stroke: tick === 0 ? colours.axis : colours.grid,
        "stroke-width": 1,
      }),
      text(axisWidth - 6, y + 4, formatCount(tick), { size: 10, anchor: "end", fill: colours.mention }),
    );
  }

  let labelLines = 1;
  groups.forEach((group, g) => {
    const groupX = axisWidth + g * groupWidth;
    const columnsX = groupX + (groupWidth - columnWidth * series.length) / 2;
    series.forEach((s, i) => {
      const value = group.values[i] ?? 0;
      const x = columnsX + i * columnWidth;
      const y = yOf(value);
      if (value > 0) {
        parts.push(
          element("rect", {
            x: x + 1,
            y,
            width: columnWidth - 2,
            height: top0 + plotHeight - y,
            ...swatchPaint(s.swatch, prefix),
          }),
        );
      }
      parts.push(
        text(x + columnWidth / 2, y - 4, formatCount(value), {
          size: valueSize,
          anchor: "middle",
          weight: "bold",
        }),
      );
    });
    const lines = wrap(group.label, groupWidth - 6, 11);
    labelLines = Math.max(labelLines, lines.length);
    parts.push(text(groupX + groupWidth / 2, top0 + plotHeight + 16, lines, { size: 11, anchor: "middle" }));
  });

  if (input.mean !== undefined && input.mean > 0) {
    const y = yOf(input.mean);
    parts.push(
      element("line", {
        x1: axisWidth,
        y1: y,
        x2: BODY_WIDTH,
        y2: y,
        stroke: colours.text,
        "stroke-width": 1.5,
        "stroke-dasharray": "6 4",
      }),
    );
  }
  return {
    height: top0 + plotHeight + 16 + (labelLines - 1) * lineHeight(11) + 6,
    svg: parts.join(""),
  };
}

/**
 * A scale legend: white for zero, then up to four shades, each with the highest value it stands
 * for (counts: whole numbers, each written once; with a maximum of 3, the shades of 1, 2 and 3).
 */
function scaleLegend(
  max: number,
  y: number,
  format: (v: number) => string,
  integer: boolean,
): { svg: string; height: number } {
  const parts: string[] = [];
  let x = 0;
  parts.push(text(0, y + 12, "Échelle :", { size: 11 }));
  x += 62;
  const swatches: Array<{ fill: string; label: string }> = [{ fill: colours.white, label: format(0) }];
  const bounds = max <= 0 ? [] : [0.25, 0.5, 0.75, 1].map((t) => (integer ? Math.ceil(t * max) : t * max));
  for (const bound of [...new Set(bounds)]) {
    swatches.push({ fill: scaleFill(bound, max), label: `≤ ${format(bound)}` });
  }
  for (const s of swatches) {
    parts.push(
      element("rect", {
        x,
        y: y + 1,
        width: 16,
        height: 14,
        fill: s.fill,
        stroke: colours.border,
        "stroke-width": 1,
      }),
      text(x + 21, y + 12, s.label, { size: 11 }),
    );
    x += 21 + textWidth(s.label, 11) + 16;
  }
  return { svg: parts.join(""), height: 20 };
}

/** The heat map: a row per weekday, a column per hour, the count written in each cell. */
export function heatmap(input: {
  rows: ReadonlyArray<{ label: string; values: readonly number[] }>;
  columnLabels: readonly string[];
}): Block {
  const labelWidth = 76;
  const columns = input.columnLabels.length;
  const cellWidth = (BODY_WIDTH - labelWidth) / Math.max(1, columns);
  const cellHeight = 24;
  const headerHeight = 18;
  const max = Math.max(0, ...input.rows.flatMap((r) => r.values));
  const parts: string[] = [];
  input.columnLabels.forEach((label, c) => {
    parts.push(
      text(labelWidth + c * cellWidth + cellWidth / 2, 12, label, {
        size: 10,
        anchor: "middle",
        fill: colours.mention,
      }),
    );
  });
  input.rows.forEach((row, r) => {
    const y = headerHeight + r * cellHeight;
    parts.push(text(0, y + cellHeight / 2 + 4, row.label, { size: 11 }));
    row.values.forEach((value, c) => {
      const x = labelWidth + c * cellWidth;
      const fill = scaleFill(value, max);
      parts.push(
        element("rect", {
          x,
          y,
          width: cellWidth,
          height: cellHeight,
          fill,
          stroke: colours.white,
          "stroke-width": 1,
        }),
        text(x + cellWidth / 2, y + cellHeight / 2 + 4, formatCount(value), {
          size: value >= 1000 ? 8 : 10,
          anchor: "middle",
          fill: value > 0 ? textOn(fill) : colours.mention,
        }),
      );
    });
  });
  const gridBottom = headerHeight + input.rows.length * cellHeight;
  parts.push(
    element("rect", {
      x: labelWidth,
      y: headerHeight,
      width: cellWidth * columns,
      height: input.rows.length * cellHeight,
      fill: "none",
      stroke: colours.border,
      "stroke-width": 1,
    }),
  );
  const scale = scaleLegend(max, gridBottom + 12, formatCount, true);
  parts.push(scale.svg);
  return { height: gridBottom + 12 + scale.height, svg: parts.join("") };
}

export interface Tile {
  label: string;
  /** Column and row in the grid (approximate geography). */
  col: number;
  row: number;
  value: number | null;
  /** What is written under the name (the value, or why there is none). */
  valueLabel: string;
}

/**
 * The tile map of the regions: one square per region at its approximate place (no map shapes
 * are shipped), shaded by its value, its name and value written in it; the overseas regions on
 * a row of their own under a heading.
 */
export function tileMap(input: {
  tiles: readonly Tile[];
  /** Rows from this one on are drawn under the « Outre-mer » heading. */
  overseasFromRow?: number;
  format: (value: number) => string;
  /** Values are counts (the scale's bounds are whole numbers). */
  integer: boolean;
}): Block {
  const tileWidth = 132;
  const tileHeight = 74;
  const gap = 6;
  const columns = Math.max(1, ...input.tiles.map((t) => t.col + 1));
  const offsetX = (BODY_WIDTH - columns * (tileWidth + gap) + gap) / 2;
  const max = Math.max(0, ...input.tiles.map((t) => t.value ?? 0));
  const overseasRow = input.overseasFromRow ?? Number.POSITIVE_INFINITY;
  const overseasGap = 30;
  const yOf = (row: number): number => row * (tileHeight + gap) + (row >= overseasRow ? overseasGap : 0);
  const parts: string[] = [];
  let bottom = 0;
  for (const tile of input.tiles) {
    const x = offsetX + tile.col * (tileWidth + gap);
    const y = yOf(tile.row);
    const fill = tile.value === null ? colours.white : scaleFill(tile.value, max);
    const ink = tile.value === null || tile.value <= 0 ? colours.text : textOn(fill);
    parts.push(
      element("rect", {
        x,
        y,
        width: tileWidth,
        height: tileHeight,
        rx: 4,
        fill,
        stroke: colours.border,
        "stroke-width": 1,
        "stroke-dasharray": tile.value === null ? "4 3" : undefined,
      }),
      text(x + 8, y + 16, wrap(tile.label, tileWidth - 16, 11).slice(0, 3), { size: 11, fill: ink }),
      text(x + 8, y + tileHeight - 10, tile.valueLabel, { size: 16, weight: "bold", fill: ink }),
    );
    bottom = Math.max(bottom, y + tileHeight);
  }
  if (Number.isFinite(overseasRow) && input.tiles.some((t) => t.row >= overseasRow)) {
    const y = yOf(overseasRow) - 10;
    parts.push(text(offsetX, y, "Outre-mer", { size: 12, weight: "bold" }));
  }
  const scale = scaleLegend(max, bottom + 12, input.format, input.integer);
  parts.push(scale.svg);
  return { height: bottom + 12 + scale.height, svg: parts.join("") };
}

export interface KeyFigure {
  label: string;
  value: string;
  /** « 2022 : 592 », when the previous year is known. */
  previous?: string;
}

/** The key figures as tiles: the label, the value in large type, the previous year's under it. */
export function keyFigureTiles(figures: readonly KeyFigure[], columns = 4): Block {
  const gap = 8;
  const tileWidth = (BODY_WIDTH - (columns - 1) * gap) / columns;
  const labelSize = 12;
  const wrapped = figures.map((f) => wrap(f.label, tileWidth - 20, labelSize));
  const maxLines = Math.max(1, ...wrapped.map((l) => l.length));
  const labelHeight = 14 + (maxLines - 1) * lineHeight(labelSize);
  const tileHeight = labelHeight + 62;
  const parts: string[] = [];
  figures.forEach((figure, i) => {
    const x = (i % columns) * (tileWidth + gap);
    const y = Math.floor(i / columns) * (tileHeight + gap);
    parts.push(
      element("rect", {
        x,
        y,
        width: tileWidth,
        height: tileHeight,
        fill: colours.white,
        stroke: colours.border,
        "stroke-width": 1,
      }),
      element("rect", { x, y, width: 4, height: tileHeight, fill: colours.blue }),
      text(x + 12, y + 18, wrapped[i] ?? [figure.label], { size: labelSize }),
      text(x + 12, y + labelHeight + 34, figure.value, { size: 24, weight: "bold", fill: colours.blue }),
    );
    if (figure.previous) {
      parts.push(text(x + 12, y + tileHeight - 10, figure.previous, { size: 11, fill: colours.mention }));
    }
  });
  const rows = Math.ceil(figures.length / columns);
  return { height: rows * tileHeight + (rows - 1) * gap, svg: parts.join("") };
}
