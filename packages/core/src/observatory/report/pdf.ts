import { existsSync } from "node:fs";
import { AppError } from "@vigie/contracts";
import { Semaphore } from "async-mutex";
import { type Browser, chromium } from "playwright-core";

// The PDF of the report: the same HTML printed by headless Chromium (A4, the report's own print
// CSS, page numbers in the footer, tagged PDF with an outline). No script runs and no request
// leaves the page.

/** Chromium's default place on Debian (`apt-get install chromium`). */
export const DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

// A Chromium takes a few hundred megabytes: at most two print at once per process.
const printers = new Semaphore(2);

const footer =
  '<div style="width:100%;font-family:Arial,sans-serif;font-size:8px;color:#555;text-align:center;">' +
  'Page <span class="pageNumber"></span> sur <span class="totalPages"></span></div>';

export interface PdfOptions {
  /** Path of the Chromium executable (configuration `CHROMIUM_PATH`). */
  chromiumPath?: string;
}

function unavailable(message: string, cause?: unknown): AppError {
  return new AppError("SERVICE_UNAVAILABLE", { message, cause });
}

/** Prints the report's HTML to PDF with headless Chromium. */
export async function renderReportPdf(html: string, options: PdfOptions = {}): Promise<Buffer> {
  const executablePath = options.chromiumPath ?? DEFAULT_CHROMIUM_PATH;
  if (!existsSync(executablePath)) {
    throw unavailable(
      `Chromium est introuvable (${executablePath}) : il est nécessaire pour produire le rapport en PDF. ` +
        "Installez-le (« apt-get install chromium ») ou indiquez son chemin dans la variable CHROMIUM_PATH. " +
        "Le rapport reste disponible en HTML.",
    );
  }
  return printers.runExclusive(async () => {
    let browser: Browser;
    try {
      browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 60_000 });
    } catch (error) {
      throw unavailable(
        `Chromium (${executablePath}) n'a pas pu être lancé pour produire le PDF : ` +
          `${error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error)}. ` +
          "Vérifiez la variable CHROMIUM_PATH ; le rapport reste disponible en HTML.",
        error,
      );
    }
    try {
      const context = await browser.newContext({ javaScriptEnabled: false, locale: "fr-FR" });
      const page = await context.newPage();
      // The report is self-contained: nothing may be fetched while printing.
      await page.route("**/*", (route) => route.abort());
      await page.setContent(html, { waitUntil: "load", timeout: 60_000 });
      const pdf = await page.pdf({
        format: "A4",
        printBackground: true,
        preferCSSPageSize: true,
        displayHeaderFooter: true,
        headerTemplate: "<span></span>",
        footerTemplate: footer,
        tagged: true,
        outline: true,
      });
      return Buffer.from(pdf);
    } finally {
      await browser.close().catch(() => undefined);
    }
  });
}
