import { AppError } from "@vigie/contracts";
import { describe, expect, it } from "vitest";
import { isValidFiness, withFinessCheckDigit } from "./finess.ts";
import {
  decodeDirectoryFile,
  detectDirectoryFormat,
  inseeDepartmentCode,
  parseDirectoryFile,
  validateDirectoryLines,
} from "./parse-directory-file.ts";

// What migration 0002 stores, for the departments these samples use.
const DEPARTMENTS = new Map<string, string | null>([
  ["01", "84"],
  ["75", "11"],
  ["2A", "94"],
  ["2B", "94"],
  ["971", "01"],
  ["9A", "01"],
  ["972", "02"],
  ["9B", "02"],
  ["976", "06"],
  ["9F", "06"],
  ["975", null],
  ["9E", null],
  ["986", null],
  ["9J", null],
]);

const HEADER =
  "nofinesset,nofinessej,rs_courte,rs_longue,telephone,departement_code,departement_nom,ville_cp," +
  "categorie_libelle,categorie_groupe_libelle,statut_juridique_lib,siret";

/** A valid FINESS number with another check digit. */
function breakCheckDigit(finess: string): string {
  const last = Number(finess.at(-1));
  return `${finess.slice(0, 8)}${(last + 1) % 10}`;
}

describe("format detection and decoding", () => {
  it("recognises the reference CSV, the FINESS extract, and nothing else", () => {
    expect(detectDirectoryFormat(`${HEADER}\n010000024,...`)).toBe("csv");
    expect(detectDirectoryFormat("finess;etalab;111;2026-05-12\nstructureet;010000024")).toBe(
      "extrait-finess",
    );
    expect(detectDirectoryFormat("structureet;010000024;010780054;CH")).toBe("extrait-finess");
    expect(detectDirectoryFormat("nom;ville\nCH;Paris")).toBeNull();
  });

  it("decodes UTF-8, and Latin-1 when the bytes are not UTF-8", () => {
    const text = "CENTRE HOSPITALIER DE SÉLESTAT";
    expect(decodeDirectoryFile(Buffer.from(text, "utf8"))).toEqual({ text, encoding: "utf-8" });
    expect(decodeDirectoryFile(Buffer.from(text, "latin1"))).toEqual({ text, encoding: "latin1" });
    expect(decodeDirectoryFile(Buffer.from(`\uFEFF${text}`, "utf8")).text).toBe(text);
  });

  it("refuses an empty file or an unknown format in French", () => {
    expect(() => parseDirectoryFile("  \n")).toThrow(/vide/);
    expect(() => parseDirectoryFile("nom;ville\nCH;Paris")).toThrow(AppError);
    expect(() => parseDirectoryFile("nom;ville\nCH;Paris")).toThrow(/Format de fichier non reconnu/);
    expect(() => parseDirectoryFile(`${HEADER}\n`, "extrait-finess")).toThrow(/format « csv »/);
  });

  it("names the missing columns of a CSV", () => {
    expect(() => parseDirectoryFile("nofinesset,nom\n010000024,CH", "csv")).toThrow(
      /rs_courte, departement_code/,
    );
  });
});

describe("department codes", () => {
  it("maps FINESS overseas codes and one-digit codes to INSEE codes", () => {
    expect(inseeDepartmentCode("9A")).toBe("971");
    expect(inseeDepartmentCode("9b")).toBe("972");
    expect(inseeDepartmentCode("9F")).toBe("976");
    expect(inseeDepartmentCode("9E")).toBe("975");
    expect(inseeDepartmentCode("9J")).toBe("986");
    expect(inseeDepartmentCode("1")).toBe("01");
    expect(inseeDepartmentCode("2A")).toBe("2A");
    expect(inseeDepartmentCode("75")).toBe("75");
  });
});

