import {
  type AlertRule,
  type AlertTarget,
  alertTargets,
  type RuleCondition,
  type RuleFact,
  RuleSetInput,
  ruleFacts,
} from "@vigie/contracts";
import { type ConditionKind, kindOf } from "./conditions.tsx";

/** A rule as the editor holds it: `key` identifies it on screen, the target may be unchosen. */
export interface EditorRule {
  key: string;
  id: string;
  label: string;
  target: AlertTarget | "";
  automatic: boolean;
  when: RuleCondition;
}

export interface EditorState {
  rules: EditorRule[];
  comment: string;
  /** The saved draft being edited, null until the first save. */
  draftVersion: number | null;
  /** The version the editor started from (shown to the user). */
  basedOn: number | null;
  /** The rules as last saved (JSON of the request), to know whether there are unsaved changes. */
  saved: string | null;
}

let counter = 0;
export const newKey = () => `r${Date.now().toString(36)}${(counter++).toString(36)}`;

export function toEditorRules(rules: AlertRule[]): EditorRule[] {
  return rules.map((rule) => ({ key: newKey(), ...rule, when: structuredClone(rule.when) }));
}

export function emptyRule(): EditorRule {
  return {
    key: newKey(),
    id: "",
    label: "",
    target: "",
    automatic: false,
    when: { flag: "out_of_scope", is: false },
  };
}

export const newCondition = (): RuleCondition => ({ fact: "origin", in: [] });

/** The request body of the editor's rules (target "" left as is: the contract says it is missing). */
export function toInput(state: Pick<EditorState, "rules" | "comment">) {
  return {
    rules: state.rules.map(({ key: _key, ...rule }) => rule),
    ...(state.comment.trim() ? { comment: state.comment.trim() } : {}),
  };
}

/** A node of a condition changed to another kind, keeping what can be kept. */
export function convertCondition(condition: RuleCondition, kind: ConditionKind): RuleCondition {
  const current = kindOf(condition);
  if (current === kind) return condition;
  const children =
    "all" in condition
      ? condition.all
      : "any" in condition
        ? condition.any
        : "not" in condition
          ? [condition.not]
          : [condition];
  switch (kind) {
    case "fact":
      return { fact: "origin", in: [] };
    case "flag":
      return { flag: "ose", is: true };
    case "all":
      return { all: children };
    case "any":
      return { any: children };
    case "not":
      return { not: "not" in condition ? condition.not : condition };
  }
}

/** The same fact condition on another fact: the codes the new fact does not take are dropped. */
export function changeFact(condition: { fact: RuleFact; in: string[] }, fact: RuleFact): RuleCondition {
  const known: readonly string[] = ruleFacts[fact];
  return { fact, in: condition.in.filter((code) => known.includes(code)) };
}

/** Path segments of a node: ["rules", 0, "when", "all", 1]. */
export type NodePath = (string | number)[];

export const pathKey = (path: NodePath) => path.join(".");
/** An id for the DOM from a path ("rule-0-when-all-1-kind"). */
export const pathId = (path: NodePath | string) =>
  `rule-${(typeof path === "string" ? path : pathKey(path)).replace(/^rules\./, "").replaceAll(".", "-")}`;

/** Replaces the node at `path` (relative to a rule's `when`) in a condition tree. */
export function setAt(root: RuleCondition, path: NodePath, next: RuleCondition): RuleCondition {
  if (path.length === 0) return next;
  const [head, ...rest] = path;
  if (head === "not" && "not" in root) return { not: setAt(root.not, rest, next) };
  if ((head === "all" || head === "any") && head in root) {
    const list = (root as Record<"all" | "any", RuleCondition[]>)[head];
    const index = rest[0] as number;
    const copy = list.map((child, i) => (i === index ? setAt(child, rest.slice(1), next) : child));
    return { [head]: copy } as RuleCondition;
  }
  return root;
}

const targetKnown = (target: string): target is AlertTarget =>
  (alertTargets as readonly string[]).includes(target);

