import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { type OpenDataRow, openDataColumns } from "./table.ts";

/** The names of the two files of a year's open data. */
export function openDataFileNames(year: number): { csv: string; schema: string } {
  return { csv: `observatoire-${year}.csv`, schema: `observatoire-${year}.schema.json` };
}

/**
 * The open-data CSV: UTF-8 without byte order mark, comma-separated, a header line with the
 * column names, one line per row ending with `\n`, fields quoted only when needed (RFC 4180);
 * a null (withheld `valeur`, national `code_region`) is an empty field.
 */
export function openDataCsv(rows: readonly OpenDataRow[]): string {
  return stringify(
    rows.map((row) => openDataColumns.map((column) => row[column])),
    { header: true, columns: [...openDataColumns], record_delimiter: "\n" },
  );
}

/**
 * Reads an open-data CSV as its JSON Schema describes the lines: objects keyed by the header's
 * column names, empty fields as null, `annee` and `valeur` as integers. The result is not
 * checked: validate it against `openDataJsonSchema()`.
 */
export function readOpenDataCsv(csv: string): Array<Record<string, unknown>> {
  const records = parse(csv, { columns: true }) as Array<Record<string, string>>;
  return records.map((record) =>
    Object.fromEntries(
      Object.entries(record).map(([column, text]) => {
        if (text === "") return [column, null];
        if (column === "annee" || column === "valeur")
          return [column, /^-?\d+$/.test(text) ? Number(text) : text];
        return [column, text];
      }),
    ),
  );
}
