import type { IncidentRecord } from "@vigie/contracts";
import { isBusinessHours } from "../time/business-hours.ts";
import {
  DeclarantPools,
  type DemoStructure,
  type DemoStructureSource,
  FictitiousStructures,
  kindOf,
  loadDemoStructureSource,
} from "./demo-structures.ts";
import { incidentTexts, SYSTEMS_BY_TYPE } from "./demo-texts.ts";
import {
  businessMoment,
  formatParisTime,
  outOfHoursMoment,
  type ParisMoment,
  parisMoment,
} from "./demo-times.ts";
import { DEMO_EXTRA_OSE, DEMO_YEAR_PLANS, type DemoKind, type DemoYearPlan } from "./observatory-plan.ts";
import { apportion, createRandom, type Random } from "./random.ts";

/**
 * The demo observatory: 1 906 declarations of 2021–2023 in `vigie.incident/1` that reproduce the
 * CERT Santé's published figures (`observatory-plan.ts`), on structures of the real FINESS
 * extract (`demo-structures.ts`). Deterministic: the same records every run (seeded generator,
 * no clock, no `Math.random`). Loaded at first run and by `vigie seed demo`
 * (`seed-observatory-demo.ts`).
 *
 * How the exact figures come out: every count is a quota drawn without replacement from the
 * incidents that may carry it (`Random.sample`), in an order that keeps the draws plausible
 * (a ransomware is more often an ESMS's and affects patient care; a phishing message rarely
 * touches data…); multi-valued fields with exact totals per code are dealt by `dealSets`; and
 * the structure-level figures (structures declaring, with several declarations, OSE, technical
 * support, unanswered complements) are chosen on structures, then carried by one of their
 * incidents.
 */

type MaliciousType = IncidentRecord["malicious_types"][number];
type NonMaliciousType = IncidentRecord["non_malicious_types"][number];
type DataImpact = IncidentRecord["data_impacts"][number];
type DataType = IncidentRecord["data_types"][number];
type OutOfScopeReason = NonNullable<IncidentRecord["out_of_scope_reason"]>;
type Origin = NonNullable<IncidentRecord["origin"]>;
type SiEffect = NonNullable<IncidentRecord["si_effect"]>;
type OperationalImpact = NonNullable<IncidentRecord["operational_impact"]>;
type Endangerment = NonNullable<IncidentRecord["patient_endangerment"]>;
type StateAtDeclaration = IncidentRecord["state_at_declaration"];
type Channel = IncidentRecord["channel"];
type Authority = IncidentRecord["authorities_involved"][number];
type AffectedSystem = IncidentRecord["affected_systems"][number];
type Filing = IncidentRecord["filings"][number];
type Tlp = IncidentRecord["tlp"];

/** The seed of the demo: changing it gives other records meeting the same figures. */
export const OBSERVATORY_DEMO_SEED = "vigie/observatoire-demo/v1";

/** The years the demo covers. */
export const OBSERVATORY_DEMO_YEARS = DEMO_YEAR_PLANS.map((p) => p.year);

const HOUR = 3_600_000;

/** One declaration being built. */
interface Slot {
  structure: DemoStructure;
  at: Date;
  iso: string;
  month: number;
  quarter: number;
  business: boolean;
  reference: string;
  outOfScope: OutOfScopeReason | null;
  origin: Origin | null;
  maliciousTypes: MaliciousType[];
  nonMaliciousTypes: NonMaliciousType[];
  siEffect: SiEffect | null;
  operational: OperationalImpact | null;
  degradedHours: number | null;
  endangerment: Endangerment | null;
  dataImpacts: DataImpact[];
  dataTypes: DataType[];
  channel: Channel;
  supportRequested: boolean;
  state: StateAtDeclaration;
  technicalSupport: boolean;
  authorities: Authority[];
  complementRequested: Date | null;
  complementAnswered: Date | null;
  eventRef: string | null;
}

/** Structure-level flags, the same in every year's snapshot. */
interface StructureFlags {
  ose: boolean;
  oiv: boolean;
  ghtSupport: boolean;
}

// --- declaring structures ---------------------------------------------------------------------

const SINGLE_KIND_ORDER: readonly DemoKind[] = ["grades", "radiotherapy", "other", "lbm", "esms", "es"];

/**
 * The structures declaring in a year and how many times each: the plan's multiplicities are
 * spread over the regions so that each region receives exactly its number of declarations,
 * then each region's slots are filled from its candidates, the busiest declaring most.
 */
