import type { ObservatoryDocument } from "@vigie/contracts";
import { countChangeLabel, shareChangeLabel } from "./evolution.ts";
import { type Figure, type FigureFormat, fig, numberAt } from "./rich-text.ts";

// The key figures table (figure 1 of the 2023 observatory): the year, the previous year, the
// evolution.

interface KeyFigureDefinition {
  label: string;
  path: string;
  format: FigureFormat;
}

export const keyFigureDefinitions: readonly KeyFigureDefinition[] = [
  { label: "Signalements déclarés", path: "incidents.declared", format: "count" },
  { label: "dont hors périmètre", path: "incidents.out_of_scope", format: "count" },
  { label: "Moyenne mensuelle des signalements", path: "incidents.monthly_mean", format: "mean" },
  { label: "Structures déclarantes", path: "declarants.distinct", format: "count" },
  { label: "Structures ayant déclaré au moins deux incidents", path: "declarants.several", format: "count" },
  { label: "Opérateurs de services essentiels (OSE) déclarants", path: "declarants.ose", format: "count" },
  {
    label: "Part des signalements en heures et jours ouvrés",
    path: "timing.business_hours_share",
    format: "share",
  },
  { label: "Demandes d'accompagnement", path: "support.requested", format: "count" },
  { label: "Alertes de sécurité publiées par le CERT", path: "publications.alerts", format: "count" },
  {
    label:
      "Structures alertées par la veille (système exposé vulnérable, compte compromis, service sensible)",
    path: "watch.structures_alerted",
    format: "count",
  },
  {
    label: "Part des signalements avec demande d'accompagnement",
    path: "support.requested_share",
    format: "share",
  },
  {
    label: "Structures ayant reçu un appui technique",
    path: "support.technical_structures",
    format: "count",
  },
  {
    label: "Incidents affectant la prise en charge des patients",
    path: "operational_impact.patient_care_affected",
    format: "count",
  },
  {
    label: "Mises en danger potentielles de patients",
    path: "patient_endangerment.potential",
    format: "count",
  },
  { label: "Mises en danger avérées de patients", path: "patient_endangerment.actual", format: "count" },
  { label: "Part des incidents d'origine malveillante", path: "origin.malicious_share", format: "share" },
  { label: "Attaques par rançongiciel", path: "malicious.types.ransomware", format: "count" },
  { label: "Incidents malveillants majeurs", path: "malicious.major", format: "count" },
  {
    label: "Structures n'ayant jamais répondu à une demande de compléments",
    path: "complements.unanswered_structures",
    format: "count",
  },
  {
    label: "Structures appuyées directement par l'ANSSI",
    path: "authorities.anssi_structures",
    format: "count",
  },
  {
    label: "Structures appuyées directement par le FSSI",
    path: "authorities.fssi_structures",
    format: "count",
  },
];

export interface KeyFigureRow {
  label: string;
  current: Figure;
  /** Null without data for the previous year. */
  previous: Figure | null;
  /** "−2 %", "+15 pts", "stable", "—". */
  evolution: string;
}

/** The rows of the key figures table. */
export function keyFigureRows(
  current: ObservatoryDocument,
  previous: ObservatoryDocument | null,
): KeyFigureRow[] {
  return keyFigureDefinitions.map(({ label, path, format }) => {
    const now = numberAt(current, path) ?? 0;
    const before = previous ? (numberAt(previous, path) ?? 0) : null;
    return {
      label,
      current: fig(current, path, format),
      previous: previous ? fig(previous, path, format) : null,
      evolution: format === "share" ? shareChangeLabel(now, before) : countChangeLabel(now, before),
    };
  });
}
