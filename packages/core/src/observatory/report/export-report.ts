import { AppError, type ObservatoryReportQuery } from "@vigie/contracts";
import type { Executor } from "@vigie/db";
import { type Actor, assertPermission } from "../../access/policy.ts";
import { recordAudit } from "../../audit/record-audit.ts";
import { observatoryRegionFor } from "../read-observatory.ts";
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
  assertPermission(actor, "observatory:read");
  let region: string | null;
  try {
    region = observatoryRegionFor(actor, query.region ?? null);
  } catch (error) {
    if (error instanceof AppError && error.code === "FORBIDDEN") {
      await recordAudit(
        db,
        {
          actor,
          action: "observatory.report",
          outcome: "denied",
          ip: options.ip ?? null,
          details: { year: query.year, region: query.region ?? null, format: query.format },
        },
        options.now,
      );
    }
    throw error;
  }
  const report = await buildReport(db, { year: query.year, region }, options.now);
  return renderReport(report, query.format, options);
}