function chooseDeclarants(
  plan: DemoYearPlan,
  pools: DeclarantPools,
  random: Random,
): Map<DemoStructure, number> {
  const capacity = new Map(Object.entries(plan.regions));
  const used = new Map<string, number>();
  const placed = new Map<string, number[]>(); // region/kind → multiplicities
  const place = (region: string, kind: DemoKind, multiplicity: number) => {
    capacity.set(region, (capacity.get(region) ?? 0) - multiplicity);
    const key = `${region}/${kind}`;
    used.set(key, (used.get(key) ?? 0) + 1);
    placed.set(key, [...(placed.get(key) ?? []), multiplicity]);
  };
  const room = (region: string, kind: DemoKind) =>
    pools.available(region, kind) - (used.get(`${region}/${kind}`) ?? 0);
  const pickRegion = (kind: DemoKind, multiplicity: number): string => {
    const weights: Record<string, number> = {};
    for (const [region, left] of capacity) {
      if (left >= multiplicity && room(region, kind) > 0) weights[region] = left ** 1.5;
    }
    if (Object.keys(weights).length === 0) throw new Error(`aucune région pour ${kind} × ${multiplicity}`);
    return random.weighted(weights);
  };

  const slots = plan.declarants.flatMap((g) =>
    Array.from({ length: g.structures }, () => ({ kind: g.kind, multiplicity: g.multiplicity })),
  );
  const multi = random
    .shuffle(slots.filter((s) => s.multiplicity > 1))
    .sort((a, b) => b.multiplicity - a.multiplicity);
  for (const slot of multi) place(pickRegion(slot.kind, slot.multiplicity), slot.kind, slot.multiplicity);
  const singles = slots.filter((s) => s.multiplicity === 1);
  for (const kind of SINGLE_KIND_ORDER) {
    const count = singles.filter((s) => s.kind === kind).length;
    if (kind === "es") {
      // ES are plentiful everywhere: they take whatever each region has left.
      for (const [region, left] of capacity) for (let i = 0; i < left; i++) place(region, "es", 1);
      continue;
    }
    for (let i = 0; i < count; i++) place(pickRegion(kind, 1), kind, 1);
  }
  const esSingles = [...placed]
    .filter(([key]) => key.endsWith("/es"))
    .flatMap(([, m]) => m.filter((x) => x === 1));
  if (esSingles.length !== singles.filter((s) => s.kind === "es").length) {
    throw new Error(`${plan.year} : les régions ne reçoivent pas le nombre d'ES prévu`);
  }

  const declarants = new Map<DemoStructure, number>();
  for (const [key, multiplicities] of placed) {
    const [region, kind] = key.split("/") as [string, DemoKind];
    const order = pools.order(region, kind);
    const n = multiplicities.length;
    const reach = Math.min(order.length, Math.max(n, Math.ceil(n * 1.6) + 3));
    const chosen = random
      .sample(order.slice(0, reach), n)
      .sort((a, b) => order.indexOf(a) - order.indexOf(b));
    const sorted = [...multiplicities].sort((a, b) => b - a);
    chosen.forEach((structure, i) => {
      declarants.set(structure, sorted[i] ?? 1);
    });
  }
  return declarants;
}

/** How likely an ES is to be an OSE (large public hospitals, cancer centres). */
function oseWeight(structure: DemoStructure, multiplicity: number): number {
  const category = structure.category ?? "";
  let weight = 0.2;
  if (category.includes("Régional")) weight = 6;
  else if (category.startsWith("Centre Hospitalier (C.H.)")) weight = 4;
  else if (structure.type === "es_private_nonprofit" || structure.type === "army_hospital") weight = 1.5;
  return weight * multiplicity ** 1.5;
}

/**
 * The OSE: exactly `oseDeclaring` of the ES declaring in the year that publishes it, plus
 * `DEMO_EXTRA_OSE` ES that declared only in other years. OIV: some OSE regional hospitals.
 * GHT support establishments: the public OSE hospitals.
 */
function chooseFlags(
  years: ReadonlyArray<{ plan: DemoYearPlan; declarants: Map<DemoStructure, number> }>,
  random: Random,
) {
  const flags = new Map<DemoStructure, StructureFlags>();
  const ose = new Set<DemoStructure>();
  const published = years.filter((y) => y.plan.oseDeclaring !== null);
  const declaringPublished = new Set(published.flatMap((y) => [...y.declarants.keys()]));
  for (const { plan, declarants } of published) {
    const es = [...declarants].filter(([s]) => kindOf(s.type) === "es");
    for (const [s] of random.sample(es, plan.oseDeclaring ?? 0, ([s, m]) => oseWeight(s, m))) ose.add(s);
  }
  const others = new Map<DemoStructure, number>();
  for (const { declarants } of years) {
    for (const [s, m] of declarants) {
      if (kindOf(s.type) === "es" && !declaringPublished.has(s))
        others.set(s, Math.max(m, others.get(s) ?? 0));
    }
  }
  for (const [s] of random.sample([...others], DEMO_EXTRA_OSE, ([s, m]) => oseWeight(s, m))) ose.add(s);
  const regional = [...ose].filter((s) => (s.category ?? "").includes("Régional"));
  const oiv = new Set(random.sample(regional, Math.min(10, regional.length)));
  for (const { declarants } of years) {
    for (const s of declarants.keys()) {
      const isOse = ose.has(s);
      flags.set(s, {
        ose: isOse,
        oiv: oiv.has(s),
        ghtSupport: isOse && s.type === "es_public" && !(s.category ?? "").includes("Maladies Mentales"),
      });
    }
  }
  return flags;
}

// --- times --------------------------------------------------------------------------------------

