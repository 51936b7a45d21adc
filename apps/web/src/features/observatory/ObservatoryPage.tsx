import { fr } from "@codegouvfr/react-dsfr";
import Accordion from "@codegouvfr/react-dsfr/Accordion";
import Button from "@codegouvfr/react-dsfr/Button";
import Notice from "@codegouvfr/react-dsfr/Notice";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { ObservatoryChart, ObservatoryChartsResponse } from "@vigie/contracts";
import { useState } from "react";
import { api } from "../../app/api.ts";
import { useCurrentUser } from "../../app/auth.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { regionLabel, useRegions } from "../../app/regions.ts";
import { Loading, QueryError } from "../../app/ui.tsx";
import { useYearRegionParams, YearRegionFilter } from "../../app/YearRegionFilter.tsx";
import { csvBlob, downloadName, pngBlob, saveBlob, svgBlob } from "./downloads.ts";
import "./observatory.css";

export const OBSERVATORY_PATH = "/observatoire";
export const OBSERVATORY_LABEL = "Observatoire des signalements";

type Section = ObservatoryChart["section"];
type Table = ObservatoryChart["table"];
type Cell = Table["rows"][number][number];

/** The report's sections, in its order, as headings. */
const SECTIONS: ReadonlyArray<{ id: Section; title: string }> = [
  { id: "key_figures", title: "Chiffres clés" },
  { id: "declarations", title: "Déclarations reçues" },
  { id: "timing", title: "Horaire et jour des déclarations" },
  { id: "state", title: "État des incidents lors de leur déclaration" },
  { id: "regions", title: "Répartition par région" },
  { id: "structures", title: "Structures déclarantes" },
  { id: "impacts", title: "Impacts des incidents" },
  { id: "patients", title: "Mise en danger des patients" },
  { id: "malicious", title: "Origine des incidents et actes malveillants" },
  { id: "non_malicious", title: "Incidents d'origine non malveillante" },
  { id: "support", title: "Accompagnement et appui technique" },
];

const sectionAnchor = (id: Section): string => `observatoire-${id.replaceAll("_", "-")}`;

const count = (n: number): string => n.toLocaleString("fr-FR");
const cellText = (cell: Cell | undefined): string =>
  cell === null || cell === undefined ? "—" : typeof cell === "number" ? count(cell) : cell;

/** The address of the yearly report (built by the API), for a year and a region. */
function reportUrl(year: number, region: string | null, format: "html" | "pdf"): string {
  const params = new URLSearchParams({ year: String(year), format });
  if (region) params.set("region", region);
  return `/api/observatory/report?${params.toString()}`;
}