describe("reference CSV", () => {
  const corsica = withFinessCheckDigit("2A000123");
  const corsicaEj = withFinessCheckDigit("2B000456");
  const guadeloupe = withFinessCheckDigit("97010012");
  const spm = withFinessCheckDigit("97050003");
  const bad = breakCheckDigit(withFinessCheckDigit("75001234"));
  const csv = [
    HEADER,
    "010000024,010780054,CH DE FLEYRIAT,CENTRE HOSPITALIER DE BOURG-EN-BRESSE FLEYRIAT,0474454647,01,AIN,01440 VIRIAT,Centre Hospitalier (C.H.),Centres Hospitaliers,Etablissement public de santé,26010004500012",
    `${corsica},${corsicaEj},CH D'AJACCIO,,0495295090,2A,CORSE DU SUD,20184 AJACCIO CEDEX 1,Centre Hospitalier (C.H.),Centres Hospitaliers,Etablissement public de santé,`,
    `${guadeloupe},,CHU DE POINTE-A-PITRE,,590891010,9A,GUADELOUPE,97159 POINTE A PITRE CEDEX,Centre Hospitalier Régional (C.H.R.),Centres Hospitaliers Régionaux,Etablissement public de santé,`,
    `${spm},,CENTRE HOSPITALIER FRANCOIS DUNAN,,,9E,SAINT PIERRE ET MIQUELON,97500 ST PIERRE ET MIQUELON,Centre Hospitalier (C.H.),Centres Hospitaliers,,`,
    `${bad},,CLINIQUE DE LA CLE FAUSSE,,,75,PARIS,75014 PARIS,Autre Etablissement Loi Hospitalière,Autres Etablissements Relevant de la Loi Hospitalière,Non concerné,`,
    `${withFinessCheckDigit("75001235")},${bad},CLINIQUE EJ FAUSSE,,,75,PARIS,75014 PARIS,,,,`,
    `${withFinessCheckDigit("75001236")},,,,,75,PARIS,75014 PARIS,,,,`,
    `${withFinessCheckDigit("75001237")},,CH SANS DEPARTEMENT,,,99,NULLE PART,99999 NULLE PART,,,,`,
    "010000024,010780054,CH DE FLEYRIAT EN DOUBLE,,,01,AIN,01440 VIRIAT,,,,",
  ].join("\n");

  const parsed = parseDirectoryFile(Buffer.from(csv, "utf8"));
  const { records, rejected } = validateDirectoryLines(parsed.lines, DEPARTMENTS);
  const byFiness = new Map(records.map((r) => [r.structure.finess_et, r]));

  it("reads every establishment line", () => {
    expect(parsed.format).toBe("csv");
    expect(parsed.lines).toHaveLength(9);
    expect(records.map((r) => r.line)).toEqual([2, 3, 4, 5]);
  });

  it("maps a metropolitan line to the directory's columns", () => {
    expect(byFiness.get("010000024")?.structure).toEqual({
      finess_et: "010000024",
      finess_ej: "010780054",
      name: "CH DE FLEYRIAT",
      long_name: "CENTRE HOSPITALIER DE BOURG-EN-BRESSE FLEYRIAT",
      structure_type: "es_public",
      legal_status: "Etablissement public de santé",
      category: "Centre Hospitalier (C.H.)",
      region_code: "84",
      department_code: "01",
      town: "VIRIAT",
      postal_code: "01440",
      phone: "0474454647",
      siret: "26010004500012",
      search_text: "010000024 ch de fleyriat centre hospitalier de bourg en bresse fleyriat viriat",
      source: "finess",
    });
  });

  it("accepts Corsican 2A/2B numbers and strips CEDEX from the town", () => {
    const row = byFiness.get(corsica)?.structure;
    expect(isValidFiness(corsica)).toBe(true);
    expect(row).toMatchObject({
      finess_ej: corsicaEj,
      region_code: "94",
      department_code: "2A",
      town: "AJACCIO",
    });
  });

  it("places FINESS overseas departments: 9A in Guadeloupe, 9E in no region", () => {
    expect(byFiness.get(guadeloupe)?.structure).toMatchObject({
      region_code: "01",
      department_code: "971",
      phone: "0590891010",
      town: "POINTE A PITRE",
    });
    expect(byFiness.get(spm)?.structure).toMatchObject({ region_code: null, department_code: "975" });
  });

  it("rejects bad lines with their line number, FINESS and a French reason", () => {
    expect(rejected).toEqual([
      { line: 6, finess: bad, reason: expect.stringMatching(/^FINESS ET .*clé de contrôle incorrecte/) },
      {
        line: 7,
        finess: withFinessCheckDigit("75001235"),
        reason: expect.stringMatching(/^FINESS EJ .*clé de contrôle/),
      },
      { line: 8, finess: withFinessCheckDigit("75001236"), reason: "Raison sociale manquante." },
      { line: 9, finess: withFinessCheckDigit("75001237"), reason: "Département inconnu : « 99 »." },
      { line: 10, finess: "010000024", reason: "Établissement déjà présent ligne 2 du fichier." },
    ]);
  });
});