/** The year's declaration times: per month, the plan's count; HO/JO apportioned over months. */
function declarationTimes(plan: DemoYearPlan, random: Random): { moment: ParisMoment; business: boolean }[] {
  const months = Object.fromEntries(plan.monthly.map((count, i) => [String(i + 1), count]));
  const businessByMonth = apportion(plan.businessHours, months);
  const times: { moment: ParisMoment; business: boolean }[] = [];
  for (let month = 1; month <= 12; month++) {
    let business = businessByMonth[String(month)] ?? 0;
    let outOfHours = (plan.monthly[month - 1] ?? 0) - business;
    for (const edge of plan.edgeTimes) {
      const moment = parisMoment(edge.date, edge.hour, edge.minute, edge.second);
      if (!moment) throw new Error(`heure inexistante : ${edge.date} ${edge.hour}:${edge.minute}`);
      if (moment.month !== month) continue;
      const isBusiness = isBusinessHours(moment.at);
      if (isBusiness) business--;
      else outOfHours--;
      times.push({ moment, business: isBusiness });
    }
    if (business < 0 || outOfHours < 0) throw new Error(`mois ${month} : trop d'heures imposées`);
    for (let i = 0; i < business; i++) {
      times.push({ moment: businessMoment(random, plan.year, month), business: true });
    }
    for (let i = 0; i < outOfHours; i++) {
      times.push({ moment: outOfHoursMoment(random, plan.year, month, plan.outOfHours), business: false });
    }
  }
  return times;
}

// --- multi-valued fields with exact totals ----------------------------------------------------

/**
 * Gives each item `count(item)` distinct codes so that each code is given exactly `quotas[code]`
 * times, preferring codes of high `affinity`. Items with the most codes go first; a code whose
 * quota equals the number of items left must be taken by each of them, which keeps the deal
 * possible to the end.
 */
function dealSets<T, C extends string>(
  random: Random,
  items: readonly T[],
  count: (item: T) => number,
  quotas: Readonly<Record<C, number>>,
  affinity: (item: T, code: C) => number,
): Map<T, C[]> {
  const left = { ...quotas } as Record<C, number>;
  const codes = Object.keys(left) as C[];
  const total = codes.reduce((s, c) => s + left[c], 0);
  const wanted = items.reduce((s, i) => s + count(i), 0);
  if (total !== wanted) throw new Error(`dealSets : ${wanted} places pour ${total} codes`);
  const ordered = random.shuffle(items).sort((a, b) => count(b) - count(a));
  const result = new Map<T, C[]>();
  let remaining = ordered.length;
  for (const item of ordered) {
    const k = count(item);
    const forced = codes.filter((c) => left[c] === remaining);
    if (forced.length > k) throw new Error("dealSets : répartition impossible");
    const free = codes.filter((c) => left[c] > 0 && !forced.includes(c));
    const chosen = [
      ...forced,
      ...random.sample(free, k - forced.length, (c) => Math.max(affinity(item, c), 0.05) * left[c]),
    ];
    for (const c of chosen) left[c]--;
    result.set(
      item,
      codes.filter((c) => chosen.includes(c)),
    );
    remaining--;
  }
  return result;
}

// --- the qualification and the handling of one year ----------------------------------------

const SECONDARY_TYPES: Readonly<Record<MaliciousType, readonly MaliciousType[]>> = {
  ransomware: ["is_compromise", "data_leak", "account_compromise", "vulnerability_exploitation"],
  account_compromise: ["malicious_message", "data_leak", "is_compromise"],
  malicious_message: ["account_compromise", "malware"],
  is_compromise: ["data_leak", "malware", "vulnerability_exploitation"],
  data_leak: ["account_compromise", "is_compromise"],
  malware: ["malicious_message", "is_compromise"],
  vulnerability_exploitation: ["is_compromise", "account_compromise", "data_leak"],
  denial_of_service: [],
  defacement: ["vulnerability_exploitation"],
  equipment_theft: ["data_leak"],
  fraud: ["malicious_message", "account_compromise"],
  other: ["malicious_message"],
};

function primaryType(slot: Slot): string {
  if (slot.maliciousTypes[0]) return slot.maliciousTypes[0];
  if (slot.nonMaliciousTypes[0]) return slot.nonMaliciousTypes[0];
  return slot.origin ?? "out_of_scope";
}

function has(slot: Slot, type: MaliciousType): boolean {
  return slot.maliciousTypes.includes(type);
}

function isMajor(slot: Slot): boolean {
  return slot.siEffect === "important" || slot.siEffect === "extreme";
}

/** How serious an incident looks to the CERT (weights support and its choices). */
function seriousness(slot: Slot): number {
  let weight = 1;
  if (isMajor(slot)) weight += 15;
  if (has(slot, "ransomware")) weight += 10;
  if (has(slot, "is_compromise")) weight += 6;
  if (has(slot, "account_compromise") || has(slot, "vulnerability_exploitation")) weight += 4;
  if (has(slot, "malware") || has(slot, "data_leak")) weight += 3;
  if (slot.operational === "care_interrupted") weight += 3;
  if (slot.operational === "degraded_care") weight += 2;
  if (has(slot, "malicious_message") && slot.maliciousTypes.length === 1) weight *= 0.5;
  return weight;
}

/** Ransomware hit medico-social structures and private establishments most (report, p. 17). */
const RANSOMWARE_WEIGHTS: Readonly<Record<string, number>> = {
  esms: 3,
  lbm: 3,
  es_private_forprofit: 2.5,
  es_private_nonprofit: 2.5,
  es_public: 1,
};

const CARE_WEIGHTS: Readonly<Record<string, number>> = {
  telecom_loss: 6,
  infrastructure_failure: 6,
  application_bug: 5,
  power_outage: 5,
  human_error: 2,
  undetermined: 1.5,
  is_compromise: 2.5,
  denial_of_service: 2,
  malware: 1.5,
  vulnerability_exploitation: 1,
};

