import { fr } from "@codegouvfr/react-dsfr";
import Button from "@codegouvfr/react-dsfr/Button";
import { authorityInvolved, SupportActionInput, supportKind } from "@vigie/contracts";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api } from "../../../app/api.ts";
import { CheckboxGroupField, codeOptions, contractResolver } from "../../../app/choice-fields.tsx";
import { ErrorSummary, fieldError, SelectField, TextField, useFormFeedback } from "../../../app/forms.tsx";
import { formatDateTime } from "../../../app/ui.tsx";
import { type Case, casePath } from "./api.ts";
import { formatMinutes, parisInputToIso } from "./time.ts";

/** The technical support given on a case, newest last. */
export function SupportActionsList({ view }: { view: Case }) {
  const actions = view.supportActions;
  if (actions.length === 0) return <p>Aucun appui technique enregistré.</p>;
  return (
    <ul className="vigie-case-list">
      {actions.map((a) => (
        <li key={a.id}>
          <p className={fr.cx("fr-text--sm", "fr-mb-1v")}>
            <strong>{supportKind.labels[a.kind]}</strong> — {formatDateTime(a.performedAt)} — {a.performedBy}
            {a.durationMinutes != null ? ` — ${formatMinutes(a.durationMinutes)}` : ""}
          </p>
          <p className={fr.cx("fr-mb-1v")}>
            <span className="vigie-multiline">{a.description}</span>
          </p>
          {a.authoritiesInvolved.length > 0 ? (
            <p className={fr.cx("fr-text--sm", "fr-mb-0")}>
              Intervention directe :{" "}
              {a.authoritiesInvolved.map((x) => authorityInvolved.labels[x]).join(", ")}
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

interface SupportValues {
  kind: string;
  description: string;
  durationMinutes: string;
  performedAt: string;
  authoritiesInvolved: string[];
}

function toRequest(v: SupportValues): Record<string, unknown> {
  const duration = v.durationMinutes.trim().replace(/\s/g, "");
  const performed = parisInputToIso(v.performedAt);
  return {
    kind: v.kind || undefined,
    description: v.description,
    durationMinutes: duration === "" ? null : /^\d+$/.test(duration) ? Number(duration) : duration,
    ...(performed === null ? {} : { performedAt: performed ?? v.performedAt }),
    authoritiesInvolved: v.authoritiesInvolved,
  };
}

const resolver = contractResolver<SupportValues>(
  SupportActionInput,
  toRequest,
  { kind: "Choisissez la nature de l'appui." },
  {
    durationMinutes: "Indiquez une durée en minutes (nombre entier, 100000 au plus), par exemple 90.",
    performedAt: "Date et heure invalides (jj/mm/aaaa hh:mm).",
  },
);

const empty: SupportValues = {
  kind: "",
  description: "",
  durationMinutes: "",
  performedAt: "",
  authoritiesInvolved: [],
};

/** Records a technical support action (what, when, how long, ANSSI or FSSI involved). */
export function SupportActionForm({ view, onSaved }: { view: Case; onSaved: () => Promise<void> }) {
  const form = useForm<SupportValues>({ resolver, defaultValues: empty });
  const feedback = useFormFeedback(form);
  const [done, setDone] = useState("");
  const fields = {
    kind: { id: "support-kind", label: "Nature de l'appui" },
    description: { id: "support-description", label: "Description" },
    durationMinutes: { id: "support-duration", label: "Durée, en minutes" },
    performedAt: { id: "support-performed-at", label: "Réalisé le" },
    authoritiesInvolved: { id: "support-authorities-0", label: "Autorités intervenues" },
  };
  const submit = feedback.handle(async (values) => {
    setDone("");
    await api.post(casePath(view.declaration.id, "/support"), toRequest(values as SupportValues));
    await onSaved();
    form.reset(empty);
    setDone("Appui technique enregistré.");
  });
  return (
    <form onSubmit={submit} noValidate aria-labelledby="support-form-title">
      <h3 id="support-form-title" className={fr.cx("fr-h6")}>
        Enregistrer un appui technique
      </h3>
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={form.formState.errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <SelectField
        id={fields.kind.id}
        label={fields.kind.label}
        error={fieldError(form.formState.errors, "kind")}
        selectProps={form.register("kind")}
      >
        <option value="" disabled>
          Choisir
        </option>
        {supportKind.values.map((k) => (
          <option key={k} value={k}>
            {supportKind.labels[k]}
          </option>
        ))}
      </SelectField>
      <TextField
        id={fields.description.id}
        label={fields.description.label}
        hint="Ce qui a été fait, pour qui, avec quel résultat."
        textArea
        error={fieldError(form.formState.errors, "description")}
        textAreaProps={{ ...form.register("description"), rows: 3 }}
      />
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
          <TextField
            id={fields.durationMinutes.id}
            label={fields.durationMinutes.label}
            hint="Par exemple : 90"
            optional
            error={fieldError(form.formState.errors, "durationMinutes")}
            inputProps={{ ...form.register("durationMinutes"), inputMode: "numeric" }}
          />
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
          <TextField
            id={fields.performedAt.id}
            label={fields.performedAt.label}
            hint="Heure de Paris ; maintenant si vide."
            optional
            error={fieldError(form.formState.errors, "performedAt")}
            inputProps={{ ...form.register("performedAt"), type: "datetime-local" }}
          />
        </div>
      </div>
      <CheckboxGroupField
        form={form}
        name="authoritiesInvolved"
        id="support-authorities"
        legend={
          <>
            Intervention directe d'une autorité auprès de la structure{" "}
            <span className="vigie-optional">(facultatif)</span>
          </>
        }
        options={codeOptions(authorityInvolved)}
        orientation="horizontal"
      />
      <Button type="submit" priority="secondary" disabled={form.formState.isSubmitting}>
        Enregistrer l'appui
      </Button>
      <p role="status" className={fr.cx("fr-text--sm", "fr-mb-0")}>
        {done}
      </p>
    </form>
  );
}
