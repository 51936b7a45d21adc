import type { RuleFact, RuleFlag } from "@vigie/contracts";
import type { RuleFactsRow } from "@vigie/db";
import { snapshotOf } from "../declarations/snapshot.ts";

/**
 * What the routing rules know of a case: its effective values (the CERT's qualification once
 * qualified, the declaration before), the structure as registered at declaration time, and the
 * analyst's flags. Every fact is a list of codes (empty when unknown).
 */
export interface CaseFacts {
  values: Record<RuleFact, string[]>;
  flags: Record<RuleFlag, boolean>;
  /** The structure's region (where the ARS is), from the declaration-time snapshot. */
  regionCode: string | null;
}

/** The incident columns the facts are read from. */
export type CaseFactsSource = Omit<RuleFactsRow, "id" | "reference" | "title">;

const one = (value: string | null | undefined): string[] => (value ? [value] : []);
const list = (value: readonly string[] | null | undefined): string[] => [...(value ?? [])];

/** The facts of a case, from its incident row. */
export function caseFacts(row: CaseFactsSource): CaseFacts {
  const snapshot = snapshotOf(row);
  return {
    values: {
      origin: one(row.effective_origin),
      malicious_types: list(row.effective_malicious_types),
      non_malicious_types: list(row.effective_non_malicious_types),
      // Only the CERT assesses the effect on the information system (never declared).
      si_effect: one(row.si_effect),
      operational_impact: one(row.effective_operational_impact),
      patient_endangerment: one(row.effective_patient_endangerment),
      data_impacts: list(row.effective_data_impacts),
      data_types: list(row.effective_data_types),
      structure_type: one(snapshot.structureType),
    },
    flags: {
      ose: snapshot.ose === true,
      oiv: snapshot.oiv === true,
      out_of_scope: row.out_of_scope,
      support_requested: row.support_requested,
      other_sectors_risk: row.other_sectors_risk,
    },
    regionCode: snapshot.regionCode ?? null,
  };
}

/** The coded facts a notification carried (stored with it: what the authority was told). */
export function codedFacts(facts: CaseFacts): Record<string, unknown> {
  return { ...facts.values, ...facts.flags, region_code: facts.regionCode };
}