const DATA_IMPACT_WEIGHTS: Readonly<Record<string, number>> = {
  ransomware: 20,
  data_leak: 20,
  equipment_theft: 10,
  account_compromise: 5,
  is_compromise: 5,
  vulnerability_exploitation: 3,
  malware: 3,
  fraud: 0.6,
  malicious_message: 0.5,
  denial_of_service: 0.5,
  defacement: 0.7,
  infrastructure_failure: 3,
  telecom_loss: 2.5,
  application_bug: 3,
  power_outage: 2,
  human_error: 4,
  undetermined: 1,
};

function impactAffinity(slot: Slot, code: Exclude<DataImpact, "none">): number {
  const type = primaryType(slot);
  const any = (...types: string[]) =>
    types.some(
      (t) =>
        slot.maliciousTypes.includes(t as MaliciousType) ||
        slot.nonMaliciousTypes.includes(t as NonMaliciousType),
    );
  switch (code) {
    case "data_loss_or_unavailability":
      return any("ransomware", "infrastructure_failure", "telecom_loss", "application_bug", "power_outage")
        ? 5
        : any("denial_of_service")
          ? 3
          : slot.operational === "degraded_care" || slot.operational === "care_interrupted"
            ? 3
            : 1;
    case "personal_info_disclosure":
      return any("data_leak")
        ? 6
        : any("account_compromise")
          ? 5
          : any("equipment_theft", "human_error")
            ? 4
            : any("malicious_message")
              ? 3
              : any("is_compromise", "ransomware")
                ? 2
                : 0.5;
    case "structure_data_disclosure":
      return any("data_leak", "is_compromise")
        ? 4
        : any("ransomware")
          ? 3
          : any("account_compromise", "fraud")
            ? 2
            : 0.5;
    case "data_integrity":
      return any("defacement", "application_bug")
        ? 4
        : any("ransomware", "human_error")
          ? 3
          : any("is_compromise", "malware")
            ? 2
            : 0.7;
    default:
      return type === "undetermined" ? 2 : 1;
  }
}

function dataTypeAffinity(slot: Slot, code: DataType): number {
  const impacts = slot.dataImpacts;
  const mal = (t: MaliciousType) => slot.maliciousTypes.includes(t);
  switch (code) {
    case "personal_health":
      return (
        (impacts.includes("personal_info_disclosure") ? 3 : 0) +
        (impacts.includes("data_loss_or_unavailability") ? 3 : 0) +
        (impacts.includes("data_integrity") ? 2 : 0) +
        0.5
      );
    case "personal_other":
      return (
        (impacts.includes("personal_info_disclosure") ? 4 : 0) + (mal("account_compromise") ? 4 : 0) + 0.5
      );
    case "technical_sensitive":
      return (
        (impacts.includes("structure_data_disclosure") ? 3 : 0) +
        (mal("is_compromise") || mal("vulnerability_exploitation") ? 3 : 0) +
        0.5
      );
    default:
      return (
        (impacts.includes("structure_data_disclosure") ? 4 : 0) +
        (mal("fraud") || mal("ransomware") ? 2 : 0) +
        0.5
      );
  }
}

