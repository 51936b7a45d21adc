import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type ObservatoryDocument, regionCodes } from "@vigie/contracts";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { openDataCsv, openDataFileNames, readOpenDataCsv } from "./csv.ts";
import { openDataIndicators } from "./indicators.ts";
import { openDataJsonSchema } from "./json-schema.ts";
import { type FakeIncident, incidentArb, sourceOf } from "./open-data.fixtures.ts";
import { openDataCellKey, recomputableWithheldCells } from "./reader-check.ts";
import { openDataRegionNames } from "./regions.ts";
import { buildOpenDataRows, type OpenDataSource } from "./table.ts";

const key = openDataCellKey;

/** The true counts of every cell, from the documents. */
function trueValues(source: OpenDataSource): Map<string, number> {
  const values = new Map<string, number>();
  const put = (line: string, doc: ObservatoryDocument) => {
    for (const indicator of openDataIndicators) {
      const counts = indicator.values(doc);
      indicator.modalities.forEach((m, i) => {
        values.set(`${line}|${indicator.code}|${m.code}`, counts[i] as number);
      });
    }
  };
  put("national|", source.national);
  for (const code of regionCodes) put(`regional|${code}`, source.regions[code] as ObservatoryDocument);
  return values;
}

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validateRow = ajv.compile(openDataJsonSchema());

describe("open-data rows", () => {
  it("publish every count of at least 5 and no count from 1 to 4, with nothing to recompute", () => {
    fc.assert(
      fc.property(fc.array(incidentArb, { maxLength: 600, size: "max" }), (incidents) => {
        const source = sourceOf(2023, incidents);
        const rows = buildOpenDataRows(source);
        const truth = trueValues(source);
        const perLine = openDataIndicators.reduce((n, i) => n + i.modalities.length, 0);
        expect(rows).toHaveLength(20 * perLine);
        for (const row of rows) {
          const value = truth.get(key(row));
          if (row.niveau === "hors_region") continue;
          expect(value).toBeDefined();
          if (row.statut === "publie") {
            expect(row.valeur).toBe(value);
            expect(row.valeur === 0 || (row.valeur as number) >= 5).toBe(true);
          } else {
            expect(row.valeur).toBeNull();
            if (row.statut === "secret_secondaire") expect(value).toBeGreaterThanOrEqual(5);
          }
          if ((value as number) > 0 && (value as number) < 5) expect(row.statut).toBe("secret");
        }
        // The declarations without region: national minus the regions, protected the same way.
        const outside = incidents.filter((i) => i.region === null).length;
        const outsideTotal = rows.find((r) => r.niveau === "hors_region" && r.indicateur === "declarations");
        if (outsideTotal?.statut === "publie") expect(outsideTotal.valeur).toBe(outside);
        if (outside > 0 && outside < 5) expect(outsideTotal?.statut).toBe("secret");
        expect(recomputableWithheldCells(rows)).toEqual([]);
        // Every line of the CSV validates against the JSON Schema.
        for (const record of readOpenDataCsv(openDataCsv(rows))) {
          expect(validateRow(record), JSON.stringify(validateRow.errors)).toBe(true);
        }
      }),
      { numRuns: 4, endOnFailure: true },
    );
  }, 120_000);

  it("withhold a small region's counts and what would give them back", () => {
    // Corse: 3 declarations (2 by portal, 1 by e-mail); Occitanie: 40 (all by portal);
    // Île-de-France: 12 (10 portal, 2 phone).
    const base: FakeIncident = {
      region: "94",
      month: 2,
      weekday: 1,
      hour: 10,
      businessHours: true,
      channel: "portal",
      state: "resolved",
      structureType: "es_public",
      supportRequested: false,
      complementRequested: false,
      scope: "in",
      origin: "malicious",
      maliciousTypes: ["ransomware"],
      nonMaliciousTypes: [],
      major: false,
      dataImpacts: ["none"],
      dataTypes: [],
      operationalImpact: "none",
      endangerment: null,
      technicalSupport: false,
    };
    const incidents: FakeIncident[] = [
      base,
      base,
      { ...base, channel: "email" },
      ...Array.from({ length: 40 }, () => ({ ...base, region: "76" })),
      ...Array.from({ length: 10 }, () => ({ ...base, region: "11" })),
      ...Array.from({ length: 2 }, () => ({ ...base, region: "11", channel: "phone_oncall" as const })),
    ];
    const rows = buildOpenDataRows(sourceOf(2023, incidents));
    const row = (niveau: string, code: string | null, indicateur: string, modalite: string) => {
      const found = rows.find(
        (r) =>
          r.niveau === niveau &&
          r.code_region === code &&
          r.indicateur === indicateur &&
          r.modalite === modalite,
      );
      if (!found) throw new Error(`${niveau} ${code} ${indicateur} ${modalite}`);
      return found;
    };
    // Corse's total (3) and channels (2 and 1) are secret; its zero by phone too (under a secret
    // total), but not its zero "other": nobody in France used it, every region's is 0 anyway.
    expect(row("regional", "94", "declarations", "total")).toMatchObject({ valeur: null, statut: "secret" });
    expect(row("regional", "94", "canal", "portal")).toMatchObject({ valeur: null, statut: "secret" });
    expect(row("regional", "94", "canal", "email")).toMatchObject({ valeur: null, statut: "secret" });
    expect(row("regional", "94", "canal", "phone_oncall")).toMatchObject({ valeur: null, statut: "secret" });
    expect(row("regional", "94", "canal", "other")).toMatchObject({ valeur: 0, statut: "publie" });
    // Île-de-France's 2 phone declarations are secret, and so is its 10 (else 12 − 10 = 2).
    expect(row("regional", "11", "canal", "phone_oncall").statut).toBe("secret");
    expect(row("regional", "11", "canal", "portal").statut).not.toBe("publie");
    // Regions with no declaration publish zeros.
    expect(row("regional", "53", "declarations", "total")).toMatchObject({ valeur: 0, statut: "publie" });
    // National = Σ regions: Corse's 3 would come back from 55 − 40 − 12, so a complement is withheld.
    const nationalTotal = row("national", null, "declarations", "total");
    const occitanie = row("regional", "76", "declarations", "total");
    const idf = row("regional", "11", "declarations", "total");
    expect([nationalTotal, occitanie, idf].some((r) => r.statut === "secret_secondaire")).toBe(true);
    expect(recomputableWithheldCells(rows)).toEqual([]);
    // Without the complements, the reader gets Corse's 3 back (the attacker is not blind).
    const truth = trueValues(sourceOf(2023, incidents));
    const primaryOnly = rows.map((r) =>
      r.statut === "secret_secondaire"
        ? { ...r, valeur: truth.get(key(r)) ?? 0, statut: "publie" as const }
        : r,
    );
    expect(recomputableWithheldCells(primaryOnly)).toContainEqual({
      cell: "regional|94|declarations|total",
      value: 3,
    });
    // Nothing in the file names a structure: only codes, labels and counts.
    const csv = openDataCsv(rows);
    expect(csv).not.toMatch(/\b\d{9}\b|\b\d{2}[AB]\d{6}\b/);
  });

  it("refuse documents that do not add up", () => {
    const source = sourceOf(2023, []);
    const broken = structuredClone(source);
    (broken.regions["76"] as ObservatoryDocument).incidents.declared = 3;
    expect(() => buildOpenDataRows(broken)).toThrow("les régions comptent plus que le total national");
    const wrongYear = { ...source, year: 2024 };
    expect(() => buildOpenDataRows(wrongYear)).toThrow("document inattendu");
  });
});

