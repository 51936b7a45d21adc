import { type AlertRule, type AlertTarget, alertTargets, type RuleCondition } from "@vigie/contracts";
import type { CaseFacts } from "./facts.ts";

/** True when the case's facts meet the condition (a list fact: any of its codes among the values). */
export function matchesCondition(condition: RuleCondition, facts: CaseFacts): boolean {
  if ("fact" in condition) return facts.values[condition.fact].some((code) => condition.in.includes(code));
  if ("flag" in condition) return facts.flags[condition.flag] === condition.is;
  if ("all" in condition) return condition.all.every((c) => matchesCondition(c, facts));
  if ("any" in condition) return condition.any.some((c) => matchesCondition(c, facts));
  return !matchesCondition(condition.not, facts);
}

/** A target the rules alert for a case, with the rules that matched. */
export interface TargetMatch {
  target: AlertTarget;
  rules: AlertRule[];
  /** One of the matched rules sends without an analyst's confirmation. */
  automatic: boolean;
}

/**
 * Evaluates the rules on a case's facts: the matched rules grouped by target, in the order of
 * `alertTargets` (rules in their order). Pure: no database, no clock.
 */
export function evaluate(rules: readonly AlertRule[], facts: CaseFacts): TargetMatch[] {
  const matched = rules.filter((rule) => matchesCondition(rule.when, facts));
  return alertTargets.flatMap((target) => {
    const forTarget = matched.filter((rule) => rule.target === target);
    if (forTarget.length === 0) return [];
    return [{ target, rules: forTarget, automatic: forTarget.some((rule) => rule.automatic) }];
  });
}

/** The targets the rules alert for a case, in the order of `alertTargets`. */
export function matchedTargets(rules: readonly AlertRule[], facts: CaseFacts): AlertTarget[] {
  return evaluate(rules, facts).map((m) => m.target);
}