function qualifyYear(
  plan: DemoYearPlan,
  slots: Slot[],
  random: Random,
  flags: ReadonlyMap<DemoStructure, StructureFlags>,
): void {
  const r = (step: string) => random.fork(step);

  // Out of scope: exercises are declared in business hours; the rest anywhere.
  const exercises = r("exercises").sample(
    slots.filter((s) => s.business),
    plan.outOfScope.exercise,
  );
  for (const s of exercises) s.outOfScope = "exercise";
  const otherReasons = (["not_health_is", "duplicate", "other"] as const).flatMap((reason) =>
    Array.from({ length: plan.outOfScope[reason] }, () => reason),
  );
  const outOfScope = r("out-of-scope").sample(
    slots.filter((s) => !s.outOfScope),
    otherReasons.length,
    (s) => (kindOf(s.structure.type) === "es" ? 1 : 1.5),
  );
  outOfScope.forEach((s, i) => {
    s.outOfScope = otherReasons[i] ?? "other";
  });
  const inScope = slots.filter((s) => !s.outOfScope);

  // Origin.
  const malicious = r("malicious").sample(inScope, plan.malicious);
  for (const s of malicious) s.origin = "malicious";
  const nonMalicious = r("non-malicious").sample(
    inScope.filter((s) => !s.origin),
    plan.nonMalicious,
  );
  for (const s of nonMalicious) s.origin = "non_malicious";
  for (const s of inScope) s.origin ??= "undetermined";

  // Ransomware: the same number each quarter, mostly medico-social and private structures.
  const perQuarter = apportion(plan.ransomware, { "1": 1, "2": 1, "3": 1, "4": 1 });
  const ransomWeight = (s: Slot) => RANSOMWARE_WEIGHTS[s.structure.type] ?? 1.5;
  for (let quarter = 1; quarter <= 4; quarter++) {
    const chosen = r(`ransomware-${quarter}`).sample(
      malicious.filter((s) => s.quarter === quarter),
      perQuarter[String(quarter) as "1"],
      ransomWeight,
    );
    for (const s of chosen) s.maliciousTypes = ["ransomware"];
  }

  // Events: declarations of one month and one type grouped by the CERT.
  for (const event of plan.events) {
    const pool = (event.origin === "malicious" ? malicious : nonMalicious).filter(
      (s) => s.month === event.month && s.maliciousTypes.length === 0 && s.nonMaliciousTypes.length === 0,
    );
    for (const s of r(`event-${event.ref}`).sample(pool, event.declarations)) {
      s.eventRef = event.ref;
      if (event.origin === "malicious") s.maliciousTypes = [event.type as MaliciousType];
      else s.nonMaliciousTypes = [event.type as NonMaliciousType];
    }
  }

  // Other malicious types: exact quotas, then a second (sometimes third) type for some.
  const maliciousQuotas = apportion(
    plan.malicious - plan.ransomware,
    plan.maliciousTypeWeights as Record<MaliciousType, number>,
  );
  for (const s of malicious) {
    const type = s.maliciousTypes[0];
    if (type && type !== "ransomware") maliciousQuotas[type]--;
  }
  const maliciousLeft = r("malicious-types").shuffle(malicious.filter((s) => s.maliciousTypes.length === 0));
  let cursor = 0;
  for (const [type, quota] of Object.entries(maliciousQuotas) as [MaliciousType, number][]) {
    if (quota < 0) throw new Error(`${plan.year} : trop d'incidents « ${type} » dans les événements`);
    for (let i = 0; i < quota; i++) {
      const slot = maliciousLeft[cursor++];
      if (slot) slot.maliciousTypes = [type];
    }
  }
  if (cursor !== maliciousLeft.length) throw new Error(`${plan.year} : types malveillants mal répartis`);
  const multiRandom = r("malicious-multi");
  const multiWeight = (s: Slot) => {
    const first = s.maliciousTypes[0] as MaliciousType;
    if (SECONDARY_TYPES[first].length === 0) return 0;
    return (
      { ransomware: 4, is_compromise: 3, account_compromise: 2, data_leak: 2, vulnerability_exploitation: 2 }[
        first as string
      ] ?? 1
    );
  };
  for (const s of multiRandom.sample(malicious, plan.maliciousMulti, multiWeight)) {
    const first = s.maliciousTypes[0] as MaliciousType;
    const options = multiRandom.shuffle(SECONDARY_TYPES[first]);
    const extra = options.length > 1 && multiRandom.chance(0.25) ? 2 : 1;
    s.maliciousTypes = [first, ...options.slice(0, extra)];
  }

  // Effect on the information system: the major ones are mostly ransomware.
  const majorRandom = r("major");
  const majors = majorRandom.sample(malicious, plan.major, (s) =>
    has(s, "ransomware")
      ? 20
      : has(s, "is_compromise")
        ? 4
        : has(s, "data_leak") || has(s, "vulnerability_exploitation")
          ? 2
          : has(s, "account_compromise")
            ? 1
            : 0.2,
  );
  const extreme = new Set(
    majorRandom.sample(majors, Math.round(plan.major / 3), (s) => (has(s, "ransomware") ? 3 : 1)),
  );
  for (const s of majors) s.siEffect = extreme.has(s) ? "extreme" : "important";
  for (const s of malicious) {
    if (s.siEffect) continue;
    s.siEffect = has(s, "ransomware")
      ? "moderate"
      : majorRandom.weighted({ none: 30, low: 45, moderate: 25 });
  }

  // Non-malicious types: one each, exact quotas.
  const nonMaliciousQuotas = { ...plan.nonMaliciousTypes } as Record<NonMaliciousType, number>;
  for (const s of nonMalicious) {
    const type = s.nonMaliciousTypes[0];
    if (type) nonMaliciousQuotas[type]--;
  }
  const nonMaliciousLeft = r("non-malicious-types").shuffle(
    nonMalicious.filter((s) => s.nonMaliciousTypes.length === 0),
  );
  cursor = 0;
  for (const [type, quota] of Object.entries(nonMaliciousQuotas) as [NonMaliciousType, number][]) {
    if (quota < 0) throw new Error(`${plan.year} : trop d'incidents « ${type} » dans les événements`);
    for (let i = 0; i < quota; i++) {
      const slot = nonMaliciousLeft[cursor++];
      if (slot) slot.nonMaliciousTypes = [type];
    }
  }
  if (cursor !== nonMaliciousLeft.length)
    throw new Error(`${plan.year} : types non malveillants mal répartis`);

  // Operational impact: patient care is mostly hit by telecom, infrastructure and software
  // failures, and by ransomware (a quarter of the cases are malicious, as in the report).
  const careRandom = r("care");
  const care = careRandom.sample(inScope, plan.careInterrupted + plan.degradedCare, (s) =>
    has(s, "ransomware")
      ? isMajor(s)
        ? 40
        : 15
      : s.origin === "malicious"
        ? (CARE_WEIGHTS[primaryType(s)] ?? 0.4)
        : (CARE_WEIGHTS[primaryType(s)] ?? 0.5),
  );
  const interrupted = new Set(
    careRandom.sample(care, plan.careInterrupted, (s) =>
      has(s, "ransomware") && isMajor(s)
        ? 10
        : ["telecom_loss", "power_outage"].includes(primaryType(s))
          ? 2
          : 1,
    ),
  );
  for (const s of care) s.operational = interrupted.has(s) ? "care_interrupted" : "degraded_care";
  const support = careRandom.sample(
    inScope.filter((s) => !s.operational),
    plan.degradedSupport,
    (s) => (s.origin === "malicious" ? 1.5 : 1),
  );
  for (const s of support) s.operational = "degraded_support";
  for (const s of inScope) {
    s.operational ??= "none";
    if (s.operational === "degraded_care" || s.operational === "care_interrupted") {
      if (careRandom.chance(0.85)) {
        s.degradedHours = has(s, "ransomware")
          ? Math.round(24 * 10 ** careRandom.next())
          : Math.round(10 * (1 + 4 * careRandom.next() ** 2)) / 2;
      }
    } else if (s.operational === "degraded_support" && careRandom.chance(0.4)) {
      s.degradedHours = careRandom.int(1, 24);
    }
  }

  // Patient endangerment: within the incidents that affected care.
  const endangermentRandom = r("endangerment");
  const actual = endangermentRandom.sample([...interrupted], plan.endangermentActual, (s) =>
    ["telecom_loss", "application_bug"].includes(primaryType(s)) ? 3 : 1,
  );
  for (const s of actual) s.endangerment = "actual";
  const potential = endangermentRandom.sample(
    care.filter((s) => !s.endangerment),
    plan.endangermentPotential,
    (s) =>
      (s.operational === "care_interrupted" ? 3 : 1) *
      (["telecom_loss", "power_outage", "application_bug"].includes(primaryType(s)) || has(s, "ransomware")
        ? 2
        : 1),
  );
  for (const s of potential) s.endangerment = "potential";
  for (const s of inScope) s.endangerment ??= "none";

  // Data impacts: `none` alone, or one to three impacts with exact totals per code.
  const impactRandom = r("data-impacts");
  const { none, ...impactQuotas } = plan.dataImpacts;
  const impacting = impactRandom.sample(inScope, inScope.length - none, (s) => {
    const base = DATA_IMPACT_WEIGHTS[primaryType(s)] ?? 0.4;
    return s.operational === "degraded_care" || s.operational === "care_interrupted" ? base * 2 : base;
  });
  const impactingSet = new Set(impacting);
  for (const s of inScope) if (!impactingSet.has(s)) s.dataImpacts = ["none"];
  const mentions = Object.values(impactQuotas).reduce((a, b) => a + b, 0);
  const extra = mentions - impacting.length;
  const triple = new Set(
    impactRandom.sample(impacting, plan.dataImpactsTriple, (s) =>
      has(s, "ransomware") ? 5 : has(s, "data_leak") ? 4 : has(s, "is_compromise") ? 3 : 1,
    ),
  );
  const double = new Set(
    impactRandom.sample(
      impacting.filter((s) => !triple.has(s)),
      extra - 2 * plan.dataImpactsTriple,
      (s) => (s.origin === "malicious" ? 2 : 1),
    ),
  );
  const impactsBySlot = dealSets(
    impactRandom,
    impacting,
    (s) => (triple.has(s) ? 3 : double.has(s) ? 2 : 1),
    impactQuotas,
    impactAffinity,
  );
  for (const [s, codes] of impactsBySlot) s.dataImpacts = codes;

  // Data types: among the incidents that touched data.
  const typeRandom = r("data-types");
  const typed = typeRandom.sample(
    impacting,
    plan.dataTypeIncidents,
    (s) =>
      (s.dataImpacts.includes("personal_info_disclosure") ? 10 : 0) +
      (s.dataImpacts.includes("structure_data_disclosure") ? 6 : 0) +
      (s.dataImpacts.includes("data_integrity") ? 1.5 : 0) +
      (s.dataImpacts.includes("data_loss_or_unavailability") ? 1 : 0) +
      0.5,
  );
  const typeTriple = new Set(typeRandom.sample(typed, plan.dataTypeThree, (s) => s.dataImpacts.length ** 2));
  const typeDouble = new Set(
    typeRandom.sample(
      typed.filter((s) => !typeTriple.has(s)),
      plan.dataTypeTwo,
      (s) => s.dataImpacts.length ** 2,
    ),
  );
  const typesBySlot = dealSets(
    typeRandom,
    typed,
    (s) => (typeTriple.has(s) ? 3 : typeDouble.has(s) ? 2 : 1),
    plan.dataTypes,
    dataTypeAffinity,
  );
  for (const [s, codes] of typesBySlot) s.dataTypes = codes;

  // Calls to the on-call line: out of hours, serious incidents.
  const channelRandom = r("channel");
  const calls = channelRandom.sample(
    inScope.filter((s) => !s.business),
    plan.phoneOncall,
    seriousness,
  );
  for (const s of calls) s.channel = "phone_oncall";
  for (const s of slots) {
    if (s.channel === "phone_oncall" || s.outOfScope === "exercise") continue;
    s.channel = channelRandom.weighted(
      s.outOfScope ? { portal: 75, email: 25 } : { portal: 91, email: 7, other: 2 },
    );
  }

  // Support requested: every call, then the most serious incidents.
  const supportRandom = r("support");
  const requested = [
    ...calls,
    ...supportRandom.sample(
      inScope.filter((s) => s.channel !== "phone_oncall"),
      plan.supportRequested - calls.length,
      seriousness,
    ),
  ];
  for (const s of requested) s.supportRequested = true;
  for (const s of slots) {
    if (s.outOfScope) s.state = supportRandom.weighted({ resolved: 40, unknown: 40, in_progress: 20 });
    else if (s.supportRequested) s.state = supportRandom.chance(0.95) ? "support_needed" : "in_progress";
    else s.state = supportRandom.weighted({ resolved: 45, in_progress: 38, support_needed: 10, unknown: 7 });
  }

  // Technical support: structures first (the report counts structures), then one of their
  // incidents for which support was asked — the calls to the on-call line first.
  const technicalRandom = r("technical");
  const supportedByStructure = new Map<DemoStructure, Slot[]>();
  for (const s of requested)
    supportedByStructure.set(s.structure, [...(supportedByStructure.get(s.structure) ?? []), s]);
  const byConcern = (list: Slot[]) => [...list].sort((a, b) => seriousness(b) - seriousness(a));
  const technicalStructures = new Set<DemoStructure>();
  for (const s of calls.slice(0, plan.phoneWithTechnicalSupport)) {
    s.technicalSupport = true;
    technicalStructures.add(s.structure);
  }
  const candidates = [...supportedByStructure.keys()].filter((s) => !technicalStructures.has(s));
  const chosen = technicalRandom.sample(
    candidates,
    plan.technicalStructures - technicalStructures.size,
    (structure) => Math.max(...(supportedByStructure.get(structure) ?? []).map(seriousness)),
  );
  for (const structure of chosen) {
    technicalStructures.add(structure);
    const first = byConcern(supportedByStructure.get(structure) ?? [])[0];
    if (first) first.technicalSupport = true;
  }
  const secondChances = [...technicalStructures].filter((structure) =>
    (supportedByStructure.get(structure) ?? []).some((s) => !s.technicalSupport),
  );
  // (not a published figure: as many as the structures allow, up to the plan's number)
  const extraCount = Math.min(secondChances.length, plan.technicalExtraIncidents);
  for (const structure of technicalRandom.sample(secondChances, extraCount)) {
    const next = byConcern((supportedByStructure.get(structure) ?? []).filter((s) => !s.technicalSupport))[0];
    if (next) next.technicalSupport = true;
  }

  // ANSSI and FSSI: among the structures given technical support, OSE and public hospitals first.
  const authorityRandom = r("authorities");
  const { anssiOnly, fssiOnly, both } = plan.authorities;
  const authorityStructures = authorityRandom.sample(
    [...technicalStructures],
    anssiOnly + fssiOnly + both,
    (structure) =>
      (flags.get(structure)?.ose ? 4 : 1) *
      (structure.type === "es_public" ? 2 : 1) *
      Math.max(...slots.filter((s) => s.structure === structure && s.technicalSupport).map(seriousness)),
  );
  const fssiFirst = [...authorityStructures].sort(
    (a, b) => Number(flags.get(b)?.ose ?? false) - Number(flags.get(a)?.ose ?? false),
  );
  const withBoth = new Set(fssiFirst.slice(0, both));
  const fssiAlone = new Set(fssiFirst.slice(both, both + fssiOnly));
  for (const structure of authorityStructures) {
    const slot = byConcern(slots.filter((s) => s.structure === structure && s.technicalSupport))[0];
    if (!slot) continue;
    slot.authorities = withBoth.has(structure)
      ? ["anssi", "fssi"]
      : fssiAlone.has(structure)
        ? ["fssi"]
        : ["anssi"];
  }

  // Complements: structures that never answered (mostly non-malicious incidents), then answered requests.
  const complementRandom = r("complements");
  const structuresOfYear = [...new Set(slots.map((s) => s.structure))];
  const silent = complementRandom.sample(structuresOfYear, plan.unansweredStructures, (structure) =>
    slots.some((s) => s.structure === structure && s.origin !== "malicious") ? 4 : 1,
  );
  const asked = (s: Slot) => new Date(s.at.getTime() + complementRandom.int(1, 48) * HOUR);
  for (const structure of silent) {
    const own = slots.filter((s) => s.structure === structure);
    const slot = own.find((s) => s.origin !== "malicious") ?? own[0];
    if (slot) slot.complementRequested = asked(slot);
  }
  const answered = complementRandom.sample(
    slots.filter((s) => !s.complementRequested && !silent.includes(s.structure)),
    plan.complementsAnswered,
    (s) => (s.supportRequested ? 3 : 1),
  );
  for (const s of answered) {
    s.complementRequested = asked(s);
    s.complementAnswered = new Date(s.complementRequested.getTime() + complementRandom.int(2, 120) * HOUR);
  }
}

