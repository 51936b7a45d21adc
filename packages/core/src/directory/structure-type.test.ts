import { describe, expect, it } from "vitest";
import { classifyStructure, type FinessClassification } from "./structure-type.ts";

const CH = { category: "Centre Hospitalier (C.H.)", categoryGroup: "Centres Hospitaliers" };
const OTHER_LH = {
  category: "Autre Etablissement Loi Hospitalière",
  categoryGroup: "Autres Etablissements Relevant de la Loi Hospitalière",
};

function type(input: Partial<FinessClassification>) {
  return classifyStructure({ name: "ETABLISSEMENT", ...input });
}

describe("classifyStructure", () => {
  it("reads the legal status of health establishments", () => {
    expect(type({ ...CH, legalStatus: "Etablissement public de santé" })).toBe("es_public");
    expect(
      type({
        category: "Centre Hospitalier Spécialisé lutte Maladies Mentales",
        categoryGroup: "Centres Hospitaliers Spécialisés Lutte Maladies Mentales",
        legalStatus: "Etablissement de santé privé d'intérêt collectif",
      }),
    ).toBe("es_private_nonprofit");
    expect(
      type({
        category: "Hospitalisation à Domicile",
        categoryGroup: "Traitements et Soins à Domicile",
        legalStatus: "Etab de santé privé non lucratif, non déclar intérêt collect",
      }),
    ).toBe("es_private_nonprofit");
    expect(
      type({
        categoryCode: "365",
        category: "Etablissement de Soins Pluridisciplinaire",
        categoryGroupCode: "1110",
        legalStatus: "Etablissement de santé privé à but lucratif",
      }),
    ).toBe("es_private_forprofit");
  });

  it("recognises army hospitals, CLCC, laboratories, radiotherapy and medico-social categories", () => {
    expect(
      type({
        category: "Hôpital des armées",
        categoryGroup: "Etab.de soins relevant du service de santé des armées",
        legalStatus: "Etablissement public de santé",
      }),
    ).toBe("army_hospital");
    expect(type({ categoryCode: "114", category: "" })).toBe("army_hospital");
    expect(type({ categoryCode: "131", category: "Centre de Lutte Contre le Cancer" })).toBe(
      "es_private_nonprofit",
    );
    expect(type({ categoryCode: "611", category: "Laboratoire de Biologie Médicale" })).toBe("lbm");
    expect(type({ category: "Laboratoire d'analyses de biologie médicale" })).toBe("lbm");
    expect(
      type({ ...OTHER_LH, legalStatus: "Non concerné", name: "CTRE RADIOTHERAPIE DRS MATHIEU MARREL" }),
    ).toBe("radiotherapy");
    expect(
      type({
        categoryCode: "500",
        category: "Etablissement d'hébergement pour personnes âgées dépendantes",
        categoryGroupCode: "4401",
      }),
    ).toBe("esms");
    expect(type({ category: "E.H.P.A.D." })).toBe("esms");
    expect(
      type({
        category: "Maisons d'accueil hospitalières (M.A.H.)",
        categoryGroup: "Autres Etablissements Sociaux d'Hébergement et d'Accueil",
      }),
    ).toBe("esms");
    expect(
      type({
        categoryCode: "189",
        category: "Centre Médico-Psycho-Pédagogique (C.M.P.P.)",
        categoryGroupCode: "4106",
      }),
    ).toBe("esms");
  });

  it("keeps a public hospital public even with radiotherapy in its name", () => {
    expect(
      type({
        category: "Centre Hospitalier Régional (C.H.R.)",
        legalStatus: "Etablissement public de santé",
        name: "CHU RADIOTHERAPIE SITE NORD",
      }),
    ).toBe("es_public");
  });

  it("infers the sector when the status is empty, « Non concerné » or « indéterminé »", () => {
    expect(type({ ...CH, legalStatus: "" })).toBe("es_public");
    expect(type({ ...CH, legalStatus: "indéterminé" })).toBe("es_public");
    expect(type({ ...OTHER_LH, legalStatus: "Non concerné", name: "SCM SCANNER HAUTE-NORMANDIE" })).toBe(
      "es_private_forprofit",
    );
    expect(type({ ...OTHER_LH, legalStatus: "Non concerné", name: "POLYCLINIQUE DU PARC" })).toBe(
      "es_private_forprofit",
    );
    expect(type({ ...OTHER_LH, legalStatus: "indéterminé", name: "FONDATION HOPITAL SAINT JOSEPH" })).toBe(
      "es_private_nonprofit",
    );
    expect(
      type({ ...OTHER_LH, legalStatus: "indéterminé", name: "GIE IRM DU SUD", siret: "26500165100024" }),
    ).toBe("es_public");
    expect(
      type({
        categoryCode: "146",
        category: "Structure d'Alternative à la dialyse en centre",
        categoryGroupCode: "1203",
        legalStatus: "Non concerné",
        pricingMode: "ARS établissements de santé non financés dotation globale",
        name: "UNITE AUTODIALYSE",
      }),
    ).toBe("es_private_forprofit");
    expect(type({ ...OTHER_LH, legalStatus: "Non concerné", name: "GIE IMAGERIE DU VERMANDOIS" })).toBe(
      "other",
    );
  });

  it("keeps establishments that are not health establishments out of the ES types", () => {
    expect(
      type({
        categoryCode: "620",
        category: "Pharmacie d'Officine",
        categoryGroupCode: "3101",
        categoryGroup: "Pharmacies",
        name: "SELARL PHARMACIE DU CENTRE",
      }),
    ).toBe("other");
    expect(
      type({
        categoryCode: "223",
        category: "Protection Maternelle et Infantile (P.M.I.)",
        categoryGroupCode: "2202",
        categoryGroup: "Etablissements de PMI et de Planification Familiale",
      }),
    ).toBe("other");
  });
});
