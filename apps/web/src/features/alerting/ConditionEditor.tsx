import { fr } from "@codegouvfr/react-dsfr";
import Button from "@codegouvfr/react-dsfr/Button";
import Checkbox from "@codegouvfr/react-dsfr/Checkbox";
import {
  type RuleCondition,
  type RuleFact,
  type RuleFlag,
  ruleFactLabels,
  ruleFlagLabels,
  ruleFlags,
} from "@vigie/contracts";
import { SelectField } from "../../app/forms.tsx";
import { type ConditionKind, factNames, factOptions, kindOf } from "./conditions.tsx";
import { focusLater } from "./focus.ts";
import {
  changeFact,
  conditionNumber,
  convertCondition,
  type NodePath,
  newCondition,
  pathId,
  pathKey,
} from "./rule-model.ts";

const kindLabels: Record<ConditionKind, string> = {
  fact: "Un critère parmi des valeurs",
  flag: "Un indicateur (oui ou non)",
  all: "Toutes les conditions d'une liste",
  any: "Au moins une condition d'une liste",
  not: "Le contraire d'une condition",
};
const kinds = Object.keys(kindLabels) as ConditionKind[];

/**
 * One node of a rule's condition tree, editable: its kind (changing it keeps what can be kept:
 * a criterion becomes the first item of a new list), a criterion and its values, an indicator
 * and its value, or the conditions of a list. `path` starts at the rule: ["rules", 0, "when", …].
 */
export function ConditionEditor(props: {
  path: NodePath;
  condition: RuleCondition;
  onChange: (next: RuleCondition) => void;
  onRemove?: () => void;
  errors: Record<string, string>;
}) {
  const { path, condition, onChange, onRemove, errors } = props;
  const kind = kindOf(condition);
  const number = conditionNumber(path.slice(3));
  const rule = typeof path[1] === "number" ? path[1] + 1 : 1;
  const errorAt = (...rest: (string | number)[]) => errors[pathKey([...path, ...rest])];
  const kindId = `${pathId(path)}-kind`;

  const children = "all" in condition ? condition.all : "any" in condition ? condition.any : null;
  const listKey = "all" in condition ? "all" : "any";

  return (
    <fieldset className="vigie-condition" aria-labelledby={`${pathId(path)}-legend`}>
      <legend id={`${pathId(path)}-legend`} className="vigie-condition__legend">
        Condition {number}
      </legend>
      <SelectField
        id={kindId}
        label="Type de condition"
        hint={
          kind === "all" || kind === "any" || kind === "not"
            ? "Choisir un critère efface la liste."
            : undefined
        }
        error={errorAt()}
        selectProps={{
          value: kind,
          onChange: (event) => onChange(convertCondition(condition, event.target.value as ConditionKind)),
        }}
      >
        {kinds.map((k) => (
          <option key={k} value={k}>
            {kindLabels[k]}
          </option>
        ))}
      </SelectField>

      {"fact" in condition ? (
        <>
          <SelectField
            id={pathId([...path, "fact"])}
            label="Critère"
            error={errorAt("fact")}
            selectProps={{
              value: condition.fact,
              onChange: (event) => onChange(changeFact(condition, event.target.value as RuleFact)),
            }}
          >
            {factNames.map((fact) => (
              <option key={fact} value={fact}>
                {ruleFactLabels[fact]}
              </option>
            ))}
          </SelectField>
          <Checkbox
            id={pathId([...path, "in"])}
            className="vigie-columns"
            small
            legend={`${ruleFactLabels[condition.fact]} parmi (au moins une valeur)`}
            state={errorAt("in") ? "error" : "default"}
            stateRelatedMessage={errorAt("in")}
            options={factOptions(condition.fact).map((option) => ({
              label: option.label,
              nativeInputProps: {
                name: pathId([...path, "in"]),
                value: option.value,
                checked: condition.in.includes(option.value),
                onChange: (event) =>
                  onChange({
                    fact: condition.fact,
                    in: event.target.checked
                      ? [...condition.in, option.value]
                      : condition.in.filter((code) => code !== option.value),
                  }),
              },
            }))}
          />
        </>
      ) : null}

      {"flag" in condition ? (
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-8")}>
            <SelectField
              id={pathId([...path, "flag"])}
              label="Indicateur"
              error={errorAt("flag")}
              selectProps={{
                value: condition.flag,
                onChange: (event) => onChange({ flag: event.target.value as RuleFlag, is: condition.is }),
              }}
            >
              {ruleFlags.map((flag) => (
                <option key={flag} value={flag}>
                  {ruleFlagLabels[flag]}
                </option>
              ))}
            </SelectField>
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <SelectField
              id={pathId([...path, "is"])}
              label="Valeur"
              error={errorAt("is")}
              selectProps={{
                value: condition.is ? "yes" : "no",
                onChange: (event) => onChange({ flag: condition.flag, is: event.target.value === "yes" }),
              }}
            >
              <option value="yes">Oui</option>
              <option value="no">Non</option>
            </SelectField>
          </div>
        </div>
      ) : null}

      {children ? (
        <>
          {children.length > 0 ? (
            <ol className="vigie-condition__children">
              {children.map((child, index) => {
                const childPath = [...path, listKey, index];
                const replace = (next: RuleCondition) =>
                  onChange({ [listKey]: children.map((c, i) => (i === index ? next : c)) } as RuleCondition);
                return (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a condition is known by its place
                  <li key={index}>
                    <ConditionEditor
                      path={childPath}
                      condition={child}
                      errors={errors}
                      onChange={replace}
                      onRemove={() => {
                        onChange({ [listKey]: children.filter((_, i) => i !== index) } as RuleCondition);
                        focusLater(`${pathId([...path, listKey])}-add`);
                      }}
                    />
                  </li>
                );
              })}
            </ol>
          ) : null}
          {errorAt(listKey) ? (
            <p
              className={fr.cx("fr-error-text", "fr-mt-0", "fr-mb-2w")}
              id={`${pathId([...path, listKey])}-error`}
            >
              {errorAt(listKey)}
            </p>
          ) : null}
          <Button
            type="button"
            priority="secondary"
            size="small"
            iconId="fr-icon-add-line"
            nativeButtonProps={{
              id: `${pathId([...path, listKey])}-add`,
              "aria-describedby": errorAt(listKey) ? `${pathId([...path, listKey])}-error` : undefined,
            }}
            onClick={() => {
              onChange({ [listKey]: [...children, newCondition()] } as RuleCondition);
              focusLater(`${pathId([...path, listKey, children.length])}-kind`);
            }}
          >
            Ajouter une condition à la liste {number} de la règle {rule}
          </Button>
        </>
      ) : null}

      {"not" in condition ? (
        <div className="vigie-condition__children">
          <ConditionEditor
            path={[...path, "not"]}
            condition={condition.not}
            errors={errors}
            onChange={(next) => onChange({ not: next })}
          />
        </div>
      ) : null}

      {onRemove ? (
        <p className={fr.cx("fr-mt-2w", "fr-mb-0")}>
          <Button
            type="button"
            priority="tertiary"
            size="small"
            iconId="fr-icon-delete-line"
            onClick={onRemove}
          >
            Retirer la condition {number} de la règle {rule}
          </Button>
        </p>
      ) : null}
    </fieldset>
  );
}
