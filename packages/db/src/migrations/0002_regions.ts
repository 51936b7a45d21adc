import { type Kysely, sql } from "kysely";

// A snapshot of reference/regions.csv (INSEE, Licence Ouverte), embedded so that migrating
// never depends on a file being present. Later changes go in a new migration.
const REGIONS: ReadonlyArray<
  [code: string, name: string, iso: string, arsName: string, metropolitan: boolean]
> = [
  ["11", "Île-de-France", "FR-IDF", "ARS Île-de-France", true],
  ["24", "Centre-Val de Loire", "FR-CVL", "ARS Centre-Val de Loire", true],
  ["27", "Bourgogne-Franche-Comté", "FR-BFC", "ARS Bourgogne-Franche-Comté", true],
  ["28", "Normandie", "FR-NOR", "ARS Normandie", true],
  ["32", "Hauts-de-France", "FR-HDF", "ARS Hauts-de-France", true],
  ["44", "Grand Est", "FR-GES", "ARS Grand Est", true],
  ["52", "Pays de la Loire", "FR-PDL", "ARS Pays de la Loire", true],
  ["53", "Bretagne", "FR-BRE", "ARS Bretagne", true],
  ["75", "Nouvelle-Aquitaine", "FR-NAQ", "ARS Nouvelle-Aquitaine", true],
  ["76", "Occitanie", "FR-OCC", "ARS Occitanie", true],
  ["84", "Auvergne-Rhône-Alpes", "FR-ARA", "ARS Auvergne-Rhône-Alpes", true],
  ["93", "Provence-Alpes-Côte d'Azur", "FR-PAC", "ARS Provence-Alpes-Côte d'Azur", true],
  ["94", "Corse", "FR-20R", "ARS de Corse", true],
  ["01", "Guadeloupe", "FR-971", "ARS Guadeloupe", false],
  ["02", "Martinique", "FR-972", "ARS Martinique", false],
  ["03", "Guyane", "FR-973", "ARS Guyane", false],
  ["04", "La Réunion", "FR-974", "ARS La Réunion", false],
  ["06", "Mayotte", "FR-976", "ARS Mayotte", false],
];