// --- records ----------------------------------------------------------------------------------

function affectedSystems(random: Random, slot: Slot): AffectedSystem[] {
  const systems = new Set<AffectedSystem>();
  for (const type of slot.maliciousTypes) {
    const options = SYSTEMS_BY_TYPE[type === "other" ? "malicious:other" : type];
    if (options) for (const s of random.pick(options)) systems.add(s);
  }
  for (const type of slot.nonMaliciousTypes) {
    const options = SYSTEMS_BY_TYPE[type === "other" ? "non_malicious:other" : type];
    if (options) for (const s of random.pick(options)) systems.add(s);
  }
  return [...systems];
}

function filings(random: Random, slot: Slot): Filing[] {
  const result: Filing[] = [];
  if (
    (has(slot, "ransomware") && random.chance(0.8)) ||
    ((has(slot, "fraud") || has(slot, "account_compromise")) && random.chance(0.2))
  ) {
    result.push("complaint");
  }
  if (slot.dataImpacts.includes("personal_info_disclosure") && random.chance(0.6)) result.push("cnil");
  if (isMajor(slot) && random.chance(0.7)) result.push("provider_engaged");
  return result;
}

function toRecord(slot: Slot, flags: StructureFlags, random: Random): IncidentRecord {
  const texts = incidentTexts(random, {
    outOfScope: slot.outOfScope,
    maliciousType: slot.maliciousTypes[0],
    nonMaliciousType: slot.nonMaliciousTypes[0],
  });
  const detected = random.chance(0.9)
    ? formatParisTime(new Date(slot.at.getTime() - random.int(10, 72 * 60) * 60_000))
    : null;
  const tlp: Tlp =
    isMajor(slot) && random.chance(0.3)
      ? "red"
      : random.weighted({ amber: 72, green: 18, clear: 6, amber_strict: 4 });
  const inScope = !slot.outOfScope;
  return {
    reference: slot.reference,
    declared_at: slot.iso,
    detected_at: detected,
    channel: slot.channel,
    structure: {
      finess_et: slot.structure.finess,
      name: slot.structure.name,
      type: slot.structure.type,
      region: slot.structure.region,
      department: slot.structure.department,
      ose: flags.ose,
      oiv: flags.oiv,
      ght_support: flags.ghtSupport,
    },
    out_of_scope: !inScope,
    out_of_scope_reason: slot.outOfScope,
    state_at_declaration: slot.state,
    support_requested: slot.supportRequested,
    origin: slot.origin,
    malicious_types: slot.maliciousTypes,
    non_malicious_types: slot.nonMaliciousTypes,
    si_effect: slot.siEffect,
    data_impacts: slot.dataImpacts,
    data_types: slot.dataTypes,
    operational_impact: slot.operational,
    degraded_mode_hours: slot.degradedHours,
    patient_endangerment: slot.endangerment,
    affected_systems: inScope ? affectedSystems(random, slot) : [],
    persons_affected:
      slot.dataImpacts.includes("personal_info_disclosure") && random.chance(0.7)
        ? Math.round(10 ** (random.next() * 3.7))
        : null,
    filings: inScope ? filings(random, slot) : [],
    technical_support_provided: slot.technicalSupport,
    authorities_involved: slot.authorities,
    complement_requested_at: slot.complementRequested ? formatParisTime(slot.complementRequested) : null,
    complement_answered_at: slot.complementAnswered ? formatParisTime(slot.complementAnswered) : null,
    event_ref: slot.eventRef,
    tlp,
    title: texts.title,
    description: texts.description,
  };
}