describe("open-data CSV and schema", () => {
  it("write the header and one line per row, withheld values empty", () => {
    const rows = buildOpenDataRows(sourceOf(2023, []));
    const csv = openDataCsv(rows);
    const lines = csv.split("\n");
    expect(lines[0]).toBe(
      "annee,niveau,code_region,nom_region,population,indicateur,libelle_indicateur,modalite,libelle_modalite,valeur,statut",
    );
    expect(lines[1]).toBe(
      "2023,national,,France entière,declarations,declarations,Déclarations reçues,total,Total,0,publie",
    );
    expect(lines.at(-1)).toBe("");
    expect(lines).toHaveLength(rows.length + 2);
    expect(openDataFileNames(2023)).toEqual({
      csv: "observatoire-2023.csv",
      schema: "observatoire-2023.schema.json",
    });
  });

  it("describe the columns in a draft 2020-12 schema that rejects what the file must never hold", () => {
    const schema = openDataJsonSchema();
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    const good = {
      annee: 2023,
      niveau: "regional",
      code_region: "76",
      nom_region: "Occitanie",
      population: "declarations",
      indicateur: "canal",
      libelle_indicateur: "Déclarations par canal",
      modalite: "portal",
      libelle_modalite: "Portail de signalement",
      valeur: 12,
      statut: "publie",
    };
    expect(validateRow(good), JSON.stringify(validateRow.errors)).toBe(true);
    // A published small count, a withheld value written anyway, an unknown modality, a region
    // name that does not match its code, an extra column: all refused.
    expect(validateRow({ ...good, valeur: 3 })).toBe(false);
    expect(validateRow({ ...good, statut: "secret" })).toBe(false);
    expect(validateRow({ ...good, statut: "secret", valeur: null })).toBe(true);
    expect(validateRow({ ...good, modalite: "fax" })).toBe(false);
    expect(validateRow({ ...good, nom_region: "Bretagne" })).toBe(false);
    expect(validateRow({ ...good, finess: "750712184" })).toBe(false);
    expect(validateRow({ ...good, niveau: "national" })).toBe(false);
  });

  it("name the regions as the reference file does", () => {
    const csv = readFileSync(resolve(import.meta.dirname, "../../../../../reference/regions.csv"), "utf8");
    const records = parse(csv, { columns: true }) as Array<{ code: string; name: string }>;
    expect(Object.fromEntries(records.map((r) => [r.code, r.name]))).toEqual(openDataRegionNames);
  });
});
