import type { StructureSnapshot } from "../declarations/snapshot.ts";

// The TypeScript twin of the SQL functions of migration 0008, so a bulk import writes the same
// search documents as the per-row trigger would, without running PostgreSQL's regular
// expressions once per row (decision 0010: 100 000 records well under a minute).

const FROM = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝŸýÿ";
const TO = "AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYYyy";
const TRANSLATION = new Map([...FROM].map((c, i) => [c, TO[i] as string]));
const TRANSLATED = new RegExp(`[${FROM}]`, "g");

/** `vigie_search_fold`: ligatures, the accents of its list, lower case, anything but [a-z0-9] a space. */
export function searchFold(text: string): string {
  return text
    .replace(/[œŒ]/g, "oe")
    .replace(/[æÆ]/g, "ae")
    .replace(TRANSLATED, (c) => TRANSLATION.get(c) ?? c)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ");
}

/** `vigie_incident_search_text` of an incident without messages, folded. */
export function incidentSearchText(title: string, description: string, snapshot: StructureSnapshot): string {
  const parts = (...values: ReadonlyArray<string | null | undefined>) =>
    values.filter((v): v is string => v !== null && v !== undefined).join(" ");
  const structures = snapshot.structures.map((s) => parts(s.name, s.finessEt, s.town)).join(" ");
  return searchFold(parts(title, description, snapshot.name, snapshot.finessEt, snapshot.town, structures));
}