describe("official FINESS extract (etalab)", () => {
  // Lines in the extract's layout; the Mayotte line quotes a field holding `;` and quotes.
  const extract = [
    "finess;etalab;111;2026-05-12",
    "structureet;010000024;010780054;CH DE FLEYRIAT;CENTRE HOSPITALIER DE BOURG-EN-BRESSE FLEYRIAT;;;900;RTE;DE PARIS;;;451;01;AIN;01440 VIRIAT;0474454647;0474454114;355;Centre Hospitalier (C.H.);1102;Centres Hospitaliers;26010004500012;8610Z;03;ARS établissements Publics de santé dotation globale;1;Etablissement public de santé;1979-02-13;1979-02-13;2020-02-04;",
    "structureet;970302287;970302022;E.H.P.A.D. EDMAR LAMA DE CAYENNE;E.H.P.A.D. DU CENTRE HOSPITALIER DE CAYENNE;;;;AV;ALEXIS BLAISE;;BP 6006;302;9C;GUYANE;97306 CAYENNE CEDEX;0594395050;0594305150;500;Etablissement d'hébergement pour personnes âgées dépendantes;4401;Etablissements d'Hébergement pour Personnes Âgées;;8710A;40;ARS/PCD, Tarif global, habilité aide sociale, recours PUI;;;1988-05-02;2017-01-03;2024-04-22;",
    "geolocalisation;010000024;870215.3;6571590.2;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93;2024-06-04",
    'structureet;980501506;980501498;"LIEU DE VIE ""MAVOUNA; MEMA 1""";;ASSOCIATION MESSO;;12;R;ANCIEN TERRAIN DE FOOT;;;606;9F;MAYOTTE;97620 CHIRONGUI;0269666815;;462;Lieux de Vie et d\'Accueil;4605;Etablissements et services multi-clientèles;82967998400015;;08;Président du Conseil Départemental;;;2019-04-01;2019-03-18;2025-05-07;',
    "structureet;970409645;970463600;UAD (LA POSSESSION)-ASDR;UNITE AUTODIALYSE (LA POSSESSION)-ASDR;;;1;R;RAYMOND BARRE;C;ZAC MOULIN JOLI;408;9D;LA REUNION;97419 LA POSSESSION;0262202820;0262285269;146;Structure d'Alternative à la dialyse en centre;1203;Dialyse Ambulatoire;37875112700101;;07;ARS établissements de santé non financés dotation globale;0;Non concerné;2016-09-15;2014-03-31;2023-10-26;",
    "structureet;750712184;;TRONQUEE;;",
    "geolocalisation;970302287;358000.1;543000.2;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,UTM_22N;2024-06-04",
  ].join("\r\n");
  const departments = new Map([...DEPARTMENTS, ["973", "03"], ["9C", "03"], ["974", "04"], ["9D", "04"]]);

  it("reads a Latin-1 extract, skipping geolocation lines", () => {
    const parsed = parseDirectoryFile(Buffer.from(extract, "latin1"));
    expect(parsed.format).toBe("extrait-finess");
    expect(parsed.encoding).toBe("latin1");
    expect(parsed.lines.map((l) => l.finessEt)).toEqual(["010000024", "970302287", "980501506", "970409645"]);
    expect(parsed.rejected).toEqual([
      { line: 7, finess: "750712184", reason: expect.stringMatching(/^Ligne incomplète/) },
    ]);

    const { records, rejected } = validateDirectoryLines(parsed.lines, departments);
    expect(rejected).toEqual([]);
    const [fleyriat, ehpad, lieuDeVie, dialysis] = records.map((r) => r.structure);
    expect(fleyriat).toMatchObject({
      structure_type: "es_public",
      region_code: "84",
      category: "Centre Hospitalier (C.H.)",
    });
    expect(ehpad).toMatchObject({
      name: "E.H.P.A.D. EDMAR LAMA DE CAYENNE",
      category: "Etablissement d'hébergement pour personnes âgées dépendantes",
      structure_type: "esms",
      region_code: "03",
      department_code: "973",
      town: "CAYENNE",
      legal_status: null,
    });
    expect(lieuDeVie).toMatchObject({
      name: 'LIEU DE VIE "MAVOUNA; MEMA 1"',
      long_name: null,
      structure_type: "esms",
      region_code: "06",
      department_code: "976",
    });
    expect(dialysis).toMatchObject({ region_code: "04", department_code: "974", siret: "37875112700101" });
    expect(records.map((r) => r.line)).toEqual([2, 3, 5, 6]);
  });

  it("gives the same result from the UTF-8 file", () => {
    const latin1 = parseDirectoryFile(Buffer.from(extract, "latin1"));
    const utf8 = parseDirectoryFile(Buffer.from(extract, "utf8"));
    expect(utf8.encoding).toBe("utf-8");
    expect(utf8.lines).toEqual(latin1.lines);
  });
});
