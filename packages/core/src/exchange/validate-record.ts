import { type IncidentRecord, regionCodes } from "@vigie/contracts";
import { isValidFiness } from "../directory/finess.ts";

/** A problem of one record: the field path (`structure.finess_et`, `malicious_types[1]`) and why. */
export interface RecordProblem {
  path: string;
  message: string;
}

const REGIONS: ReadonlySet<string> = new Set(regionCodes);
const FINESS_SHAPE = /^(\d{2}|2A|2B)\d{7}$/;
/** `persons_affected` is stored as a 32-bit integer. */
const MAX_INTEGER = 2_147_483_647;
/** A lone UTF-16 surrogate: not a Unicode character, refused by PostgreSQL. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const ARRAY_FIELDS = [
  "malicious_types",
  "non_malicious_types",
  "data_impacts",
  "data_types",
  "affected_systems",
  "filings",
  "authorities_involved",
] as const satisfies ReadonlyArray<keyof IncidentRecord>;

const TEXT_FIELDS = [
  "reference",
  "title",
  "description",
  "event_ref",
  "structure.name",
  "structure.department",
  "structure.ght",
] as const;

function textAt(record: IncidentRecord, path: (typeof TEXT_FIELDS)[number]): string | null | undefined {
  if (path.startsWith("structure.")) {
    const key = path.slice("structure.".length) as "name" | "department" | "ght";
    return record.structure[key];
  }
  return record[path as "reference" | "title" | "description" | "event_ref"];
}

/** The finess problem, in French, or null (exactly 9 characters, 2A/2B for Corsica, Luhn key). */
export function finessRecordProblem(value: string): string | null {
  if (value.length !== 9) return `Le numéro FINESS « ${value} » doit comporter exactement 9 caractères.`;
  if (!FINESS_SHAPE.test(value)) {
    return `Le numéro FINESS « ${value} » ne doit contenir que des chiffres (2A ou 2B en tête pour la Corse).`;
  }
  if (!isValidFiness(value))
    return `Le numéro FINESS « ${value} » est invalide (clé de contrôle incorrecte).`;
  return null;
}

/**
 * The rules between the fields of a record whose shape `IncidentRecordSchema` accepted
 * (`shared/spec/exchange-format.md`): FINESS check digit, INSEE region, scope and its reason,
 * types only with their origin, no duplicates, `none` alone, data types only with data impacted,
 * a complement answered after it was requested, texts PostgreSQL can store.
 */
export function validateRecordRules(record: IncidentRecord): RecordProblem[] {
  const problems: RecordProblem[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });

  const finess = finessRecordProblem(record.structure.finess_et);
  if (finess) add("structure.finess_et", finess);
  if (!REGIONS.has(record.structure.region)) {
    add(
      "structure.region",
      `Code région INSEE « ${record.structure.region} » inconnu : attendu l'un des 18 codes (${regionCodes.join(", ")}).`,
    );
  }

  for (const path of TEXT_FIELDS) {
    const value = textAt(record, path);
    if (typeof value !== "string") continue;
    if (value.includes("\u0000")) add(path, "Le caractère nul (U+0000) n'est pas accepté.");
    else if (LONE_SURROGATE.test(value))
      add(path, "Texte invalide : caractère Unicode incomplet (demi-paire isolée).");
  }

  if (record.out_of_scope) {
    if (!record.out_of_scope_reason) {
      add(
        "out_of_scope_reason",
        "Motif obligatoire quand l'incident est hors périmètre (out_of_scope = true).",
      );
    }
    if (record.origin)
      add("origin", "Un incident hors périmètre n'a pas d'origine : laissez origin vide (null).");
  } else if (record.out_of_scope_reason) {
    add(
      "out_of_scope_reason",
      "Le motif ne s'indique que pour un incident hors périmètre (out_of_scope = true).",
    );
  }

  if (record.origin !== "malicious") {
    record.malicious_types.forEach((_, i) => {
      add(
        `malicious_types[${i}]`,
        "Les types malveillants ne s'indiquent que pour une origine malveillante (origin = malicious).",
      );
    });
  }
  if (record.origin !== "non_malicious") {
    record.non_malicious_types.forEach((_, i) => {
      add(
        `non_malicious_types[${i}]`,
        "Les types non malveillants ne s'indiquent que pour une origine non malveillante (origin = non_malicious).",
      );
    });
  }

  for (const field of ARRAY_FIELDS) {
    const seen = new Set<string>();
    (record[field] as readonly string[]).forEach((value, i) => {
      if (seen.has(value)) add(`${field}[${i}]`, `Valeur « ${value} » en double.`);
      seen.add(value);
    });
  }

  const impacts = record.data_impacts;
  const noneAt = impacts.indexOf("none");
  if (noneAt >= 0 && impacts.length > 1) {
    add(
      `data_impacts[${noneAt}]`,
      "« none » (aucun impact) s'indique seul, sans autre impact sur les données.",
    );
  }
  if (record.data_types.length > 0 && (impacts.length === 0 || (impacts.length === 1 && noneAt === 0))) {
    add(
      "data_types",
      "Les types de données ne s'indiquent que si des données ont été touchées (data_impacts autre que vide ou « none »).",
    );
  }

  if (record.persons_affected != null && record.persons_affected > MAX_INTEGER) {
    add("persons_affected", `Nombre trop grand (${MAX_INTEGER} au maximum).`);
  }

  if (record.complement_answered_at) {
    if (!record.complement_requested_at) {
      add(
        "complement_answered_at",
        "Réponse sans demande de complément : renseignez complement_requested_at.",
      );
    } else if (
      new Date(record.complement_answered_at).getTime() < new Date(record.complement_requested_at).getTime()
    ) {
      add("complement_answered_at", "La réponse ne peut pas précéder la demande de complément.");
    }
  }
  return problems;
}
