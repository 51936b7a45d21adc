import { fr } from "@codegouvfr/react-dsfr";
import type { ReactNode } from "react";
import "./dashboard.css";

/** One category of a chart: its words, an optional short form for narrow axes, and its count. */
export interface Bar {
  key: string;
  label: string;
  /** Shown under a column when space is short (months: « J », « F »…). */
  narrow?: string;
  /** Shown under a column on wider screens (months: « janv. »). */
  short?: string;
  value: number;
}

const count = (n: number): string => n.toLocaleString("fr-FR");
const percent = new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 0 });

/** « 25 % » of a total, or a dash when there is nothing to share. */
export function share(value: number, total: number): string {
  return total > 0 ? percent.format(value / total) : "—";
}

/** The text alternative of a chart: what it shows and every value, in order. */
function chartLabel(title: string, bars: Bar[]): string {
  return `Diagramme en barres — ${title} : ${bars.map((b) => `${b.label} ${count(b.value)}`).join(", ")}.`;
}

const scale = (bars: Bar[]): number => Math.max(1, ...bars.map((b) => b.value));

/** Vertical columns (a time series such as months), CSS only; the values are in its label. */
export function ColumnChart({ title, bars }: { title: string; bars: Bar[] }) {
  const max = scale(bars);
  return (
    <div role="img" aria-label={chartLabel(title, bars)} className="vigie-columns">
      <div className="vigie-columns__plot" style={{ gridTemplateColumns: `repeat(${bars.length}, 1fr)` }}>
        {bars.map((b) => (
          <div key={b.key} className="vigie-columns__col">
            <span className="vigie-columns__value">{count(b.value)}</span>
            <span className="vigie-columns__bar" style={{ height: `${(b.value / max) * 85}%` }} />
          </div>
        ))}
      </div>
      <div className="vigie-columns__axis" style={{ gridTemplateColumns: `repeat(${bars.length}, 1fr)` }}>
        {bars.map((b) => (
          <span key={b.key}>
            <span className="vigie-columns__narrow">{b.narrow ?? b.short ?? b.label}</span>
            <span className="vigie-columns__short">{b.short ?? b.label}</span>
          </span>
        ))}
      </div>
    </div>
  );
}

/** Horizontal bars (categories with long names), CSS only; the values are in its label. */
export function BarChart({ title, bars }: { title: string; bars: Bar[] }) {
  const max = scale(bars);
  return (
    <div role="img" aria-label={chartLabel(title, bars)} className="vigie-bars">
      {bars.map((b) => (
        <div key={b.key} className="vigie-bars__row">
          <span className="vigie-bars__label">{b.label}</span>
          <span className="vigie-bars__track">
            <span className="vigie-bars__bar" style={{ width: `${(b.value / max) * 85}%` }} />
            <span className="vigie-bars__value">{count(b.value)}</span>
          </span>
        </div>
      ))}
    </div>
  );
}

/** The data of a chart as a table: one row per category (its header), count and share, and the total. */
export function ChartTable({
  caption,
  category,
  bars,
  total,
}: {
  caption: string;
  category: string;
  bars: Bar[];
  total: number;
}) {
  return (
    <div className={fr.cx("fr-table", "fr-table--bordered")}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{category}</th>
            <th scope="col">Déclarations</th>
            <th scope="col">Part</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.key}>
              <th scope="row">{b.label}</th>
              <td>{count(b.value)}</td>
              <td>{share(b.value, total)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td>{count(total)}</td>
            <td>{share(total, total)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** A section of the dashboard: title, chart with its definition under it, and its data table beside. */
export function ChartSection({
  id,
  title,
  definition,
  chart,
  table,
  children,
}: {
  id: string;
  title: string;
  definition: ReactNode;
  chart: ReactNode;
  table: ReactNode;
  children?: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className={fr.cx("fr-mb-6w")}>
      <h2 id={id} className={fr.cx("fr-h4")}>
        {title}
      </h2>
      {children}
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        <div className={fr.cx("fr-col-12", "fr-col-lg-7")}>
          <figure className="vigie-chart">
            {chart}
            <figcaption className={fr.cx("fr-text--sm", "fr-mt-2w", "fr-mb-0")}>{definition}</figcaption>
          </figure>
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-lg-5")}>{table}</div>
      </div>
    </section>
  );
}
