import type { ObservatoryChart, ObservatoryDocument } from "@vigie/contracts";

/** Everything the yearly report is drawn from; `renderReportHtml` is a pure function of it. */
export interface ObservatoryReport {
  year: number;
  /** The year compared with (year − 1). */
  previousYear: number;
  /** The region of a regional report (INSEE code and name), null for the national one. */
  region: { code: string; name: string } | null;
  /** Names of the regions by INSEE code. */
  regionNames: Record<string, string>;
  /** The year's document. */
  current: ObservatoryDocument;
  /** The previous year's document, computed the same way (all zeros when nothing was declared). */
  previous: ObservatoryDocument;
  /** The charts of the year, drawn on the server (`observatoryCharts`). */
  charts: ObservatoryChart[];
  /** The activity reference the index was computed with, when one is loaded. */
  activityReference: { referenceYear: number; source: string } | null;
  generatedAt: Date;
}
