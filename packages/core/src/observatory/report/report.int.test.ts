import type { ObservatoryDocument } from "@vigie/contracts";
import { createTestDatabase, type TestDatabase } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importIncidentRecords } from "../../exchange/import-incidents.ts";
import { loadActivityReference } from "../activity-references.ts";
import { computeObservatory } from "../compute.ts";
import { buildReport } from "./build-report.ts";
import { renderReportHtml } from "./html.ts";
import { reportSections } from "./labels.ts";
import { type ReadReport, readReportHtml } from "./read-report-html.ts";
import { REPORT_DATASET_FACTS as facts, reportDatasetRecords } from "./report-dataset.ts";
import { valueAt } from "./rich-text.ts";

const N = "\u202f";
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const result = await importIncidentRecords(database.db, reportDatasetRecords(), { actorLabel: "test" });
  expect(result.problems).toEqual([]);
  expect(result.created).toBe(20);
});
afterAll(async () => {
  await database?.destroy();
});

/** Every marked figure equals the value at its path of the document computed for its year. */
async function expectFiguresMatch(read: ReadReport, region: string | null): Promise<number> {
  const documents = new Map<number, ObservatoryDocument>();
  for (const year of new Set(read.figures.map((f) => f.year))) {
    documents.set(year, await computeObservatory(database.db, { year, region }));
  }
  for (const figure of read.figures) {
    const doc = documents.get(figure.year) as ObservatoryDocument;
    expect(figure.value, `${figure.path} (${figure.year})`).toEqual(valueAt(doc, figure.path));
  }
  return read.figures.length;
}

describe("the yearly report built from the database", () => {
  it("writes the national report: every section, charts, and figures equal to the observatory's", async () => {
    const report = await buildReport(
      database.db,
      { year: 2023, region: null },
      new Date("2024-01-15T10:00:00Z"),
    );
    expect(report.current.incidents.declared).toBe(facts.declared[2023]);
    expect(report.previous.incidents.declared).toBe(facts.declared[2022]);
    const read = readReportHtml(renderReportHtml(report));
    expect(read.sections).toEqual([...reportSections.map((s) => s.id), "sources"]);
    expect(read.title).toBe("Observatoire des signalements d'incidents de sécurité des SI santé 2023");
    expect(report.charts.length).toBeGreaterThan(10);
    expect(read.svgCount).toBe(report.charts.length);
    expect(await expectFiguresMatch(read, null)).toBeGreaterThan(100);

    // (12 − 8) / 8 = 50 %.
    expect(read.text).toContain(`12 signalements en 2023, soit 50${N}% de plus qu'en 2022 (8).`);
    expect(read.text).toContain("Parmi eux, 2 sont hors périmètre");
    expect(read.text).toContain("dont 1 exercice de crise cyber");
    // 8 of 12 in business hours = 66.7 %.
    expect(read.text).toContain(`67${N}% des signalements ont été effectués en heures et jours ouvrés`);
    expect(read.figures).toContainEqual(
      expect.objectContaining({ path: "timing.business_hours", year: 2023, value: facts.businessHours2023 }),
    );
    // 2 ransomware attacks against 1.
    expect(read.text).toContain(
      "2 attaques par rançongiciel ont été signalées, soit 2 fois plus qu'en 2022 (1).",
    );
    expect(read.text).toContain("l'Occitanie (5), les Hauts-de-France (4) et l'Île-de-France (3)");
    expect(read.text).toContain("Aucune référence d'activité hospitalière");
  });

  it("writes a region's report with its name and its own figures", async () => {
    const report = await buildReport(database.db, { year: 2023, region: "76" });
    expect(report.region).toEqual({ code: "76", name: "Occitanie" });
    const read = readReportHtml(renderReportHtml(report));
    expect(read.title).toBe(
      "Observatoire des signalements d'incidents de sécurité des SI santé 2023 — Occitanie",
    );
    // (5 − 4) / 4 = 25 %.
    expect(read.text).toContain(
      `5 signalements en 2023 pour l'Occitanie, soit 25${N}% de plus qu'en 2022 (4).`,
    );
    expect(read.figures).toContainEqual(
      expect.objectContaining({ path: "regions.counts.76", year: 2023, value: facts.occitanie[2023] }),
    );
    await expectFiguresMatch(read, "76");
  });

  it("says so when the region declared nothing the year before", async () => {
    const read = readReportHtml(
      renderReportHtml(await buildReport(database.db, { year: 2023, region: "11" })),
    );
    expect(facts.ileDeFrance[2022]).toBe(0);
    expect(read.text).toContain("3 signalements en 2023 pour l'Île-de-France (aucune donnée pour 2022).");
    expect(read.text).toContain(
      "Aucune donnée n'est disponible pour 2022 : les évolutions ne sont pas calculées.",
    );
    await expectFiguresMatch(read, "11");
  });

  it("writes a report for a year without declarations", async () => {
    const read = readReportHtml(
      renderReportHtml(await buildReport(database.db, { year: 2030, region: null })),
    );
    expect(read.text).toContain("Aucun signalement n'a été déclaré en 2030.");
    expect(read.text).not.toMatch(/NaN|undefined|Infinity/);
    await expectFiguresMatch(read, null);
  });

  it("compares the regions with their hospital activity once a reference is loaded, and names its source", async () => {
    await loadActivityReference(database.db, "command-line", {
      referenceYear: 2022,
      source: "Parts d'activité d'essai (PMSI MCO)",
      shares: { "76": 0.09, "32": 0.08, "11": 0.18 },
    });
    const national = readReportHtml(
      renderReportHtml(await buildReport(database.db, { year: 2023, region: null })),
    );
    // 5 / 0.09 = 55.6 (the highest, 100); 4 / 0.08 = 50 → 90; 3 / 0.18 = 16.7 → 30.
    expect(national.text).toContain(
      "Rapporté à l'activité hospitalière des régions métropolitaines, l'Occitanie arrive en tête (indice 100, la référence), " +
        "devant les Hauts-de-France (indice 90) et l'Île-de-France (indice 30).",
    );
    expect(national.text).toContain(
      "Parts régionales de l'activité hospitalière : Parts d'activité d'essai (PMSI MCO) (référence 2022).",
    );
    await expectFiguresMatch(national, null);
    const regional = readReportHtml(
      renderReportHtml(await buildReport(database.db, { year: 2023, region: "76" })),
    );
    expect(regional.text).not.toContain("Parts régionales de l'activité hospitalière");
  });
});