/** /observatoire — the yearly observatory: key figures and the report's charts, for a year and a region. */
export function ObservatoryPage() {
  const user = useCurrentUser();
  const regions = useRegions();
  // An ARS reads its own region only: shown, not chosen. Others choose a region or the country.
  const ownRegion = user?.role === "ars" ? user.regionCode : null;
  const { year, region } = useYearRegionParams(ownRegion);

  const scope = region ? regionLabel(regions.data, region) : "France entière";
  usePageTitle(`${OBSERVATORY_LABEL} — ${scope} — ${year}`);

  const query = useQuery({
    queryKey: ["observatory-charts", { year, region }],
    queryFn: ({ signal }) =>
      api.get<ObservatoryChartsResponse>(
        "/api/observatory/charts",
        { year, region: ownRegion ? undefined : (region ?? undefined) },
        signal,
      ),
    placeholderData: keepPreviousData,
  });

  const data = query.data;
  const shown = data && data.year === year && (ownRegion !== null || data.region === region) ? data : null;
  const declared = shown?.declared ?? null;

  return (
    <>
      <h1>{OBSERVATORY_LABEL}</h1>
      <p className={fr.cx("fr-text--lead")}>
        Les chiffres de l'observatoire annuel des incidents de sécurité des systèmes d'information des
        secteurs santé et médico-social, calculés à partir des déclarations reçues par le CERT Santé.
      </p>
      <YearRegionFilter
        idPrefix="observatory"
        of="de l'observatoire"
        year={year}
        region={region}
        ownRegion={ownRegion}
        ownRegionHint="Votre compte consulte l'observatoire de sa seule région."
        nationalLabel="France entière (toutes les régions)"
      />

      <p role="status" aria-live="polite" className={fr.cx("fr-text--bold")} id="observatory-status">
        {shown && !query.isFetching && declared !== null
          ? `${scope}, ${year} : ${count(declared)} déclaration${declared > 1 ? "s" : ""}.`
          : ""}
      </p>

      <ul className="vigie-obs-report-links" aria-label="Rapport annuel">
        <li>
          <a
            className={fr.cx("fr-link", "fr-icon-file-text-line", "fr-link--icon-left")}
            href={reportUrl(year, region, "html")}
          >
            Rapport annuel (HTML)
          </a>
        </li>
        <li>
          <a
            className={fr.cx("fr-link", "fr-icon-file-pdf-line", "fr-link--icon-left")}
            href={reportUrl(year, region, "pdf")}
          >
            Rapport annuel (PDF)
          </a>
        </li>
      </ul>

      {query.isPending ? (
        <Loading label="Calcul des chiffres de l'observatoire…" />
      ) : query.error ? (
        <QueryError error={query.error} title="L'observatoire n'a pas pu être chargé" />
      ) : !shown ? (
        <Loading label="Calcul des chiffres de l'observatoire…" />
      ) : declared === 0 ? (
        <Notice
          className={fr.cx("fr-mb-4w")}
          title={`Aucune déclaration reçue en ${year} pour ce périmètre (${scope}) : il n'y a rien à représenter.`}
        />
      ) : (
        <ObservatoryCharts data={shown} />
      )}
    </>
  );
}

function ObservatoryCharts({ data }: { data: ObservatoryChartsResponse }) {
  const sections = SECTIONS.map((section) => ({
    ...section,
    charts: data.charts.filter((c) => c.section === section.id),
  })).filter((s) => s.charts.length > 0);
  return (
    <>
      <nav className={fr.cx("fr-summary", "fr-mb-6w")} aria-labelledby="observatory-summary-title">
        <h2 className={fr.cx("fr-summary__title")} id="observatory-summary-title">
          Sommaire
        </h2>
        <ol>
          {sections.map((s) => (
            <li key={s.id}>
              <a className={fr.cx("fr-summary__link")} href={`#${sectionAnchor(s.id)}`}>
                {s.title}
              </a>
            </li>
          ))}
        </ol>
      </nav>
      {sections.map((section) => (
        <section key={section.id} aria-labelledby={sectionAnchor(section.id)} className={fr.cx("fr-mb-8w")}>
          <h2 id={sectionAnchor(section.id)} tabIndex={-1}>
            {section.id === "key_figures" ? `${section.title} ${data.year}` : section.title}
          </h2>
          {section.charts.map((chart) =>
            chart.id === "key-figures" ? (
              <KeyFigures key={chart.id} chart={chart} data={data} />
            ) : (
              <ChartBlock key={chart.id} chart={chart} data={data} />
            ),
          )}
        </section>
      ))}
    </>
  );
}

/** The key figures as a list (the same figures as the chart, which is offered for download). */
function KeyFigures({ chart, data }: { chart: ObservatoryChart; data: ObservatoryChartsResponse }) {
  const { columns, rows } = chart.table;
  const last = columns.length - 1;
  const hasPrevious = columns.length > 2;
  return (
    <div className={fr.cx("fr-mb-6w")} id={`graphique-${chart.id}`}>
      <dl className="vigie-obs-kpis">
        {rows.map((row) => (
          <div key={String(row[0])}>
            <dt>{cellText(row[0])}</dt>
            <dd>
              <span className="vigie-obs-kpis__value">{cellText(row[last])}</span>
              {hasPrevious ? (
                <span className="vigie-obs-kpis__previous">
                  {columns[last - 1]} : {cellText(row[last - 1])}
                </span>
              ) : null}
            </dd>
          </div>
        ))}
      </dl>
      <ChartNotes chart={chart} />
      <Downloads chart={chart} data={data} />
    </div>
  );
}

