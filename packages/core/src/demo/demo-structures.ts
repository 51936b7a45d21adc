import { readFileSync } from "node:fs";
import type { StructureType } from "@vigie/contracts";
import { withFinessCheckDigit } from "../directory/finess.ts";
import { REFERENCE_DIRECTORY_FILE } from "../directory/import-directory.ts";
import {
  type DepartmentIndex,
  parseDirectoryFile,
  validateDirectoryLines,
} from "../directory/parse-directory-file.ts";
import type { DemoKind } from "./observatory-plan.ts";
import type { Random } from "./random.ts";

/**
 * The structures the demo declarations come from.
 *
 * - Établissements de santé (ES: public, ESPIC/CLCC, cliniques, hôpitaux des armées),
 *   radiotherapy centres and « autre » structures are REAL rows of the shipped FINESS extract
 *   (`reference/etabs_hopitaux_france.csv`), with the directory's own category mapping
 *   (`directory/structure-type.ts`) and the region of their department — the very rows the
 *   first run loads into the directory.
 * - That extract holds hospital sites only: no EHPAD or other medico-social establishment (its
 *   52 « maisons d'accueil hospitalières », classified ESMS, lodge patients' families and are
 *   not what the report means), no medical laboratory, no GRADeS. Those declarants are
 *   FICTITIOUS: names ending in « (démonstration) », FINESS numbers made up as
 *   department + `99` + a serial + the Luhn key (valid, and checked not to be one of the
 *   extract's numbers). Importing the demo adds them to the directory (`source = 'import'`).
 */

export interface DemoStructure {
  finess: string;
  name: string;
  type: StructureType;
  region: string;
  department: string;
  /** FINESS category label of real rows (weights the choice of declarants). */
  category: string | null;
  fictitious: boolean;
}

/** A region as `reference/regions.csv` describes it. */
export interface DemoRegion {
  code: string;
  name: string;
  departments: string[];
}

/** The real rows of the extract and the regions, read once from `reference/`. */
export interface DemoStructureSource {
  real: DemoStructure[];
  regions: DemoRegion[];
}

const REFERENCE_REGIONS_FILE = new URL("../../../../reference/regions.csv", import.meta.url);

/** Parses `reference/regions.csv` (code,name,iso,ars,metropolitan,departments). */
export function parseRegionsCsv(text: string): DemoRegion[] {
  return text
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((line) => {
      const cells = line.split(",");
      return { code: cells[0] ?? "", name: cells[1] ?? "", departments: (cells[5] ?? "").split(" ") };
    });
}

let cachedSource: DemoStructureSource | undefined;

/** Reads the shipped FINESS extract and regions (about 100 ms, then cached). */
export function loadDemoStructureSource(): DemoStructureSource {
  if (cachedSource) return cachedSource;
  const regions = parseRegionsCsv(readFileSync(REFERENCE_REGIONS_FILE, "utf8"));
  const departments: DepartmentIndex = new Map(regions.flatMap((r) => r.departments.map((d) => [d, r.code])));
  const parsed = parseDirectoryFile(readFileSync(REFERENCE_DIRECTORY_FILE), "csv");
  const { records } = validateDirectoryLines(parsed.lines, departments);
  const real: DemoStructure[] = [];
  for (const { structure } of records) {
    if (!structure.region_code || !structure.department_code) continue;
    real.push({
      finess: structure.finess_et,
      name: structure.name,
      // classifyStructure's value (the insertable column is typed as text)
      type: structure.structure_type as StructureType,
      region: structure.region_code,
      department: structure.department_code,
      category: structure.category ?? null,
      fictitious: false,
    });
  }
  cachedSource = { real, regions };
  return cachedSource;
}

const ES_TYPES: ReadonlySet<StructureType> = new Set([
  "es_public",
  "es_private_nonprofit",
  "es_private_forprofit",
  "army_hospital",
]);

/** The kind of declarant a structure type is drawn as. */
export function kindOf(type: StructureType): DemoKind {
  if (ES_TYPES.has(type)) return "es";
  if (type === "esms" || type === "lbm" || type === "radiotherapy" || type === "grades") return type;
  return "other";
}

/**
 * How likely a real ES is to declare (relative): hospitals with more activity and more
 * connections declare more; the extract lists many secondary sites of psychiatric hospitals.
 */
function declarationWeight(structure: DemoStructure): number {
  const category = structure.category ?? "";
  if (structure.type === "army_hospital") return 2;
  if (category.includes("Régional")) return 6;
  if (category.startsWith("Centre Hospitalier (C.H.)")) return 5;
  if (category.includes("ex Hôpital local")) return 1.5;
  if (category.includes("Maladies Mentales")) return 0.6;
  if (category.includes("Domicile")) return 0.8;
  return structure.type === "es_public" ? 0.8 : 6;
}

