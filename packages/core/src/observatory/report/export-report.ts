import type { ObservatoryReportQuery } from "@vigie/contracts";
import type { Executor } from "@vigie/db";
import type { Actor } from "../../access/policy.ts";
import { authorizeObservatoryRegion } from "../read-observatory.ts";
import { buildReport } from "./build-report.ts";
import { renderReportHtml } from "./html.ts";
import { renderReportPdf } from "./pdf.ts";
import type { ObservatoryReport } from "./report.ts";

export type ReportFormat = "html" | "pdf";

/** A rendered report, ready to be written to a file or sent. */
export interface RenderedReport {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** "provence-alpes-cote-d-azur": lower case ASCII words joined by hyphens. */
function slug(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** `observatoire-2023.pdf`, `observatoire-2023-occitanie.html`. */
export function reportFileName(
  report: Pick<ObservatoryReport, "year" | "region">,
  format: ReportFormat,
): string {
  const region = report.region ? `-${slug(report.region.name) || report.region.code}` : "";
  return `observatoire-${report.year}${region}.${format}`;
}

/** Renders a built report in a format. */
export async function renderReport(
  report: ObservatoryReport,
  format: ReportFormat,
  options: { chromiumPath?: string } = {},
): Promise<RenderedReport> {
  const html = renderReportHtml(report);
  const fileName = reportFileName(report, format);
  if (format === "html") {
    return { fileName, contentType: "text/html; charset=utf-8", content: Buffer.from(html, "utf8") };
  }
  const pdf = await renderReportPdf(html, { chromiumPath: options.chromiumPath });
  return { fileName, contentType: "application/pdf", content: pdf };
}

/**
 * `GET /api/observatory/report`: `observatory:read`; the region is the observatory's own rule
 * (`observatoryRegionFor`: an ARS its region only, decision 0010); a refusal is audited.
 */
export async function getObservatoryReport(
  db: Executor,
  actor: Actor | null,
  query: ObservatoryReportQuery,
  options: { chromiumPath?: string; now?: Date; ip?: string | null } = {},
): Promise<RenderedReport> {
  const region = await authorizeObservatoryRegion(db, actor, query, {
    action: "observatory.report",
    details: { format: query.format },
    now: options.now,
    ip: options.ip,
  });
  const report = await buildReport(db, { year: query.year, region }, options.now);
  return renderReport(report, query.format, options);
}