/** Messages better worded than the contract's generic ones for what the editor lets happen. */
function reword(path: NodePath, message: string, code: string): string {
  const last = path.at(-1);
  if ((last === "all" || last === "any") && code === "too_small") return "Ajoutez au moins une condition.";
  if (last === "in" && code === "too_small") return "Cochez au moins une valeur.";
  return message;
}

/**
 * Checks the editor's rules with the contract's schema: the errors by path ("rules.0.when.in"),
 * the first of each; duplicated identifiers are reported on the second rule's identifier.
 */
export function validateRules(state: Pick<EditorState, "rules" | "comment">): Record<string, string> {
  const errors: Record<string, string> = {};
  state.rules.forEach((rule, index) => {
    if (!rule.target || !targetKnown(rule.target))
      errors[`rules.${index}.target`] = "Choisissez le destinataire.";
  });
  const result = RuleSetInput.safeParse(toInput(state));
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path as NodePath;
      const key = pathKey(path);
      if (key === "rules" && issue.code === "custom") continue;
      if (!errors[key]) errors[key] = reword(path, issue.message, issue.code);
    }
  }
  const seen = new Map<string, number>();
  state.rules.forEach((rule, index) => {
    const id = rule.id.trim();
    if (!id) return;
    if (seen.has(id) && !errors[`rules.${index}.id`]) {
      errors[`rules.${index}.id`] = `Identifiant déjà pris par la règle ${(seen.get(id) ?? 0) + 1}.`;
    } else seen.set(id, index);
  });
  return errors;
}

/** The rules as the API takes them (only once validated). */
export function validRules(state: Pick<EditorState, "rules">): AlertRule[] {
  return state.rules.map(({ key: _key, ...rule }) => ({ ...rule, target: rule.target as AlertTarget }));
}

/** Where an error's message is shown and where its link in the summary goes. */
export function errorTargetId(key: string): string {
  const path = key.split(".");
  const last = path.at(-1);
  if (last === "in") return `${pathId(key)}-0`;
  if (last === "all" || last === "any") return `${pathId(key)}-add`;
  if (last === "when" || last === "not") return `${pathId(key)}-kind`;
  if (/^\d+$/.test(last ?? "") && path.length > 2) return `${pathId(key)}-kind`;
  return pathId(key);
}

const fieldNames: Record<string, string> = {
  id: "Identifiant",
  label: "Intitulé",
  target: "Destinataire",
  automatic: "Envoi automatique",
  in: "Valeurs",
  fact: "Critère",
  flag: "Indicateur",
  is: "Valeur de l'indicateur",
  all: "Conditions de la liste",
  any: "Conditions de la liste",
  not: "Condition",
  when: "Condition",
};

/** The number of a condition within its rule: "1", "1.2", "1.2.1". */
export function conditionNumber(path: NodePath): string {
  const numbers = ["1"];
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    if ((segment === "all" || segment === "any") && typeof path[i + 1] === "number") {
      numbers.push(String((path[i + 1] as number) + 1));
      i++;
    } else if (segment === "not") numbers.push("1");
  }
  return numbers.join(".");
}

/** "Règle 2 — Condition 1.2 — Valeurs", for the error summary. */
export function errorLabel(key: string): string {
  const path = key.split(".").map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  if (path[0] === "comment") return "Commentaire";
  if (path[0] !== "rules" || typeof path[1] !== "number") return "Règles";
  const rule = `Règle ${path[1] + 1}`;
  const rest = path.slice(2);
  if (rest.length === 0) return rule;
  if (rest[0] !== "when") return `${rule} — ${fieldNames[String(rest[0])] ?? String(rest[0])}`;
  const inner = rest.slice(1);
  const last = inner.at(-1);
  const isNode = inner.length === 0 || typeof last === "number" || last === "not";
  const nodePath = isNode ? inner : inner.slice(0, -1);
  const condition = `Condition ${conditionNumber(nodePath)}`;
  return isNode
    ? `${rule} — ${condition}`
    : `${rule} — ${condition} — ${fieldNames[String(last)] ?? String(last)}`;
}
