import {
  type AlertRule,
  type AlertTarget,
  AppError,
  alertTargets,
  type DryRunRequest,
  type DryRunResult,
} from "@vigie/contracts";
import { alertingRepo, type Executor } from "@vigie/db";
import type { z } from "zod";
import { type Actor, assertPermission } from "../access/policy.ts";
import { caseFacts } from "./facts.ts";
import { currentRules, rulesOfVersion } from "./rule-sets.ts";
import { matchedTargets } from "./rules.ts";

export type DryRunResultData = z.infer<typeof DryRunResult>;

/** At most this many differing cases are listed. */
export const DRY_RUN_MAX_DIFFERENCES = 200;

/**
 * Tries a version of the rules (saved, or not yet saved) on the most recent cases: how many each
 * target would receive under it and under the rules that apply now, and the cases whose targets
 * differ. Every case counts (the CERT's tool: no TLP filter); nothing is sent or stored.
 */
export async function dryRunRules(
  db: Executor,
  actor: Actor | null,
  request: z.output<typeof DryRunRequest>,
): Promise<DryRunResultData> {
  assertPermission(actor, "declarations:handle");
  let tried: AlertRule[];
  if (request.rules) tried = request.rules;
  else if (request.version !== undefined) tried = await rulesOfVersion(db, request.version);
  else {
    const message = "Indiquez une version enregistrée ou les règles à essayer.";
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "rules", message }] });
  }
  const current = await currentRules(db);
  const cases = await alertingRepo.listRecentCasesForRules(db, request.limit);
  const byTarget: DryRunResultData["byTarget"] = Object.fromEntries(
    alertTargets.map((target) => [target, { tried: 0, current: 0 }]),
  );
  const differences: DryRunResultData["differences"] = [];
  for (const row of cases) {
    const facts = caseFacts(row);
    const withTried = matchedTargets(tried, facts);
    const withCurrent = matchedTargets(current.rules, facts);
    for (const target of withTried) count(byTarget, target).tried++;
    for (const target of withCurrent) count(byTarget, target).current++;
    const same = withTried.length === withCurrent.length && withTried.every((t) => withCurrent.includes(t));
    if (!same && differences.length < DRY_RUN_MAX_DIFFERENCES) {
      differences.push({
        id: row.id,
        reference: row.reference,
        title: row.title,
        tried: withTried,
        current: withCurrent,
      });
    }
  }
  return { cases: cases.length, byTarget, differences };
}

function count(
  byTarget: DryRunResultData["byTarget"],
  target: AlertTarget,
): { tried: number; current: number } {
  const entry = byTarget[target] ?? { tried: 0, current: 0 };
  byTarget[target] = entry;
  return entry;
}