// Department code → [region code or null, name]. Both the INSEE codes (971…) and the codes the
// FINESS registry writes for overseas departments (9A…) resolve. Saint-Pierre-et-Miquelon and
// Wallis-et-Futuna have no ARS of a region: they keep a null region.
const DEPARTMENTS: Readonly<Record<string, [string | null, string]>> = {
  "01": ["84", "Ain"],
  "02": ["32", "Aisne"],
  "03": ["84", "Allier"],
  "04": ["93", "Alpes-de-Haute-Provence"],
  "05": ["93", "Hautes-Alpes"],
  "06": ["93", "Alpes-Maritimes"],
  "07": ["84", "Ardèche"],
  "08": ["44", "Ardennes"],
  "09": ["76", "Ariège"],
  "10": ["44", "Aube"],
  "11": ["76", "Aude"],
  "12": ["76", "Aveyron"],
  "13": ["93", "Bouches-du-Rhône"],
  "14": ["28", "Calvados"],
  "15": ["84", "Cantal"],
  "16": ["75", "Charente"],
  "17": ["75", "Charente-Maritime"],
  "18": ["24", "Cher"],
  "19": ["75", "Corrèze"],
  "21": ["27", "Côte-d'Or"],
  "22": ["53", "Côtes-d'Armor"],
  "23": ["75", "Creuse"],
  "24": ["75", "Dordogne"],
  "25": ["27", "Doubs"],
  "26": ["84", "Drôme"],
  "27": ["28", "Eure"],
  "28": ["24", "Eure-et-Loir"],
  "29": ["53", "Finistère"],
  "2A": ["94", "Corse-du-Sud"],
  "2B": ["94", "Haute-Corse"],
  "30": ["76", "Gard"],
  "31": ["76", "Haute-Garonne"],
  "32": ["76", "Gers"],
  "33": ["75", "Gironde"],
  "34": ["76", "Hérault"],
  "35": ["53", "Ille-et-Vilaine"],
  "36": ["24", "Indre"],
  "37": ["24", "Indre-et-Loire"],
  "38": ["84", "Isère"],
  "39": ["27", "Jura"],
  "40": ["75", "Landes"],
  "41": ["24", "Loir-et-Cher"],
  "42": ["84", "Loire"],
  "43": ["84", "Haute-Loire"],
  "44": ["52", "Loire-Atlantique"],
  "45": ["24", "Loiret"],
  "46": ["76", "Lot"],
  "47": ["75", "Lot-et-Garonne"],
  "48": ["76", "Lozère"],
  "49": ["52", "Maine-et-Loire"],
  "50": ["28", "Manche"],
  "51": ["44", "Marne"],
  "52": ["44", "Haute-Marne"],
  "53": ["52", "Mayenne"],
  "54": ["44", "Meurthe-et-Moselle"],
  "55": ["44", "Meuse"],
  "56": ["53", "Morbihan"],
  "57": ["44", "Moselle"],
  "58": ["27", "Nièvre"],
  "59": ["32", "Nord"],
  "60": ["32", "Oise"],
  "61": ["28", "Orne"],
  "62": ["32", "Pas-de-Calais"],
  "63": ["84", "Puy-de-Dôme"],
  "64": ["75", "Pyrénées-Atlantiques"],
  "65": ["76", "Hautes-Pyrénées"],
  "66": ["76", "Pyrénées-Orientales"],
  "67": ["44", "Bas-Rhin"],
  "68": ["44", "Haut-Rhin"],
  "69": ["84", "Rhône"],
  "70": ["27", "Haute-Saône"],
  "71": ["27", "Saône-et-Loire"],
  "72": ["52", "Sarthe"],
  "73": ["84", "Savoie"],
  "74": ["84", "Haute-Savoie"],
  "75": ["11", "Paris"],
  "76": ["28", "Seine-Maritime"],
  "77": ["11", "Seine-et-Marne"],
  "78": ["11", "Yvelines"],
  "79": ["75", "Deux-Sèvres"],
  "80": ["32", "Somme"],
  "81": ["76", "Tarn"],
  "82": ["76", "Tarn-et-Garonne"],
  "83": ["93", "Var"],
  "84": ["93", "Vaucluse"],
  "85": ["52", "Vendée"],
  "86": ["75", "Vienne"],
  "87": ["75", "Haute-Vienne"],
  "88": ["44", "Vosges"],
  "89": ["27", "Yonne"],
  "90": ["27", "Territoire de Belfort"],
  "91": ["11", "Essonne"],
  "92": ["11", "Hauts-de-Seine"],
  "93": ["11", "Seine-Saint-Denis"],
  "94": ["11", "Val-de-Marne"],
  "95": ["11", "Val-d'Oise"],
  "971": ["01", "Guadeloupe"],
  "972": ["02", "Martinique"],
  "973": ["03", "Guyane"],
  "974": ["04", "La Réunion"],
  "975": [null, "Saint-Pierre-et-Miquelon"],
  "976": ["06", "Mayotte"],
  // Saint-Barthélemy and Saint-Martin come under the ARS of Guadeloupe.
  "977": ["01", "Saint-Barthélemy"],
  "978": ["01", "Saint-Martin"],
  "986": [null, "Wallis-et-Futuna"],
  "9A": ["01", "Guadeloupe"],
  "9B": ["02", "Martinique"],
  "9C": ["03", "Guyane"],
  "9D": ["04", "La Réunion"],
  "9E": [null, "Saint-Pierre-et-Miquelon"],
  "9F": ["06", "Mayotte"],
  "9J": [null, "Wallis-et-Futuna"],
};

/** The 18 regions and their ARS, the department → region mapping, and the hand-set type flag. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const regionRows = REGIONS.map(
    ([code, name, iso, arsName, metropolitan]) =>
      sql`(${code}, ${name}, ${iso}, ${arsName}, ${metropolitan})`,
  );
  // Rows inserted earlier (e.g. by test fixtures) get the reference names.
  await sql`
    insert into regions (code, name, iso, ars_name, metropolitan) values ${sql.join(regionRows)}
    on conflict (code) do update set
      name = excluded.name, iso = excluded.iso, ars_name = excluded.ars_name,
      metropolitan = excluded.metropolitan
  `.execute(db);
  const departmentRows = Object.entries(DEPARTMENTS).map(
    ([code, [regionCode, name]]) => sql`(${code}, ${regionCode}, ${name})`,
  );
  await sql`
    insert into departments (code, region_code, name) values ${sql.join(departmentRows)}
    on conflict (code) do update set region_code = excluded.region_code, name = excluded.name
  `.execute(db);
  // A CERT correction of a structure's type must survive the next FINESS import.
  await sql`alter table structures add column structure_type_set_by_hand boolean not null default false`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table structures drop column structure_type_set_by_hand`.execute(db);
  await sql`delete from departments`.execute(db);
  // Regions still referenced by accounts or structures stay.
  await sql`
    delete from regions
    where code not in (select region_code from users where region_code is not null)
      and code not in (select region_code from structures where region_code is not null)
  `.execute(db);
}
