import { fr } from "@codegouvfr/react-dsfr";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Button from "@codegouvfr/react-dsfr/Button";
import Checkbox from "@codegouvfr/react-dsfr/Checkbox";
import { useQueryClient } from "@tanstack/react-query";
import { alertTargetLabels, alertTargets } from "@vigie/contracts";
import { type FormEvent, useEffect, useRef, useState } from "react";
import type { FieldErrors } from "react-hook-form";
import { ApiError, api } from "../../app/api.ts";
import { ErrorSummary, type FieldSpec, SelectField, TextField } from "../../app/forms.tsx";
import { alertingKeys, type DryRun, type RuleSet } from "./api.ts";
import { ConditionEditor } from "./ConditionEditor.tsx";
import { ConditionTree } from "./conditions.tsx";
import { DryRunResults } from "./DryRunResults.tsx";
import { focusLater } from "./focus.ts";
import {
  type EditorRule,
  type EditorState,
  emptyRule,
  errorLabel,
  errorTargetId,
  pathId,
  setAt,
  toInput,
  validateRules,
  validRules,
} from "./rule-model.ts";

const STORAGE_KEY = "vigie.alert-rules.editor";

/** The editor's work in progress, kept in the tab's session: following a link loses nothing. */
export const editorStorage = {
  read(): EditorState | null {
    try {
      const raw = sessionStorage.getItem(STORAGE_KEY);
      if (!raw) return null;
      const state = JSON.parse(raw) as EditorState;
      return Array.isArray(state.rules) ? state : null;
    } catch {
      return null;
    }
  },
  write(state: EditorState): void {
    try {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch {
      // Storage full or refused: the editor still works, only without the safety net.
    }
  },
  clear(): void {
    try {
      sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // Nothing to do.
    }
  },
};

const flat = (key: string) => key.replaceAll(".", "_");

/** The fields of the error summary and the errors in react-hook-form's shape, from errors by path. */
function summaryOf(errors: Record<string, string>) {
  const fields: Record<string, FieldSpec> = {};
  const shaped: Record<string, { type: string; message: string }> = {};
  for (const [key, message] of Object.entries(errors)) {
    fields[flat(key)] = { id: errorTargetId(key), label: errorLabel(key) };
    shaped[flat(key)] = { type: "validate", message };
  }
  return { fields, errors: shaped as unknown as FieldErrors };
}

/** Field errors of the API placed on the editor's fields when they name one. */
function placeApiErrors(error: unknown): { errors: Record<string, string>; unplaced: string[] } {
  const errors: Record<string, string> = {};
  const unplaced: string[] = [];
  if (error instanceof ApiError) {
    for (const issue of error.fields) {
      if (/^rules\.\d+(\.|$)/.test(issue.field) || issue.field === "comment") {
        errors[issue.field] ??= issue.message;
      } else unplaced.push(issue.message);
    }
  }
  return { errors, unplaced };
}

/**
 * A new version of the alerting rules, edited field by field: each rule's identifier, label,
 * target, automatic sending and condition tree, with its reading in French. The rules are
 * checked with the contract's schema before anything is sent; they can be tried on past cases,
 * saved as a draft and published (CERT lead).
 */
export function RuleSetEditor(props: {
  initial: EditorState;
  currentVersion: number | null;
  onClose: (message?: string) => void;
  onPublished: (view: RuleSet) => void;
}) {
  const { initial, currentVersion, onClose, onPublished } = props;
  const queryClient = useQueryClient();
  const [state, setState] = useState<EditorState>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [globalError, setGlobalError] = useState<ApiError | null>(null);
  const [globalMessage, setGlobalMessage] = useState<string | null>(null);
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);
  const [limit, setLimit] = useState("500");
  const [limitError, setLimitError] = useState<string | undefined>();
  const [dryRun, setDryRun] = useState<DryRun | null>(null);
  const [confirming, setConfirming] = useState<"publish" | "abandon" | null>(null);
  const summaryRef = useRef<HTMLDivElement>(null);
  // The rules being edited field by field; the others are shown as read.
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const toggle = (key: string) =>
    setExpanded((previous) => {
      const next = new Set(previous);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  /** Opens the rules the errors are in, so that their fields can be reached. */
  const expandErrors = (found: Record<string, string>) => {
    const keys = Object.keys(found)
      .map((k) => /^rules\.(\d+)/.exec(k)?.[1])
      .filter((n): n is string => n !== undefined)
      .map((n) => state.rules[Number(n)]?.key)
      .filter((k): k is string => k !== undefined);
    if (keys.length > 0) setExpanded((previous) => new Set([...previous, ...keys]));
  };

  useEffect(() => editorStorage.write(state), [state]);

  const dirty = state.saved !== JSON.stringify(toInput(state));
  const setRules = (rules: EditorRule[]) => setState((s) => ({ ...s, rules }));
  const updateRule = (index: number, patch: Partial<EditorRule>) =>
    setState((s) => ({ ...s, rules: s.rules.map((r, i) => (i === index ? { ...r, ...patch } : r)) }));

  const clearFeedback = () => {
    setGlobalError(null);
    setGlobalMessage(null);
    setStatus("");
  };
  const focusSummary = () => requestAnimationFrame(() => summaryRef.current?.focus());

  /** Validates in the browser; shows the errors and focuses the summary when there are some. */
  const check = (): boolean => {
    const found = validateRules(state);
    setErrors(found);
    expandErrors(found);
    if (Object.keys(found).length > 0) {
      setConfirming(null);
      focusSummary();
      return false;
    }
    return true;
  };
  const fail = (error: unknown) => {
    const { errors: placed, unplaced } = placeApiErrors(error);
    setErrors(placed);
    expandErrors(placed);
    const apiError = error instanceof ApiError ? error : new ApiError(0, "UNKNOWN");
    if (Object.keys(placed).length === 0 || unplaced.length > 0) {
      setGlobalError(apiError);
      setGlobalMessage(unplaced.length > 0 ? `${apiError.message} ${unplaced.join(" ")}` : null);
    }
    setConfirming(null);
    focusSummary();
  };

  /** Saves the draft (creates it the first time); returns its version. */
  const save = async (): Promise<number> => {
    const input = toInput(state);
    const body = { ...input, rules: validRules(state) };
    const view =
      state.draftVersion === null
        ? await api.post<RuleSet>("/api/alerting/rule-sets", body)
        : await api.put<RuleSet>(`/api/alerting/rule-sets/${state.draftVersion}`, body);
    setState((s) => ({ ...s, draftVersion: view.version, saved: JSON.stringify(input) }));
    await queryClient.invalidateQueries({ queryKey: alertingKeys.ruleSets });
    return view.version;
  };

  const run = async (action: () => Promise<void>) => {
    clearFeedback();
    if (!check()) return;
    setBusy(true);
    try {
      await action();
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };

  const onSave = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const version = await save();
      setStatus(`Brouillon enregistré : version ${version}. Il ne s'applique qu'une fois publié.`);
    });
  };

  const onDryRun = () => {
    const n = Number(limit.trim());
    if (!/^\d+$/.test(limit.trim()) || n < 1 || n > 5000) {
      setLimitError("Indiquez un nombre de cas entre 1 et 5000.");
      focusLater("rules-dry-run-limit");
      return;
    }
    setLimitError(undefined);
    void run(async () => {
      setStatus("Essai en cours…");
      const result = await api.post<DryRun>("/api/alerting/dry-run", { rules: validRules(state), limit: n });
      setDryRun(result);
      setStatus(
        `Essai terminé sur ${result.cases} cas : ${result.differences.length} cas ${result.differences.length > 1 ? "changent" : "change"} de destinataires.`,
      );
      focusLater("rules-dry-run-result");
    });
  };

  const onPublish = () =>
    run(async () => {
      // Saved first, always: what is published is exactly what is on screen.
      const version = await save();
      const view = await api.post<RuleSet>(`/api/alerting/rule-sets/${version}/publish`);
      await queryClient.invalidateQueries({ queryKey: ["alerting"] });
      await queryClient.invalidateQueries({ queryKey: ["case"] });
      editorStorage.clear();
      onPublished(view);
    });

  const summary = summaryOf(errors);

  return (
    <form onSubmit={onSave} noValidate aria-labelledby="rules-editor-title" className="vigie-rules-editor">
      <h2 id="rules-editor-title" className={fr.cx("fr-h3")} tabIndex={-1}>
        {state.draftVersion === null
          ? "Nouvelle version des règles"
          : `Brouillon de la version ${state.draftVersion}`}
      </h2>
      <p>
        {state.basedOn !== null ? `À partir de la version ${state.basedOn}. ` : ""}
        Les règles proposent (ou envoient, si automatiques) une alerte au destinataire quand le cas remplit
        leur condition. Elles lisent les valeurs qualifiées du cas, ou déclarées avant la qualification. Rien
        ne change tant que la version n'est pas publiée.
      </p>
      <ErrorSummary
        summaryRef={summaryRef}
        errors={summary.errors}
        fields={summary.fields}
        globalError={globalError}
        globalMessage={globalMessage}
      />

      <ol className="vigie-rules-editor__rules">
        {state.rules.map((rule, index) => {
          const base = ["rules", index] as (string | number)[];
          const err = (field: string) => errors[`rules.${index}.${field}`];
          return (
            <li key={rule.key}>
              <fieldset
                className="vigie-rule-editor"
                id={pathId(base)}
                aria-labelledby={`${pathId(base)}-title`}
              >
                <legend id={`${pathId(base)}-title`} className="vigie-rule-editor__legend">
                  Règle {index + 1}
                  {rule.label.trim() ? ` : ${rule.label.trim()}` : ""}
                </legend>
                {expanded.has(rule.key) ? (
                  <div id={`${pathId(base)}-fields`}>
                    <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
                      <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
                        <TextField
                          id={pathId([...base, "id"])}
                          label="Identifiant"
                          hint="Minuscules, chiffres, - ou _ ; gardez-le d'une version à l'autre."
                          error={err("id")}
                          inputProps={{
                            value: rule.id,
                            onChange: (e) => updateRule(index, { id: e.target.value }),
                            autoComplete: "off",
                            spellCheck: false,
                          }}
                        />
                      </div>
                      <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
                        <SelectField
                          id={pathId([...base, "target"])}
                          label="Destinataire"
                          hint="L'ARS est celle de la région de la structure."
                          error={err("target")}
                          selectProps={{
                            value: rule.target,
                            onChange: (e) =>
                              updateRule(index, { target: e.target.value as EditorRule["target"] }),
                          }}
                        >
                          <option value="" disabled>
                            Choisir
                          </option>
                          {alertTargets.map((t) => (
                            <option key={t} value={t}>
                              {alertTargetLabels[t]}
                            </option>
                          ))}
                        </SelectField>
                      </div>
                    </div>
                    <TextField
                      id={pathId([...base, "label"])}
                      label="Intitulé"
                      hint="Ce que la règle décide, en clair : il est montré à l'analyste avec la proposition."
                      textArea
                      error={err("label")}
                      textAreaProps={{
                        value: rule.label,
                        rows: 2,
                        onChange: (e) => updateRule(index, { label: e.target.value }),
                      }}
                    />
                    <Checkbox
                      id={pathId([...base, "automatic"])}
                      small
                      state={err("automatic") ? "error" : "default"}
                      stateRelatedMessage={err("automatic")}
                      options={[
                        {
                          label: "Envoi automatique",
                          hintText: "Envoyée dès la qualification du cas, sans confirmation de l'analyste.",
                          nativeInputProps: {
                            checked: rule.automatic,
                            onChange: (e) => updateRule(index, { automatic: e.target.checked }),
                          },
                        },
                      ]}
                    />
                    <ConditionEditor
                      path={[...base, "when"]}
                      condition={rule.when}
                      errors={errors}
                      onChange={(next) => updateRule(index, { when: setAt(rule.when, [], next) })}
                    />
                    <details className={`vigie-rule-editor__preview ${fr.cx("fr-mt-2w")}`}>
                      <summary>Relire la condition de la règle {index + 1} en français</summary>
                      <ConditionTree condition={rule.when} />
                    </details>
                  </div>
                ) : (
                  <div id={`${pathId(base)}-fields`}>
                    <p className={`vigie-badges ${fr.cx("fr-mb-1w")}`}>
                      <Badge as="span" small severity="info" noIcon>
                        {rule.target ? alertTargetLabels[rule.target] : "Destinataire à choisir"}
                      </Badge>
                      {rule.automatic ? (
                        <Badge as="span" small severity="warning" noIcon>
                          Envoi automatique
                        </Badge>
                      ) : null}
                    </p>
                    <p className={fr.cx("fr-text--sm", "fr-mb-1v")}>
                      Identifiant : <code>{rule.id || "—"}</code>
                    </p>
                    <p className={fr.cx("fr-mb-1v")}>S'applique quand :</p>
                    <ConditionTree condition={rule.when} />
                  </div>
                )}
                <ul
                  className={fr.cx(
                    "fr-btns-group",
                    "fr-btns-group--inline-sm",
                    "fr-btns-group--sm",
                    "fr-btns-group--icon-left",
                    "fr-mt-2w",
                  )}
                >
                  <li>
                    <Button
                      type="button"
                      size="small"
                      priority="secondary"
                      iconId={expanded.has(rule.key) ? "fr-icon-arrow-up-s-line" : "fr-icon-edit-line"}
                      nativeButtonProps={{
                        "aria-expanded": expanded.has(rule.key),
                        "aria-controls": `${pathId(base)}-fields`,
                      }}
                      onClick={() => toggle(rule.key)}
                    >
                      {expanded.has(rule.key)
                        ? `Replier la règle ${index + 1}`
                        : `Modifier la règle ${index + 1}`}
                    </Button>
                  </li>
                  <li>
                    <Button
                      type="button"
                      size="small"
                      priority="tertiary"
                      iconId="fr-icon-delete-line"
                      onClick={() => {
                        setRules(state.rules.filter((_, i) => i !== index));
                        setErrors({});
                        focusLater("rules-add");
                      }}
                    >
                      Supprimer la règle {index + 1}
                    </Button>
                  </li>
                </ul>
              </fieldset>
            </li>
          );
        })}
      </ol>
      <p>
        <Button
          type="button"
          priority="secondary"
          iconId="fr-icon-add-line"
          nativeButtonProps={{ id: "rules-add" }}
          onClick={() => {
            const rule = emptyRule();
            setRules([...state.rules, rule]);
            setExpanded((previous) => new Set([...previous, rule.key]));
            focusLater(pathId(["rules", state.rules.length, "id"]));
          }}
        >
          Ajouter une règle
        </Button>
      </p>

      <TextField
        id="rules-comment"
        label="Commentaire de la version"
        hint="Ce qui change et pourquoi : il reste attaché à la version."
        optional
        textArea
        error={errors.comment}
        textAreaProps={{
          value: state.comment,
          rows: 2,
          onChange: (e) => setState((s) => ({ ...s, comment: e.target.value })),
        }}
      />

      <section aria-labelledby="rules-dry-run-title" className="vigie-rules-editor__dry-run">
        <h3 id="rules-dry-run-title" className={fr.cx("fr-h5")}>
          Essayer sur les cas passés
        </h3>
        <p className={fr.cx("fr-text--sm")}>
          Les règles ci-dessus sont appliquées aux cas les plus récents et comparées aux règles en vigueur
          {currentVersion !== null ? ` (version ${currentVersion})` : ""}. Rien n'est envoyé ni enregistré.
        </p>
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-5")}>
            <TextField
              id="rules-dry-run-limit"
              label="Nombre de cas récents"
              hint="De 1 à 5000."
              error={limitError}
              inputProps={{
                value: limit,
                inputMode: "numeric",
                onChange: (e) => setLimit(e.target.value),
              }}
            />
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-7")}>
            <Button
              type="button"
              priority="secondary"
              iconId="fr-icon-play-line"
              className={fr.cx("fr-mb-3w")}
              disabled={busy}
              onClick={onDryRun}
            >
              Essayer sur les cas passés
            </Button>
          </div>
        </div>
        {dryRun ? <DryRunResults result={dryRun} headingId="rules-dry-run-result" /> : null}
      </section>

      <p role="status" aria-live="polite" className={fr.cx("fr-text--bold")}>
        {status}
      </p>

      {confirming === "publish" ? (
        <div className={`vigie-confirm ${fr.cx("fr-mb-3w")}`}>
          <h3 id="rules-confirm-title" className={fr.cx("fr-h6")} tabIndex={-1}>
            Publier{" "}
            {state.draftVersion !== null && !dirty ? `la version ${state.draftVersion}` : "ces règles"} ?
          </h3>
          <p>
            Elles remplacent les règles en vigueur
            {currentVersion !== null ? ` (version ${currentVersion})` : ""} pour toutes les propositions et
            les envois automatiques, dès maintenant. Une version publiée ne se modifie plus.
          </p>
          <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
            <li>
              <Button type="button" disabled={busy} onClick={() => void onPublish()}>
                Confirmer la publication
              </Button>
            </li>
            <li>
              <Button type="button" priority="secondary" onClick={() => setConfirming(null)}>
                Annuler
              </Button>
            </li>
          </ul>
        </div>
      ) : null}
      {confirming === "abandon" ? (
        <div className={`vigie-confirm ${fr.cx("fr-mb-3w")}`}>
          <h3 id="rules-confirm-title" className={fr.cx("fr-h6")} tabIndex={-1}>
            Abandonner les modifications non enregistrées ?
          </h3>
          <p>
            {state.draftVersion !== null
              ? `Le brouillon de la version ${state.draftVersion} garde son dernier enregistrement.`
              : "Rien n'a encore été enregistré."}
          </p>
          <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
            <li>
              <Button
                type="button"
                onClick={() => {
                  editorStorage.clear();
                  onClose("Modifications abandonnées.");
                }}
              >
                Abandonner
              </Button>
            </li>
            <li>
              <Button type="button" priority="secondary" onClick={() => setConfirming(null)}>
                Continuer la modification
              </Button>
            </li>
          </ul>
        </div>
      ) : null}

      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--icon-left")}>
        <li>
          <Button
            type="button"
            iconId="fr-icon-send-plane-line"
            disabled={busy}
            onClick={() => {
              clearFeedback();
              if (!check()) return;
              setConfirming("publish");
              focusLater("rules-confirm-title");
            }}
          >
            Publier
          </Button>
        </li>
        <li>
          <Button type="submit" priority="secondary" iconId="fr-icon-save-line" disabled={busy}>
            Enregistrer le brouillon
          </Button>
        </li>
        <li>
          <Button
            type="button"
            priority="tertiary"
            onClick={() => {
              if (dirty) {
                setConfirming("abandon");
                focusLater("rules-confirm-title");
              } else {
                editorStorage.clear();
                onClose(
                  state.draftVersion !== null
                    ? `Brouillon de la version ${state.draftVersion} fermé.`
                    : undefined,
                );
              }
            }}
          >
            Fermer l'éditeur
          </Button>
        </li>
      </ul>
    </form>
  );
}
