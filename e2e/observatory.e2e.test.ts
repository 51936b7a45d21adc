import { readFile } from "node:fs/promises";
import { IncidentRecordSchema, type ObservatoryDocument } from "@vigie/contracts";
import { importIncidentRecords } from "@vigie/core";
import type { Download, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserAvailable,
  expectAccessible,
  expectNoProblems,
  expectText,
  type Harness,
  screenshot,
  signIn,
  startHarness,
  visible,
} from "./harness.ts";

// The observatory (decision 0010): the report's charts drawn by the server from the data,
// each with its definition, data table and downloads (SVG, PNG, CSV); an ARS sees its region.

const currentYear = Number(
  new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", year: "numeric" }).format(),
);
const year = currentYear - 1;
const before = currentYear - 2;
const MONTHS = [
  "Janvier",
  "Février",
  "Mars",
  "Avril",
  "Mai",
  "Juin",
  "Juillet",
  "Août",
  "Septembre",
  "Octobre",
  "Novembre",
  "Décembre",
];

/** A chart's block on the page, by its id. */
const chartBlock = (page: Page, id: string): Locator =>
  page.locator(`section[aria-labelledby="graphique-${id}"]`);

/** The text of every cell of a table's body, row by row. */
async function tableRows(table: Locator): Promise<string[][]> {
  return table
    .locator("tbody tr")
    .evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll("th, td")].map((cell) => (cell.textContent ?? "").trim())),
    );
}

async function downloaded(page: Page, button: Locator): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent("download"), button.click()]);
  const path = await download.path();
  return { download, bytes: await readFile(path) };
}

