import type { ObservatoryChart } from "@vigie/contracts";
import { hasData, reportCommentary } from "./commentary.ts";
import { indicatorDefinitions, populationDefinitions } from "./definitions.ts";
import { formatDecimal, formatInteger } from "./format.ts";
import { keyFigureRows } from "./key-figures.ts";
import { type ReportSectionId, reportSections } from "./labels.ts";
import type { ObservatoryReport } from "./report.ts";
import type { Block, Figure, Inline } from "./rich-text.ts";

// The yearly report as one self-contained HTML file: inline CSS, no script, no external
// resource, printable (A4, page breaks), and well-formed as XML too (tests parse it so). Every figure of the document is an element
//   <data data-indicator="incidents.declared" data-year="2023" value="581">581</data>
// whose `value` is the JSON value at that path of that year's document.

/** Escapes text and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

function figureHtml(figure: Figure): string {
  if (figure.path === null) return escapeHtml(figure.text);
  return (
    `<data class="figure" data-indicator="${escapeHtml(figure.path)}" data-year="${figure.year}" ` +
    `value="${escapeHtml(JSON.stringify(figure.value))}">${escapeHtml(figure.text)}</data>`
  );
}

function inlinesHtml(content: readonly Inline[]): string {
  return content.map((i) => (typeof i === "string" ? escapeHtml(i) : figureHtml(i))).join("");
}

function blockHtml(block: Block): string {
  return block.kind === "paragraph"
    ? `<p>${inlinesHtml(block.content)}</p>`
    : `<ul>${block.items.map((item) => `<li>${inlinesHtml(item)}</li>`).join("")}</ul>`;
}

function cellHtml(value: string | number | null): string {
  if (value === null) return "—";
  if (typeof value === "number") {
    return escapeHtml(Number.isInteger(value) ? formatInteger(value) : formatDecimal(value, 2));
  }
  return escapeHtml(value);
}

/**
 * Gives the ids of a chart's SVG a prefix of its own, so several charts in one page never share
 * an id (their <title>/<desc> references and gradients keep working).
 */
function scopedSvg(svg: string, prefix: string): string {
  const ids = new Set([...svg.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1] as string));
  if (ids.size === 0) return svg;
  const scoped = (id: string) => (ids.has(id) ? `${prefix}-${id}` : id);
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (_, a: string, id: string, b: string) => a + scoped(id) + b)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${scoped(id)})`)
    .replace(/(href=")#([^"]+)(")/g, (_, a: string, id: string, b: string) => `${a}#${scoped(id)}${b}`)
    .replace(
      /(aria-(?:labelledby|describedby)=")([^"]*)(")/g,
      (_, a: string, refs: string, b: string) => a + refs.trim().split(/\s+/).map(scoped).join(" ") + b,
    );
}

function chartHtml(chart: ObservatoryChart): string {
  const id = `graphique-${chart.id}`;
  const head = chart.table.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join("");
  const rows = chart.table.rows
    .map(
      (row) =>
        `<tr>${row
          .map((cell, i) =>
            i === 0 ? `<th scope="row">${cellHtml(cell)}</th>` : `<td>${cellHtml(cell)}</td>`,
          )
          .join("")}</tr>`,
    )
    .join("");
  return `<div class="chart" id="${escapeHtml(id)}">
<h3>${escapeHtml(chart.title)}</h3>
<figure>
<div class="chart-svg">${scopedSvg(chart.svg, id)}</div>
<figcaption><p><strong>Définition :</strong> ${escapeHtml(chart.definition)}</p><p><strong>Population :</strong> ${escapeHtml(chart.population)}</p></figcaption>
</figure>
<table class="data"><caption>${escapeHtml(chart.table.caption)}</caption><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>
</div>`;
}

function keyFiguresTable(report: ObservatoryReport): string {
  const previous = hasData(report.previous) ? report.previous : null;
  const rows = keyFigureRows(report.current, previous)
    .map(
      (row) =>
        `<tr><th scope="row">${escapeHtml(row.label)}</th>` +
        `<td>${row.previous ? figureHtml(row.previous) : "—"}</td>` +
        `<td>${figureHtml(row.current)}</td>` +
        `<td>${escapeHtml(row.evolution)}</td></tr>`,
    )
    .join("");
  const where = report.region ? ` — ${report.region.name}` : "";
  return `<table class="key-figures">
<caption>Chiffres clés des signalements déclarés en ${report.previousYear} et ${report.year}${escapeHtml(where)}</caption>
<thead><tr><th scope="col">Indicateur</th><th scope="col">${report.previousYear}</th><th scope="col">${report.year}</th><th scope="col">Évolution</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

const parisDateTime = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  dateStyle: "long",
  timeStyle: "short",
});

function sourcesSection(report: ObservatoryReport, number: number): string {
  const query = `year=${report.year}${report.region ? `&region=${report.region.code}` : ""}`;
  const reference = report.activityReference
    ? `<p>Parts régionales de l'activité hospitalière : ${escapeHtml(report.activityReference.source)} (référence ${report.activityReference.referenceYear}).</p>`
    : report.region
      ? ""
      : "<p>Aucune référence d'activité hospitalière n'est chargée : l'indice régional n'est pas calculé.</p>";
  const populations = populationDefinitions
    .map((d) => `<dt>${escapeHtml(d.term)}</dt><dd>${escapeHtml(d.definition)}</dd>`)
    .join("");
  const indicators = indicatorDefinitions
    .map(
      (d) =>
        `<tr><th scope="row"><code>${escapeHtml(d.path)}</code></th><td>${escapeHtml(d.definition)}</td><td>${escapeHtml(d.population)}</td></tr>`,
    )
    .join("");
  return `<section class="chapter" id="sources" aria-labelledby="titre-sources">
<h2 id="titre-sources">${number}. Sources et définitions</h2>
<p>Source : les déclarations reçues par le CERT Santé et enregistrées dans la plateforme Vigie (portail de signalement, appels à l'astreinte, courriels), ainsi que les historiques importés au format <code>vigie.incident/1</code>. Les chiffres sont ceux du document d'indicateurs <code>vigie.observatory/1</code> (<code>GET /api/v1/observatory?${escapeHtml(query)}</code>), calculé le ${escapeHtml(parisDateTime.format(report.generatedAt))} (heure de Paris) pour ${report.year} et, pour comparaison, ${report.previousYear}.</p>
${reference}
<h3>Populations et conventions</h3>
<dl>${populations}</dl>
<h3>Indicateurs</h3>
<table class="definitions"><caption>Définition des indicateurs du document vigie.observatory/1</caption>
<thead><tr><th scope="col">Indicateur</th><th scope="col">Définition</th><th scope="col">Population</th></tr></thead>
<tbody>${indicators}</tbody></table>
</section>`;
}

