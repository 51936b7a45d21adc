import type { ActivityReferenceInput } from "@vigie/contracts";

/**
 * The demo's reference of hospital activity per metropolitan region, from which the observatory
 * computes its activity index (`regions.activity_index`). NOT official figures: the report gives
 * only Pays de la Loire's share (5.1 %); the other shares are an approximation roughly
 * proportional to population, chosen so that, with the demo declarations of 2023, the ranking
 * the report describes holds — Pays de la Loire first (index 100), Bourgogne-Franche-Comté
 * second, Occitanie, Hauts-de-France and Normandie third with near-equal ratios, Île-de-France
 * low. Overseas regions are outside the index. The CERT replaces it with the official shares
 * (PMSI, ATIH) by loading another reference.
 */
export const DEMO_ACTIVITY_REFERENCE: ActivityReferenceInput = {
  referenceYear: 2022,
  source:
    "Approximation de démonstration (parts proches de la population des régions ; Pays de la Loire = 5,1 % " +
    "d'après l'observatoire 2023 du CERT Santé) — à remplacer par les parts officielles de l'activité hospitalière (PMSI, ATIH).",
  shares: {
    "11": 0.19, // Île-de-France
    "24": 0.038, // Centre-Val de Loire
    "27": 0.043, // Bourgogne-Franche-Comté
    "28": 0.05, // Normandie
    "32": 0.088, // Hauts-de-France
    "44": 0.086, // Grand Est
    "52": 0.051, // Pays de la Loire
    "53": 0.05, // Bretagne
    "75": 0.092, // Nouvelle-Aquitaine
    "76": 0.093, // Occitanie
    "84": 0.122, // Auvergne-Rhône-Alpes
    "93": 0.08, // Provence-Alpes-Côte d'Azur
    "94": 0.004, // Corse
  },
};