const ESMS_NAMES = [
  ["EHPAD", 10],
  ["Résidence autonomie", 1],
  ["IME", 2],
  ["MAS", 1],
  ["FAM", 1],
  ["ESAT", 1],
  ["SSIAD", 2],
  ["SESSAD", 1],
] as const;
const PLACE_NAMES = [
  "Les Tilleuls",
  "Les Glycines",
  "Le Bois Joli",
  "Saint-Joseph",
  "La Roseraie",
  "Les Cèdres",
  "Bellevue",
  "Le Clos Fleuri",
  "Les Charmilles",
  "Les Peupliers",
  "La Source",
  "Les Jardins d'Automne",
  "Le Parc",
  "Les Mimosas",
  "La Colline",
  "Les Hirondelles",
  "Val Fleuri",
  "Les Lilas",
  "Sainte-Anne",
  "Le Moulin",
];
const LAB_NAMES = [
  "des Coteaux",
  "du Centre",
  "de l'Estuaire",
  "des Trois Rivières",
  "du Plateau",
  "des Collines",
  "de la Vallée",
  "du Littoral",
  "des Remparts",
  "de la Gare",
];

/** The FINESS prefix of a department: its code, `97`/`98` overseas. */
function finessPrefix(department: string): string {
  if (department === "976") return "98";
  if (department.length === 3) return "97";
  return department;
}

/**
 * Fictitious declarants of one region for the kinds the extract lacks: ESMS, medical
 * laboratories, the region's GRADeS — a fixed list per region, the same every run.
 */
export class FictitiousStructures {
  private readonly serials = new Map<string, number>();
  private readonly byRegionKind = new Map<string, DemoStructure[]>();

  constructor(
    private readonly random: Random,
    private readonly taken: ReadonlySet<string>,
    private readonly regions: readonly DemoRegion[],
  ) {}

  private finess(department: string): string {
    const prefix = finessPrefix(department);
    for (;;) {
      const serial = (this.serials.get(prefix) ?? 0) + 1;
      this.serials.set(prefix, serial);
      const finess = withFinessCheckDigit(`${prefix}99${String(serial).padStart(4, "0")}`);
      if (!this.taken.has(finess)) return finess;
    }
  }

  /** The region's fictitious structures of a kind (`esms`, `lbm` or `grades`), in a fixed order. */
  list(regionCode: string, kind: "esms" | "lbm" | "grades"): DemoStructure[] {
    const key = `${regionCode}/${kind}`;
    const existing = this.byRegionKind.get(key);
    if (existing) return existing;
    const region = this.regions.find((r) => r.code === regionCode);
    if (!region) throw new Error(`région inconnue : ${regionCode}`);
    const random = this.random.fork(key);
    const size = kind === "esms" ? 80 : kind === "lbm" ? 20 : 1;
    const made: DemoStructure[] = [];
    for (let i = 0; i < size; i++) {
      const department = random.pick(region.departments);
      let name: string;
      if (kind === "esms") {
        const prefix = random.weighted(Object.fromEntries(ESMS_NAMES) as Record<string, number>);
        name = `${prefix} ${random.pick(PLACE_NAMES)} – ${department} (démonstration)`;
      } else if (kind === "lbm") {
        name = `Laboratoire de biologie médicale ${random.pick(LAB_NAMES)} – ${department} (démonstration)`;
      } else {
        name = `GRADeS ${region.name} (démonstration)`;
      }
      made.push({
        finess: this.finess(department),
        name,
        type: kind,
        region: regionCode,
        department,
        category: null,
        fictitious: true,
      });
    }
    this.byRegionKind.set(key, made);
    return made;
  }
}

/**
 * Every candidate declarant of a region and kind, in a fixed order of preference (a random
 * permutation weighted by how likely each is to declare): each year draws among the first ones,
 * so the same hospitals tend to declare year after year, and the busiest declare several times.
 */
export class DeclarantPools {
  private readonly orders = new Map<string, DemoStructure[]>();

  constructor(
    private readonly random: Random,
    private readonly real: readonly DemoStructure[],
    private readonly fictitious: FictitiousStructures,
  ) {}

  order(region: string, kind: DemoKind): DemoStructure[] {
    const key = `${region}/${kind}`;
    const existing = this.orders.get(key);
    if (existing) return existing;
    let candidates: DemoStructure[];
    if (kind === "esms" || kind === "lbm" || kind === "grades") {
      candidates = this.fictitious.list(region, kind);
    } else {
      candidates = this.real.filter((s) => s.region === region && kindOf(s.type) === kind);
    }
    const weight = (s: DemoStructure) => (kind === "es" ? declarationWeight(s) : 1);
    const ordered = this.random.fork(key).sample(candidates, candidates.length, weight);
    this.orders.set(key, ordered);
    return ordered;
  }

  /** How many candidates of a kind a region has. */
  available(region: string, kind: DemoKind): number {
    return this.order(region, kind).length;
  }
}