const css = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font-family: Marianne, Arial, "Helvetica Neue", sans-serif; font-size: 11pt; line-height: 1.5; color: #1e1e1e; background: #fff; }
.page { max-width: 58rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
.cover { border-bottom: 4px solid #000091; padding-bottom: 1.5rem; margin-bottom: 2rem; }
.kicker { color: #000091; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; margin: 0 0 .5rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 1rem; color: #000091; }
h1 .region { display: block; font-size: 1.5rem; color: #1e1e1e; margin-top: .5rem; }
h2 { font-size: 1.5rem; color: #000091; border-bottom: 1px solid #dddddd; padding-bottom: .25rem; margin: 2.5rem 0 1rem; }
h3 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
nav ol { columns: 2; padding-left: 1.5rem; }
a { color: #000091; }
p, ul, dl { margin: 0 0 .75rem; }
.figure { font-weight: 700; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.25rem; font-size: 9.5pt; }
caption { text-align: left; font-weight: 700; padding: .25rem 0; caption-side: top; }
th, td { border: 1px solid #cecece; padding: .2rem .4rem; text-align: left; vertical-align: top; }
thead th { background: #eeeef8; }
td { font-variant-numeric: tabular-nums; }
.key-figures td, .data td { text-align: right; }
.chart { margin: 1.5rem 0; }
figure { margin: 0; }
.chart-svg svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 9.5pt; color: #3a3a3a; margin-top: .5rem; }
figcaption p { margin: 0 0 .25rem; }
dt { font-weight: 700; }
dd { margin: 0 0 .5rem 1rem; }
code { font-size: 9pt; }
@page { size: A4; margin: 16mm 14mm 18mm; }
@media print {
  body { font-size: 10pt; }
  .page { max-width: none; padding: 0; }
  .cover { break-after: page; border-bottom: none; padding-top: 30mm; }
  section.chapter { break-before: page; }
  h2, h3 { break-after: avoid; }
  .chart, figure, tr, .key-figures { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;

/** The report as one self-contained French HTML document. */
export function renderReportHtml(report: ObservatoryReport): string {
  const previous = hasData(report.previous) ? report.previous : null;
  const commentary = reportCommentary({ current: report.current, previous, regionNames: report.regionNames });
  const chartsBySection = new Map<ReportSectionId, ObservatoryChart[]>();
  for (const chart of report.charts) {
    chartsBySection.set(chart.section, [...(chartsBySection.get(chart.section) ?? []), chart]);
  }
  const regionTitle = report.region ? ` — ${report.region.name}` : "";
  const title = `Observatoire des signalements d'incidents de sécurité des SI santé ${report.year}${regionTitle}`;

  const sections = reportSections.map(({ id, title: sectionTitle }, index) => {
    const heading =
      id === "key_figures" ? `${sectionTitle} ${report.previousYear}-${report.year}` : sectionTitle;
    const body = [
      ...commentary[id].map(blockHtml),
      id === "key_figures" ? keyFiguresTable(report) : "",
      ...(chartsBySection.get(id) ?? []).map(chartHtml),
    ]
      .filter(Boolean)
      .join("\n");
    return `<section class="chapter" id="${id}" aria-labelledby="titre-${id}">
<h2 id="titre-${id}">${index + 1}. ${escapeHtml(heading)}</h2>
${body}
</section>`;
  });
  const toc = [
    ...reportSections.map(
      ({ id, title: t }) =>
        `<li><a href="#${id}">${escapeHtml(id === "key_figures" ? `${t} ${report.previousYear}-${report.year}` : t)}</a></li>`,
    ),
    `<li><a href="#sources">Sources et définitions</a></li>`,
  ].join("");

  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="generator" content="Vigie" />
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body>
<div class="page">
<header class="cover">
<p class="kicker">CERT Santé — Observatoire</p>
<h1>Observatoire des signalements d'incidents de sécurité des systèmes d'information pour les secteurs santé et médico-social — ${report.year}${report.region ? `<span class="region">Région ${escapeHtml(report.region.name)}</span>` : ""}</h1>
<p>Rapport généré le ${escapeHtml(parisDateTime.format(report.generatedAt))} à partir des signalements enregistrés dans la plateforme Vigie${report.region ? ` pour les structures de la région ${escapeHtml(report.region.name)}` : ", au niveau national"}, comparés à ceux de ${report.previousYear}.</p>
<nav aria-labelledby="titre-sommaire"><h2 id="titre-sommaire">Sommaire</h2><ol>${toc}</ol></nav>
</header>
<main>
${sections.join("\n")}
${sourcesSection(report, reportSections.length + 1)}
</main>
</div>
</body>
</html>
`;
}
