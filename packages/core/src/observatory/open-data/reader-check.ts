import { openDataIndicators, openDataRowRelations } from "./indicators.ts";
import type { OpenDataRow } from "./table.ts";

// What a reader of the published file can recompute, written independently of the protection
// (`disclosure-control.ts`): a check to run on a file before publishing it, and the tests' attacker.

/** The key of a cell: line, indicator, modality. */
export function openDataCellKey(
  row: Pick<OpenDataRow, "niveau" | "code_region" | "indicateur" | "modalite">,
): string {
  return `${row.niveau}|${row.code_region ?? ""}|${row.indicateur}|${row.modalite}`;
}

/**
 * The equations a reader can write from the file and its documentation (cell keys): within a
 * line, each indicator with a total equals the sum of its modalities and each quarter the sum
 * of its months; each cell of the national line equals the sum of the same cell on the other
 * lines. Equations naming a cell absent from `rows` are left out.
 */
export function openDataEquations(rows: readonly OpenDataRow[]): Array<{ total: string; members: string[] }> {
  const present = new Set(rows.map(openDataCellKey));
  const lines = [
    ...new Map(
      rows.map((r) => [
        `${r.niveau}|${r.code_region ?? ""}`,
        { niveau: r.niveau, code_region: r.code_region },
      ]),
    ),
  ];
  const equations: Array<{ total: string; members: string[] }> = [];
  const at = (line: (typeof lines)[number][1], indicator: string, modality: string) =>
    openDataCellKey({ ...line, indicateur: indicator, modalite: modality });
  for (const [, line] of lines) {
    for (const indicator of openDataIndicators) {
      if (!indicator.total) continue;
      equations.push({
        total: at(line, indicator.total.indicator, indicator.total.modality),
        members: indicator.modalities.map((m) => at(line, indicator.code, m.code)),
      });
    }
    for (const relation of openDataRowRelations) {
      equations.push({
        total: at(line, relation.total.indicator, relation.total.modality),
        members: relation.members.map((m) => at(line, m.indicator, m.modality)),
      });
    }
  }
  const national = lines.find(([, line]) => line.niveau === "national");
  if (national) {
    const others = lines.filter(([, line]) => line.niveau !== "national");
    for (const indicator of openDataIndicators) {
      for (const m of indicator.modalities) {
        equations.push({
          total: at(national[1], indicator.code, m.code),
          members: others.map(([, line]) => at(line, indicator.code, m.code)),
        });
      }
    }
  }
  return equations.filter((e) => present.has(e.total) && e.members.every((m) => present.has(m)));
}

/**
 * The withheld cells a reader recomputes by subtraction (an equation whose other cells are all
 * known gives the last one), repeatedly with what was learnt. Empty for a protected file.
 */
export function recomputableWithheldCells(
  rows: readonly OpenDataRow[],
): Array<{ cell: string; value: number }> {
  const known = new Map(rows.map((r) => [openDataCellKey(r), r.valeur]));
  const equations = openDataEquations(rows);
  const found: Array<{ cell: string; value: number }> = [];
  let progress = true;
  while (progress) {
    progress = false;
    for (const eq of equations) {
      const unknown = [eq.total, ...eq.members].filter((c) => known.get(c) === null);
      if (unknown.length !== 1) continue;
      const cell = unknown[0] as string;
      const members = eq.members.reduce((sum, m) => sum + (m === cell ? 0 : (known.get(m) as number)), 0);
      const value = cell === eq.total ? members : (known.get(eq.total) as number) - members;
      known.set(cell, value);
      found.push({ cell, value });
      progress = true;
    }
  }
  return found;
}
