import { type ObservatoryChart, ObservatoryChartSchema, ObservatoryDocumentSchema } from "@vigie/contracts";
import { describe, expect, it } from "vitest";
import { observatoryCharts } from "../charts/charts.ts";
import { emptyObservatoryDocument } from "../document-fixture.ts";
import { escapeHtml, renderReportHtml } from "./html.ts";
import { keyFigureDefinitions } from "./key-figures.ts";
import { reportSections } from "./labels.ts";
import { readReportHtml } from "./read-report-html.ts";
import type { ObservatoryReport } from "./report.ts";
import { valueAt } from "./rich-text.ts";
import { sample2022, sample2023 } from "./sample-documents.ts";

const regionNames = { "76": "Occitanie", "52": "Pays de la Loire", "11": "Île-de-France" };

function report(overrides: Partial<ObservatoryReport> = {}): ObservatoryReport {
  const current = ObservatoryDocumentSchema.parse(sample2023());
  const previous = ObservatoryDocumentSchema.parse(sample2022());
  return {
    year: 2023,
    previousYear: 2022,
    region: null,
    regionNames,
    current,
    previous,
    charts: observatoryCharts(current, [previous], { regionNames }),
    activityReference: { referenceYear: 2022, source: "PMSI MCO 2022 (ATIH)" },
    generatedAt: new Date("2024-02-01T09:30:00Z"),
    ...overrides,
  };
}

describe("the report's HTML", () => {
  it("is one self-contained French document: no script, no external resource", () => {
    const html = renderReportHtml(report());
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    const read = readReportHtml(html); // throws unless well-formed
    expect(read.lang).toBe("fr");
    expect(read.elements.has("script")).toBe(false);
    expect(read.elements.has("link")).toBe(false);
    expect(read.elements.has("img")).toBe(false);
    expect(read.elements.has("iframe")).toBe(false);
    expect(html).not.toMatch(/<script|@import|url\((?!#)|javascript:|\son[a-z]+=/i);
    // Links only inside the page (the table of contents) and XML namespaces.
    const external = read.attributeValues.filter(
      (v) => /^(https?:)?\/\//.test(v) && v !== "http://www.w3.org/2000/svg",
    );
    expect(external).toEqual([]);
    expect(html).toContain("@media print");
    expect(html).toContain("break-before: page");
    expect(read.title).toBe("Observatoire des signalements d'incidents de sécurité des SI santé 2023");
  });

  it("has every section of chapter 4, the key figures table and the sources", () => {
    const read = readReportHtml(renderReportHtml(report()));
    expect(read.sections).toEqual([...reportSections.map((s) => s.id), "sources"]);
    const h2 = read.headings.filter((h) => h.level === 2).map((h) => h.text);
    expect(h2).toEqual([
      "Sommaire",
      "1. Chiffres clés 2022-2023",
      "2. Informations générales sur les signalements",
      "3. Horaire et jour des signalements",
      "4. État des incidents lors de leur signalement",
      "5. Répartition des signalements par région",
      "6. Répartition des signalements selon le type de structure",
      "7. Impacts sur les données et sur le fonctionnement",
      "8. Mise en danger des patients",
      "9. Les actes malveillants",
      "10. Les signalements d'origine non malveillante",
      "11. Accompagnement et appui technique",
      "12. Sources et définitions",
    ]);
    expect(read.headings.filter((h) => h.level === 1)).toHaveLength(1);
    expect(read.captions).toContain("Chiffres clés des signalements déclarés en 2022 et 2023");
    expect(read.text).toContain("PMSI MCO 2022 (ATIH) (référence 2022)");
    expect(read.text).toContain("GET /api/v1/observatory?year=2023");
    expect(read.text).toContain("1 février 2024");
  });

  it("embeds each chart with its SVG, definition, population and data table", () => {
    const r = report();
    expect(r.charts.length).toBeGreaterThan(10);
    const html = renderReportHtml(r);
    const read = readReportHtml(html);
    expect(read.svgCount).toBe(r.charts.length);
    for (const chart of r.charts) {
      expect(read.headings).toContainEqual({ level: 3, text: chart.title });
      expect(read.text).toContain(chart.definition);
      expect(read.text).toContain(chart.population);
      expect(read.captions).toContain(chart.table.caption.replace(/\s+/g, " ").trim());
    }
    // Charts sit in their section: the by-month chart inside "declarations".
    const declarations = html.slice(html.indexOf('id="declarations"'), html.indexOf('id="timing"'));
    const byMonth = r.charts.find((c) => c.section === "declarations");
    expect(byMonth && declarations.includes(escapeHtml(byMonth.title))).toBe(true);
  });

  it("marks every figure with its path and the exact JSON value of its year", () => {
    const r = report();
    const read = readReportHtml(renderReportHtml(r));
    expect(read.figures.length).toBeGreaterThan(150);
    for (const figure of read.figures) {
      const doc = figure.year === 2023 ? r.current : figure.year === 2022 ? r.previous : null;
      expect(doc, `${figure.path} ${figure.year}`).not.toBeNull();
      expect(figure.value, `${figure.path} (${figure.year})`).toEqual(valueAt(doc as never, figure.path));
    }
    // The key figures table marks both years of every row.
    for (const { path } of keyFigureDefinitions) {
      expect(read.figures.some((f) => f.path === path && f.year === 2023)).toBe(true);
      expect(read.figures.some((f) => f.path === path && f.year === 2022)).toBe(true);
    }
    const declared = read.figures.find((f) => f.path === "incidents.declared" && f.year === 2023);
    expect(declared).toMatchObject({ value: 581, text: "581" });
    const share = read.figures.find((f) => f.path === "timing.business_hours_share" && f.year === 2023);
    expect(share).toMatchObject({ value: 517 / 581, text: "89\u202f%" });
  });

  it("names the region in the title of a regional report and escapes what it prints", () => {
    const current = emptyObservatoryDocument(2023, "76");
    current.incidents.declared = 3;
    current.incidents.in_scope = 3;
    current.regions.counts["76"] = 3;
    const chart: ObservatoryChart = ObservatoryChartSchema.parse({
      id: "essai",
      section: "declarations",
      title: "Signalements <par> mois & « région »",
      definition: "Nombre de signalements",
      population: "Signalements déclarés en 2023, structures de la région Occitanie",
      svg: '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10" role="img" aria-labelledby="t"><title id="t">Essai</title></svg>',
      table: {
        caption: "Données",
        columns: ["Mois", "Signalements"],
        rows: [
          ["Janvier", 1234],
          ["Février", null],
        ],
      },
    });
    const html = renderReportHtml(
      report({
        region: { code: "76", name: "Occitanie" },
        current,
        previous: emptyObservatoryDocument(2022, "76"),
        charts: [chart],
        activityReference: null,
      }),
    );
    const read = readReportHtml(html);
    expect(read.title).toBe(
      "Observatoire des signalements d'incidents de sécurité des SI santé 2023 — Occitanie",
    );
    expect(read.headings[0]?.text).toContain("Région Occitanie");
    expect(html).toContain("Signalements &lt;par&gt; mois &amp; « région »");
    expect(read.text).toContain("3 signalements en 2023 pour l'Occitanie (aucune donnée pour 2022).");
    // The chart's ids are scoped to it; its table's numbers are written the French way.
    expect(html).toContain('aria-labelledby="graphique-essai-t"><title id="graphique-essai-t">');
    expect(html).toContain("<td>1\u202f234</td>");
    expect(html).toContain("<td>—</td>");
    expect(read.text).not.toContain("référence d'activité");
  });
});
