import { fr } from "@codegouvfr/react-dsfr";
import Badge from "@codegouvfr/react-dsfr/Badge";
import {
  type AlertRule,
  alertTargetLabels,
  certOriginLabels,
  dataImpact,
  dataType,
  maliciousType,
  nonMaliciousType,
  operationalImpact,
  patientEndangerment,
  type RuleCondition,
  type RuleFact,
  type RuleFlag,
  ruleFactLabels,
  ruleFacts,
  ruleFlagLabels,
  siEffect,
  structureTypeLabels,
} from "@vigie/contracts";

/** The French label of each code a fact takes. */
export const factCodeLabels: Record<RuleFact, Record<string, string>> = {
  origin: certOriginLabels,
  malicious_types: maliciousType.labels,
  non_malicious_types: nonMaliciousType.labels,
  si_effect: siEffect.labels,
  operational_impact: operationalImpact.labels,
  patient_endangerment: patientEndangerment.labels,
  data_impacts: dataImpact.labels,
  data_types: dataType.labels,
  structure_type: structureTypeLabels,
};

export const factNames = Object.keys(ruleFacts) as RuleFact[];

/** The codes of a fact with their labels, in the taxonomy's order. */
export function factOptions(fact: RuleFact): { value: string; label: string }[] {
  return ruleFacts[fact].map((value) => ({ value, label: factCodeLabels[fact][value] ?? value }));
}

/** A code in words (the code itself when unknown). */
export const codeLabel = (fact: RuleFact, code: string): string => factCodeLabels[fact]?.[code] ?? code;

/** The kind of a condition node. */
export type ConditionKind = "fact" | "flag" | "all" | "any" | "not";
export function kindOf(condition: RuleCondition): ConditionKind {
  if ("fact" in condition) return "fact";
  if ("flag" in condition) return "flag";
  if ("all" in condition) return "all";
  if ("any" in condition) return "any";
  return "not";
}

const groupTitle: Record<"all" | "any" | "not", string> = {
  all: "Toutes les conditions :",
  any: "Au moins une des conditions :",
  not: "La condition suivante n'est pas remplie :",
};

/** One condition in French: a leaf in a sentence, a combination as a nested list. */
function ConditionItem({ condition }: { condition: RuleCondition }) {
  if ("fact" in condition) {
    return (
      <li>
        {ruleFactLabels[condition.fact] ?? condition.fact} parmi :{" "}
        <strong>{condition.in.map((code) => codeLabel(condition.fact, code)).join(", ")}</strong>
      </li>
    );
  }
  if ("flag" in condition) {
    return (
      <li>
        {ruleFlagLabels[condition.flag as RuleFlag] ?? condition.flag} :{" "}
        <strong>{condition.is ? "oui" : "non"}</strong>
      </li>
    );
  }
  const kind = kindOf(condition) as "all" | "any" | "not";
  const children = "all" in condition ? condition.all : "any" in condition ? condition.any : [condition.not];
  return (
    <li>
      {groupTitle[kind]}
      <ul>
        {children.map((child, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity but their place
          <ConditionItem key={index} condition={child} />
        ))}
      </ul>
    </li>
  );
}

/** A rule's condition tree as nested lists. */
export function ConditionTree({ condition }: { condition: RuleCondition }) {
  return (
    <ul className="vigie-condition-tree">
      <ConditionItem condition={condition} />
    </ul>
  );
}

/** The rules of a version, readable: label, target, automatic, and when they apply. */
export function RuleList({ rules, headingLevel = 3 }: { rules: AlertRule[]; headingLevel?: 3 | 4 }) {
  if (rules.length === 0) return <p>Aucune règle : aucune alerte ne sera proposée.</p>;
  const Heading = headingLevel === 3 ? "h3" : "h4";
  return (
    <ol className="vigie-rule-list">
      {rules.map((rule) => (
        <li key={rule.id}>
          <Heading className={fr.cx("fr-h6", "fr-mb-1w")}>{rule.label}</Heading>
          <p className={`vigie-badges ${fr.cx("fr-mb-1w")}`}>
            <Badge as="span" small severity="info" noIcon>
              {alertTargetLabels[rule.target]}
            </Badge>
            {rule.automatic ? (
              <Badge as="span" small severity="warning" noIcon>
                Envoi automatique
              </Badge>
            ) : (
              <Badge as="span" small noIcon>
                Proposée à l'analyste
              </Badge>
            )}
          </p>
          <p className={fr.cx("fr-text--sm", "fr-mb-1v")}>
            Identifiant : <code>{rule.id}</code>
          </p>
          <p className={fr.cx("fr-mb-1v")}>S'applique quand :</p>
          <ConditionTree condition={rule.when} />
        </li>
      ))}
    </ol>
  );
}