/**
 * The demo records of 2021–2023, oldest first, numbered `CS-<year>-000001`… in declaration order
 * within each Paris year.
 */
export function generateObservatoryDemo(
  source: DemoStructureSource = loadDemoStructureSource(),
  seed: string = OBSERVATORY_DEMO_SEED,
): IncidentRecord[] {
  const random = createRandom(seed);
  const taken = new Set(source.real.map((s) => s.finess));
  const fictitious = new FictitiousStructures(random.fork("fictitious"), taken, source.regions);
  const pools = new DeclarantPools(random.fork("pools"), source.real, fictitious);
  const years = DEMO_YEAR_PLANS.map((plan) => ({
    plan,
    declarants: chooseDeclarants(plan, pools, random.fork(`${plan.year}/declarants`)),
  }));
  const flags = chooseFlags(years, random.fork("flags"));
  const records: IncidentRecord[] = [];
  for (const { plan, declarants } of years) {
    const yearRandom = random.fork(String(plan.year));
    const owners = yearRandom
      .fork("owners")
      .shuffle(
        [...declarants].flatMap(([structure, multiplicity]) =>
          Array.from({ length: multiplicity }, () => structure),
        ),
      );
    const times = declarationTimes(plan, yearRandom.fork("times"));
    if (times.length !== owners.length)
      throw new Error(`${plan.year} : ${times.length} heures pour ${owners.length} déclarations`);
    const slots: Slot[] = owners.map((structure, i) => {
      const { moment, business } = times[i] as { moment: ParisMoment; business: boolean };
      return {
        structure,
        at: moment.at,
        iso: moment.iso,
        month: moment.month,
        quarter: Math.ceil(moment.month / 3),
        business,
        reference: "",
        outOfScope: null,
        origin: null,
        maliciousTypes: [],
        nonMaliciousTypes: [],
        siEffect: null,
        operational: null,
        degradedHours: null,
        endangerment: null,
        dataImpacts: [],
        dataTypes: [],
        channel: "portal",
        supportRequested: false,
        state: "unknown",
        technicalSupport: false,
        authorities: [],
        complementRequested: null,
        complementAnswered: null,
        eventRef: null,
      };
    });
    slots.sort((a, b) => a.at.getTime() - b.at.getTime());
    slots.forEach((s, i) => {
      s.reference = `CS-${plan.year}-${String(i + 1).padStart(6, "0")}`;
    });
    qualifyYear(plan, slots, yearRandom.fork("qualification"), flags);
    const recordRandom = yearRandom.fork("records");
    for (const slot of slots) {
      records.push(
        toRecord(
          slot,
          flags.get(slot.structure) ?? { ose: false, oiv: false, ghtSupport: false },
          recordRandom,
        ),
      );
    }
  }
  return records;
}