describe.skipIf(!browserAvailable)("l'observatoire", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    const { home, ehpad, lyon, lab } = h.structures;
    const structure = (s: { finessEt: string; name: string }, type: string, region: string) => ({
      finess_et: s.finessEt,
      name: s.name,
      type,
      region,
    });
    const records = [
      // Last year: three in Île-de-France, two in Auvergne-Rhône-Alpes.
      {
        reference: `CS-${year}-000001`,
        declared_at: `${year}-01-10T10:00:00+01:00`,
        structure: structure(home, "es_public", "11"),
        origin: "malicious",
        malicious_types: ["ransomware"],
        operational_impact: "degraded_care",
        data_impacts: ["data_loss_or_unavailability"],
        support_requested: true,
      },
      {
        reference: `CS-${year}-000002`,
        declared_at: `${year}-02-14T15:30:00+01:00`,
        structure: structure(home, "es_public", "11"),
        origin: "malicious",
        malicious_types: ["account_compromise"],
        data_impacts: ["personal_info_disclosure"],
        data_types: ["personal_other"],
      },
      {
        reference: `CS-${year}-000003`,
        declared_at: `${year}-02-20T22:10:00+01:00`,
        structure: structure(ehpad, "esms", "11"),
        origin: "non_malicious",
        non_malicious_types: ["telecom_loss"],
        data_impacts: ["none"],
      },
      {
        reference: `CS-${year}-000004`,
        declared_at: `${year}-06-03T09:45:00+02:00`,
        structure: structure(lyon, "es_public", "84"),
        origin: "non_malicious",
        non_malicious_types: ["application_bug"],
        operational_impact: "degraded_support",
      },
      {
        reference: `CS-${year}-000005`,
        declared_at: `${year}-11-21T11:00:00+01:00`,
        structure: structure(lab, "lbm", "84"),
        out_of_scope: true,
        out_of_scope_reason: "not_health_is",
      },
      // The year before: two.
      {
        reference: `CS-${before}-000001`,
        declared_at: `${before}-01-05T10:00:00+01:00`,
        structure: structure(home, "es_public", "11"),
        origin: "malicious",
        malicious_types: ["ransomware"],
      },
      {
        reference: `CS-${before}-000002`,
        declared_at: `${before}-09-12T14:00:00+02:00`,
        structure: structure(lyon, "es_public", "84"),
        origin: "non_malicious",
        non_malicious_types: ["infrastructure_failure"],
      },
    ].map((r) => IncidentRecordSchema.parse({ tlp: "green", ...r }));
    const report = await importIncidentRecords(h.database.db, records);
    expect(report.problems).toEqual([]);
    expect(report.created).toBe(7);
  });
  afterAll(async () => {
    await h?.close();
  });

  // Twenty inline charts make axe's pass long on a loaded machine: these journeys get more time.
  it("le CERT lit les graphiques d'une année, leurs données et les télécharge", {
    timeout: 240_000,
  }, async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await signIn(page, h.users.cert_lead);
    await page
      .locator("#en-tete-main-navigation")
      .getByRole("link", { name: "Observatoire", exact: true })
      .click();
    await expectText(page.getByRole("heading", { level: 1 }), "Observatoire des signalements");

    // This year: nothing declared yet, said in words.
    await expectText(page.locator("#observatory-status"), `France entière, ${currentYear} : 0 déclaration.`);
    await visible(page.getByText(`Aucune déclaration reçue en ${currentYear} pour ce périmètre`));
    expect(await page.locator("#observatory-year").inputValue()).toBe(String(currentYear));
    await expectAccessible(page, "observatoire, année sans déclaration");

    // Last year, chosen with the filter.
    await page.locator("#observatory-year").selectOption(String(year));
    await page.getByRole("button", { name: "Afficher" }).click();
    await expectText(page.locator("#observatory-status"), `France entière, ${year} : 5 déclarations.`);
    expect(new URL(page.url()).searchParams.get("annee")).toBe(String(year));

    // The same figures as the observatory's JSON document.
    const json = async (y: number): Promise<ObservatoryDocument> => {
      const response = await page.request.get(`/api/v1/observatory?year=${y}`);
      expect(response.status(), await response.text()).toBe(200);
      return (await response.json()) as ObservatoryDocument;
    };
    const doc = await json(year);
    const previous = await json(before);
    expect(doc.incidents.declared).toBe(5);
    expect(previous.incidents.declared).toBe(2);

    const declared = page.locator(".vigie-obs-kpis > div").filter({ hasText: /^Déclarations reçues/ });
    await expectText(declared.locator(".vigie-obs-kpis__value"), String(doc.incidents.declared));
    await expectText(
      declared.locator(".vigie-obs-kpis__previous"),
      `${before} : ${previous.incidents.declared}`,
    );
    const structures = page.locator(".vigie-obs-kpis > div").filter({ hasText: /^Structures déclarantes/ });
    await expectText(structures.locator(".vigie-obs-kpis__value"), String(doc.declarants.distinct));

    const months = chartBlock(page, "declarations-by-month");
    await expectText(months.getByRole("heading", { level: 3 }), `Nombre de signalements par mois en ${year}`);
    const svg = months.locator('svg[role="img"]');
    await visible(svg);
    expect(await svg.locator("title").textContent()).toBe(`Nombre de signalements par mois en ${year}`);
    const monthTable = months.locator("table");
    expect(await monthTable.locator("caption").textContent()).toBe(
      `Déclarations par mois, ${before} et ${year}`,
    );
    const monthRows = await tableRows(monthTable);
    expect(monthRows).toHaveLength(13);
    MONTHS.forEach((month, m) => {
      expect(monthRows[m]).toEqual([
        month,
        String(previous.incidents.by_month[m]),
        String(doc.incidents.by_month[m]),
      ]);
    });
    expect(monthRows[12]).toEqual(["Total", "2", "5"]);
    expect(doc.incidents.by_month[1]).toBe(2);

    const regionRows = await tableRows(chartBlock(page, "regions-counts").locator("table"));
    const idf = regionRows.find((r) => r[0] === "Île-de-France");
    expect(idf?.slice(1, 3)).toEqual([
      String(previous.regions.counts["11"]),
      String(doc.regions.counts["11"]),
    ]);
    expect(doc.regions.counts["11"]).toBe(3);
    const originRows = await tableRows(chartBlock(page, "origin").locator("table"));
    expect(originRows.find((r) => r[0] === "Malveillante")?.[2]).toBe(String(doc.origin.counts.malicious));

    // Every chart has its definition and population under it.
    const figures = page.locator("figure.vigie-obs-figure");
    expect(await figures.count()).toBeGreaterThanOrEqual(19);
    await visible(months.locator("figcaption").getByText(/^Population :/));

    // The report, in both formats, for the year shown.
    const html = page.getByRole("link", { name: "Rapport annuel (HTML)" });
    expect(await html.getAttribute("href")).toBe(`/api/observatory/report?year=${year}&format=html`);
    expect(await page.getByRole("link", { name: "Rapport annuel (PDF)" }).getAttribute("href")).toBe(
      `/api/observatory/report?year=${year}&format=pdf`,
    );

    // Downloads: the SVG as sent, a PNG drawn from it, the CSV of the table.
    const svgFile = await downloaded(page, months.getByRole("button", { name: /^Image SVG/ }));
    expect(svgFile.download.suggestedFilename()).toBe(
      `observatoire-${year}-national-declarations-by-month.svg`,
    );
    const svgText = svgFile.bytes.toString("utf8");
    expect(svgText.startsWith("<svg")).toBe(true);
    expect(svgText).toContain(
      `<title id="obs-declarations-by-month-title">Nombre de signalements par mois en ${year}</title>`,
    );

    const pngFile = await downloaded(page, months.getByRole("button", { name: /^Image PNG/ }));
    expect(pngFile.download.suggestedFilename()).toBe(
      `observatoire-${year}-national-declarations-by-month.png`,
    );
    expect([...pngFile.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // IHDR: twice the SVG's 760 units wide.
    expect(pngFile.bytes.readUInt32BE(16)).toBe(1520);
    expect(pngFile.bytes.length).toBeGreaterThan(5000);

    const csvFile = await downloaded(page, months.getByRole("button", { name: /^Données CSV/ }));
    expect(csvFile.download.suggestedFilename()).toBe(
      `observatoire-${year}-national-declarations-by-month.csv`,
    );
    expect([...csvFile.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csvFile.bytes.toString("utf8").slice(1).trimEnd().split("\r\n");
    expect(lines).toHaveLength(14);
    expect(lines[0]).toBe(`Mois;${before};${year}`);
    expect(lines[1]).toBe(`Janvier;${previous.incidents.by_month[0]};${doc.incidents.by_month[0]}`);
    expect(lines[2]).toBe(`Février;0;2`);
    expect(lines[13]).toBe("Total;2;5");

    // The data table opens from its disclosure; the page stays accessible.
    await months.getByRole("button", { name: /^Tableau des données/ }).click();
    await visible(monthTable);
    await screenshot(page, "observatoire-01-national");
    await expectAccessible(page, "observatoire national");

    // A region the CERT chooses.
    await page.locator("#observatory-region").selectOption("84");
    await page.getByRole("button", { name: "Afficher" }).click();
    await expectText(page.locator("#observatory-status"), `Auvergne-Rhône-Alpes, ${year} : 2 déclarations.`);
    expect(await chartBlock(page, "regions-counts").count()).toBe(0);
    expect(await page.getByRole("link", { name: "Rapport annuel (PDF)" }).getAttribute("href")).toBe(
      `/api/observatory/report?year=${year}&format=pdf&region=84`,
    );
    expectNoProblems(watched);
    await watched.context.close();
  });

  it("l'ARS ne consulte que sa région", { timeout: 240_000 }, async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await signIn(page, h.users.ars);
    await page
      .locator("#en-tete-main-navigation")
      .getByRole("link", { name: "Observatoire", exact: true })
      .click();
    await expectText(page.getByRole("heading", { level: 1 }), "Observatoire des signalements");
    // Its region is shown, not offered for choice.
    await expectText(page.locator("#observatory-own-region"), "Île-de-France");
    expect(await page.locator("#observatory-region").count()).toBe(0);
    await page.locator("#observatory-year").selectOption(String(year));
    await page.getByRole("button", { name: "Afficher" }).click();
    await expectText(page.locator("#observatory-status"), `Île-de-France, ${year} : 3 déclarations.`);
    const months = await tableRows(chartBlock(page, "declarations-by-month").locator("table"));
    expect(months[12]).toEqual(["Total", "1", "3"]);
    expect(await chartBlock(page, "regions-counts").count()).toBe(0);
    await visible(
      chartBlock(page, "origin")
        .getByText(/structures de la région Île-de-France/)
        .first(),
    );

    // Another region's charts are refused, whatever the address asks.
    const other = await page.request.get(`/api/observatory/charts?year=${year}&region=84`);
    expect(other.status()).toBe(403);
    await page.goto(`/observatoire?annee=${year}&region=84`);
    await expectText(page.locator("#observatory-status"), `Île-de-France, ${year} : 3 déclarations.`);
    await screenshot(page, "observatoire-02-ars");
    await expectAccessible(page, "observatoire de l'ARS");
    expectNoProblems(watched);
    await watched.context.close();
  });
});
