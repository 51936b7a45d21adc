import { existsSync } from "node:fs";
import { AppError } from "@vigie/contracts";
import { createTestDatabase, type TestDatabase } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importIncidentRecords } from "../../exchange/import-incidents.ts";
import { buildReport } from "./build-report.ts";
import { renderReportHtml } from "./html.ts";
import { DEFAULT_CHROMIUM_PATH, renderReportPdf } from "./pdf.ts";
import { reportDatasetRecords } from "./report-dataset.ts";

// Needs Chromium (/usr/bin/chromium, or VIGIE_CHROMIUM): in CI its absence fails the suite.
const chromiumPath = process.env.VIGIE_CHROMIUM ?? DEFAULT_CHROMIUM_PATH;
const chromium = existsSync(chromiumPath);
if (!chromium && process.env.CI === "true") throw new Error(`Chromium introuvable (${chromiumPath}).`);

/** Pages of a PDF as Chromium writes them (page objects are not compressed). */
function pageCount(pdf: Buffer): number {
  return (pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

let database: TestDatabase;
let html = "";

beforeAll(async () => {
  database = await createTestDatabase();
  await importIncidentRecords(database.db, reportDatasetRecords(), { actorLabel: "test" });
  html = renderReportHtml(await buildReport(database.db, { year: 2023, region: null }));
});
afterAll(async () => {
  await database?.destroy();
});

describe("the report as PDF", () => {
  it.skipIf(!chromium)("is printed by Chromium on several pages", async () => {
    const pdf = await renderReportPdf(html, { chromiumPath });
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    // A cover, then one page at least per section of chapter 4 (print CSS page breaks).
    expect(pageCount(pdf)).toBeGreaterThan(12);
    // The document's title is the report's.
    expect(pdf.toString("latin1")).toContain("/Title");
  });

  it("refuses in French, naming CHROMIUM_PATH, when Chromium is missing", async () => {
    const missing = "/chemin/inexistant/chromium";
    const error = await renderReportPdf(html, { chromiumPath: missing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("SERVICE_UNAVAILABLE");
    expect((error as AppError).message).toContain(`Chromium est introuvable (${missing})`);
    expect((error as AppError).message).toContain("CHROMIUM_PATH");
  });

  it("refuses in French when the executable is not a browser", async () => {
    const error = await renderReportPdf(html, { chromiumPath: "/bin/false" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/^Chromium \(\/bin\/false\) n'a pas pu être lancé/);
  });
});
