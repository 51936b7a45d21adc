import { type ObservatoryDocument, ObservatoryDocumentSchema } from "@vigie/contracts";
import {
  type AdditiveGroup,
  type CellStatus,
  DISCLOSURE_THRESHOLD,
  protectTable,
} from "./disclosure-control.ts";
import {
  type CellRef,
  type OpenDataPopulation,
  openDataIndicators,
  openDataPopulations,
  openDataRowRelations,
} from "./indicators.ts";
import { NATIONAL_NAME, OUTSIDE_REGIONS_NAME, openDataRegionCodes, openDataRegionNames } from "./regions.ts";

/** `national`: the whole country; `regional`: one of the 18 regions; `hors_region`: the
 * declarations of structures without a region (national minus the 18 regions). */
export type OpenDataLevel = "national" | "regional" | "hors_region";
export const openDataLevels: readonly OpenDataLevel[] = ["national", "regional", "hors_region"];

/** `publie`: the count; `secret`: below 5 (or under a withheld total); `secret_secondaire`:
 * withheld so that a secret cell cannot be recomputed. */
export type OpenDataStatus = "publie" | "secret" | "secret_secondaire";
export const openDataStatuses: readonly OpenDataStatus[] = ["publie", "secret", "secret_secondaire"];

/** One line of the open-data file (the CSV's columns, in order). */
export interface OpenDataRow {
  annee: number;
  niveau: OpenDataLevel;
  /** INSEE code; null for the national and "hors région" lines. */
  code_region: string | null;
  nom_region: string;
  population: OpenDataPopulation;
  indicateur: string;
  libelle_indicateur: string;
  modalite: string;
  libelle_modalite: string;
  /** The count; null when withheld. */
  valeur: number | null;
  statut: OpenDataStatus;
}

export const openDataColumns = [
  "annee",
  "niveau",
  "code_region",
  "nom_region",
  "population",
  "indicateur",
  "libelle_indicateur",
  "modalite",
  "libelle_modalite",
  "valeur",
  "statut",
] as const satisfies ReadonlyArray<keyof OpenDataRow>;

/** The observatory documents of one year: national, and each of the 18 regions. */
export interface OpenDataSource {
  year: number;
  national: ObservatoryDocument;
  /** By INSEE code; every one of the 18 regions. */
  regions: Readonly<Record<string, ObservatoryDocument>>;
}

interface Line {
  niveau: OpenDataLevel;
  code_region: string | null;
  nom_region: string;
}

const statusLabel: Record<CellStatus, OpenDataStatus> = {
  published: "publie",
  primary: "secret",
  secondary: "secret_secondaire",
};

function lineDocument(source: OpenDataSource, code: string): ObservatoryDocument {
  const doc = source.regions[code];
  if (!doc) throw new Error(`Données ouvertes : le document de la région ${code} manque.`);
  return doc;
}

function checkDocument(doc: ObservatoryDocument, year: number, region: string | null): void {
  ObservatoryDocumentSchema.parse(doc);
  if (doc.year !== year || doc.region !== region) {
    throw new Error(
      `Données ouvertes : document inattendu (année ${doc.year}, région ${doc.region ?? "nationale"}), ` +
        `attendu année ${year}, région ${region ?? "nationale"}.`,
    );
  }
}

/**
 * The open-data table of a year, before and after disclosure control: one line per area
 * (national, the 18 regions in code order, then the declarations without region) × indicator ×
 * modality; the additive groups a reader could use (each indicator's modalities and its total
 * within a line, quarters and months, each cell across the regions and the national line);
 * then `protectTable` decides what is published. Throws if the documents are not consistent
 * (a region's counts exceeding the national ones, modalities not adding up to their total).
 */