function ChartNotes({ chart }: { chart: ObservatoryChart }) {
  return (
    <div className={fr.cx("fr-text--sm")}>
      <p className={fr.cx("fr-mb-1w")}>
        <strong>Définition :</strong> {chart.definition}
      </p>
      <p className={fr.cx("fr-mb-2w")}>
        <strong>Population :</strong> {chart.population}
      </p>
    </div>
  );
}

/** One chart: its title, the server's SVG, definition and population, data table, downloads. */
function ChartBlock({ chart, data }: { chart: ObservatoryChart; data: ObservatoryChartsResponse }) {
  const titleId = `graphique-${chart.id}`;
  return (
    <section aria-labelledby={titleId} className={fr.cx("fr-mb-8w")}>
      <h3 id={titleId} className={fr.cx("fr-h5")}>
        {chart.title}
      </h3>
      <figure className="vigie-obs-figure">
        <div
          className="vigie-obs-svg"
          // The SVG is drawn by the API from numbers and our own labels, every text escaped; it
          // holds no script (the CSP would refuse one anyway).
          // biome-ignore lint/security/noDangerouslySetInnerHtml: server-drawn SVG, see above
          dangerouslySetInnerHTML={{ __html: chart.svg }}
        />
        <figcaption>
          <ChartNotes chart={chart} />
        </figcaption>
      </figure>
      <Accordion
        titleAs="h4"
        label={
          <>
            Tableau des données<span className={fr.cx("fr-sr-only")}> — {chart.title}</span>
          </>
        }
      >
        <DataTable table={chart.table} />
      </Accordion>
      <Downloads chart={chart} data={data} />
    </section>
  );
}

function DataTable({ table }: { table: Table }) {
  return (
    <div className={fr.cx("fr-table", "fr-table--bordered")}>
      {/* A wide table (the heat map) scrolls on its own, reachable by keyboard. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable region must take focus */}
      <section className="vigie-obs-table" tabIndex={0} aria-label={table.caption}>
        <table>
          <caption>{table.caption}</caption>
          <thead>
            <tr>
              {table.columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, r) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own
              <tr key={r}>
                {row.map((cell, c) =>
                  c === 0 ? (
                    // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                    <th key={c} scope="row">
                      {cellText(cell)}
                    </th>
                  ) : (
                    // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                    <td key={c}>{cellText(cell)}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

/** SVG, PNG and CSV of a chart, made in the browser from what the API sent. */
function Downloads({ chart, data }: { chart: ObservatoryChart; data: ObservatoryChartsResponse }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const name = (extension: "svg" | "png" | "csv") =>
    downloadName(chart.id, data.year, data.region, extension);
  const png = async () => {
    setError(null);
    setBusy(true);
    try {
      saveBlob(await pngBlob(chart.svg), name("png"));
    } catch (cause) {
      setError(cause instanceof Error ? cause.message : "L'image PNG n'a pas pu être produite.");
    } finally {
      setBusy(false);
    }
  };
  const hidden = <span className={fr.cx("fr-sr-only")}> — {chart.title}</span>;
  return (
    <>
      <p className={fr.cx("fr-text--sm", "fr-mt-2w", "fr-mb-1w")}>Télécharger :</p>
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm", "fr-btns-group--sm")}>
        <li>
          <Button priority="secondary" size="small" onClick={() => saveBlob(svgBlob(chart.svg), name("svg"))}>
            Image SVG
            {hidden}
          </Button>
        </li>
        <li>
          <Button priority="secondary" size="small" onClick={png} disabled={busy}>
            Image PNG
            {hidden}
          </Button>
        </li>
        <li>
          <Button
            priority="secondary"
            size="small"
            onClick={() => saveBlob(csvBlob(chart.table), name("csv"))}
          >
            Données CSV
            {hidden}
          </Button>
        </li>
      </ul>
      {error ? (
        <p role="alert" className={fr.cx("fr-error-text")}>
          {error}
        </p>
      ) : null}
    </>
  );
}
