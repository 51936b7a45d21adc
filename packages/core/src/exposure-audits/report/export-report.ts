import type { Executor } from "@vigie/db";
import type { Actor } from "../../access/policy.ts";
import { renderReportPdf } from "../../observatory/report/pdf.ts";
import { buildAuditReport } from "./build-report.ts";
import { renderAuditReportHtml } from "./html.ts";

export type AuditReportFormat = "html" | "pdf";

/** A rendered audit report, ready to be sent or written. */
export interface RenderedAuditReport {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** `audit-exposition-<structure>-<date>.html`. */
export function auditReportFileName(
  report: { structureName: string; finishedAt: string | null; scheduledFor: string },
  format: AuditReportFormat,
): string {
  const slug = report.structureName
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  const date = (report.finishedAt ?? report.scheduledFor).slice(0, 10);
  return `audit-exposition-${slug || "structure"}-${date}.${format}`;
}

/** The report of an audit as HTML or PDF (headless Chromium, `CHROMIUM_PATH`). */
export async function exportAuditReport(
  db: Executor,
  actor: Actor | null,
  auditId: string,
  format: AuditReportFormat,
  options: { chromiumPath?: string; now?: Date } = {},
): Promise<RenderedAuditReport> {
  const report = await buildAuditReport(db, actor, auditId, options.now);
  const html = renderAuditReportHtml(report);
  const fileName = auditReportFileName(report, format);
  if (format === "html") {
    return { fileName, contentType: "text/html; charset=utf-8", content: Buffer.from(html, "utf8") };
  }
  const pdf = await renderReportPdf(html, options.chromiumPath ? { chromiumPath: options.chromiumPath } : {});
  return { fileName, contentType: "application/pdf", content: pdf };
}