export function buildOpenDataRows(source: OpenDataSource): OpenDataRow[] {
  checkDocument(source.national, source.year, null);
  for (const code of openDataRegionCodes) checkDocument(lineDocument(source, code), source.year, code);

  const nationalValues = openDataIndicators.map((indicator) => indicator.values(source.national));
  const regionalValues = openDataRegionCodes.map((code) =>
    openDataIndicators.map((indicator) => indicator.values(lineDocument(source, code))),
  );
  const outsideValues = nationalValues.map((counts, i) =>
    counts.map((n, j) => {
      const rest = n - regionalValues.reduce((sum, region) => sum + (region[i]?.[j] as number), 0);
      if (rest < 0) {
        const indicator = openDataIndicators[i];
        throw new Error(
          `Données ouvertes : les régions comptent plus que le total national ` +
            `(${indicator?.code} / ${indicator?.modalities[j]?.code}).`,
        );
      }
      return rest;
    }),
  );

  const lines: Array<Line & { values: number[][] }> = [
    { niveau: "national", code_region: null, nom_region: NATIONAL_NAME, values: nationalValues },
    ...openDataRegionCodes.map((code, r) => ({
      niveau: "regional" as const,
      code_region: code,
      nom_region: openDataRegionNames[code as keyof typeof openDataRegionNames],
      values: regionalValues[r] as number[][],
    })),
    { niveau: "hors_region", code_region: null, nom_region: OUTSIDE_REGIONS_NAME, values: outsideValues },
  ];

  // Cell index of (line, indicator, modality).
  const offsets = new Map<string, number>();
  let perLine = 0;
  for (const indicator of openDataIndicators) {
    for (const modality of indicator.modalities) offsets.set(`${indicator.code}/${modality.code}`, perLine++);
  }
  const cell = (line: number, ref: CellRef): number => {
    const offset = offsets.get(`${ref.indicator}/${ref.modality}`);
    if (offset === undefined)
      throw new Error(`Données ouvertes : cellule inconnue ${ref.indicator}/${ref.modality}.`);
    return line * perLine + offset;
  };

  const values: number[] = lines.flatMap((line) => line.values.flat());
  const groups: AdditiveGroup[] = [];
  lines.forEach((_, l) => {
    for (const indicator of openDataIndicators) {
      if (!indicator.total) continue;
      groups.push({
        total: cell(l, indicator.total),
        members: indicator.modalities.map((m) => cell(l, { indicator: indicator.code, modality: m.code })),
      });
    }
    for (const relation of openDataRowRelations) {
      groups.push({ total: cell(l, relation.total), members: relation.members.map((m) => cell(l, m)) });
    }
  });
  for (let offset = 0; offset < perLine; offset++) {
    groups.push({
      total: offset,
      members: lines.slice(1).map((_, l) => (l + 1) * perLine + offset),
    });
  }

  // Complements are taken from the regional lines before the national one (line 0).
  const tiers = values.map((_, c) => (c < perLine ? 1 : 0));
  const { status, unresolved } = protectTable({ values, groups, tiers }, DISCLOSURE_THRESHOLD);
  if (unresolved.length > 0) {
    throw new Error("Données ouvertes : le secret statistique ne peut pas être garanti pour ce tableau.");
  }

  const rows: OpenDataRow[] = [];
  lines.forEach((line, l) => {
    for (const indicator of openDataIndicators) {
      for (const modality of indicator.modalities) {
        const c = cell(l, { indicator: indicator.code, modality: modality.code });
        const cellStatus = status[c] as CellStatus;
        rows.push({
          annee: source.year,
          niveau: line.niveau,
          code_region: line.code_region,
          nom_region: line.nom_region,
          population: indicator.population,
          indicateur: indicator.code,
          libelle_indicateur: indicator.label,
          modalite: modality.code,
          libelle_modalite: modality.label,
          valeur: cellStatus === "published" ? (values[c] as number) : null,
          statut: statusLabel[cellStatus],
        });
      }
    }
  });
  return rows;
}

/** Populations in the order of the schema. */
export const openDataPopulationCodes = Object.keys(openDataPopulations) as OpenDataPopulation[];
