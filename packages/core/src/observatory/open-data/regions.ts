import { regionCodes } from "@vigie/contracts";

/**
 * Names of the 18 regions (INSEE, `reference/regions.csv`), for the `nom_region` column. The
 * open data must not depend on the directory's state, so they are written here once; a unit test
 * checks them against the reference file.
 */
export const openDataRegionNames: Readonly<Record<(typeof regionCodes)[number], string>> = {
  "01": "Guadeloupe",
  "02": "Martinique",
  "03": "Guyane",
  "04": "La Réunion",
  "06": "Mayotte",
  "11": "Île-de-France",
  "24": "Centre-Val de Loire",
  "27": "Bourgogne-Franche-Comté",
  "28": "Normandie",
  "32": "Hauts-de-France",
  "44": "Grand Est",
  "52": "Pays de la Loire",
  "53": "Bretagne",
  "75": "Nouvelle-Aquitaine",
  "76": "Occitanie",
  "84": "Auvergne-Rhône-Alpes",
  "93": "Provence-Alpes-Côte d'Azur",
  "94": "Corse",
};

/** The 18 region codes in ascending order (the order of the file). */
export const openDataRegionCodes: readonly string[] = [...regionCodes].sort();

export const NATIONAL_NAME = "France entière";
export const OUTSIDE_REGIONS_NAME = "Hors région ou région non renseignée";
