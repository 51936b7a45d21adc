export { AUDIT_PAGE_SIZE, type AuditReport, buildAuditReport, listAudits } from "./build-report.ts";
export {
  type AuditReportFormat,
  auditReportFileName,
  exportAuditReport,
  type RenderedAuditReport,
} from "./export-report.ts";
export { renderAuditReportHtml } from "./html.ts";
