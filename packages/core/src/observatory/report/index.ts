export { buildReport } from "./build-report.ts";
export {
  getObservatoryReport,
  type RenderedReport,
  type ReportFormat,
  renderReport,
  reportFileName,
} from "./export-report.ts";
export { renderReportHtml } from "./html.ts";
export { DEFAULT_CHROMIUM_PATH, renderReportPdf } from "./pdf.ts";
export type { ObservatoryReport } from "./report.ts";
