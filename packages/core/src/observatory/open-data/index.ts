export { openDataCsv, openDataFileNames, readOpenDataCsv } from "./csv.ts";
export { DISCLOSURE_THRESHOLD, protectTable } from "./disclosure-control.ts";
export {
  computeOpenDataRows,
  exportOpenData,
  getOpenDataCsv,
  getOpenDataSchema,
  type OpenDataFiles,
} from "./export.ts";
export { openDataIndicators } from "./indicators.ts";
export { OPEN_DATA_SCHEMA_ID, openDataJsonSchema } from "./json-schema.ts";
export { openDataCellKey, openDataEquations, recomputableWithheldCells } from "./reader-check.ts";
export { buildOpenDataRows, type OpenDataRow, type OpenDataSource, openDataColumns } from "./table.ts";
