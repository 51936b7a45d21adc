import { fr } from "@codegouvfr/react-dsfr";
import Button from "@codegouvfr/react-dsfr/Button";
import ButtonsGroup from "@codegouvfr/react-dsfr/ButtonsGroup";
import { tlp, UpdateCaseRequest } from "@vigie/contracts";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { api } from "../../../app/api.ts";
import { useCurrentUser } from "../../../app/auth.tsx";
import { contractResolver } from "../../../app/choice-fields.tsx";
import { ErrorSummary, fieldError, SelectField, TextField, useFormFeedback } from "../../../app/forms.tsx";
import { type Case, casePath, useAnalysts } from "./api.ts";
import { parisInputToIso, toParisInput } from "./time.ts";

type Saved = (next: Case) => Promise<void>;

type CaseUpdate = z.input<typeof UpdateCaseRequest>;

const patch = (view: Case, body: CaseUpdate) => api.patch<Case>(casePath(view.declaration.id), body);

/** Forms fed by the case follow it when it changes, but never overwrite what is being typed. */
const resetOptions = { keepDirtyValues: true };

// ——— Assignment ———

interface AssigneeValues {
  assigneeId: string;
}
const assigneeResolver = contractResolver<AssigneeValues>(UpdateCaseRequest, (v) => ({
  assigneeId: v.assigneeId || null,
}));

/** Who handles the case: an analyst of the CERT, or nobody; "M'assigner" in one click. */
export function AssigneeForm({ view, onSaved }: { view: Case; onSaved: Saved }) {
  const me = useCurrentUser();
  const analysts = useAnalysts();
  const current = view.assignee?.id ?? "";
  const form = useForm<AssigneeValues>({
    resolver: assigneeResolver,
    values: { assigneeId: current },
    resetOptions,
  });
  const feedback = useFormFeedback(form);
  const [done, setDone] = useState("");
  const fields = { assigneeId: { id: "case-assignee", label: "Analyste assigné" } };
  const people = [...(analysts.data ?? [])];
  if (view.assignee && !people.some((p) => p.id === view.assignee?.id)) people.unshift(view.assignee);

  const save = async (assigneeId: string) => {
    setDone("");
    const next = await patch(view, { assigneeId: assigneeId || null });
    await onSaved(next);
    setDone(next.assignee ? `Cas assigné à ${next.assignee.fullName}.` : "Le cas n'est plus assigné.");
  };
  const submit = feedback.handle(async (values, event) => {
    const submitter = (event?.nativeEvent as SubmitEvent | undefined)?.submitter as HTMLButtonElement | null;
    const chosen = submitter?.value === "me" && me ? me.id : (values as AssigneeValues).assigneeId;
    await save(chosen);
  });

  return (
    <form onSubmit={submit} noValidate aria-labelledby="case-assignee-title" className={fr.cx("fr-mb-4w")}>
      <h3 id="case-assignee-title" className={fr.cx("fr-h6")}>
        Assignation
      </h3>
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={form.formState.errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <SelectField
        id={fields.assigneeId.id}
        label={fields.assigneeId.label}
        hint={analysts.error ? "La liste des analystes n'a pas pu être chargée." : undefined}
        error={fieldError(form.formState.errors, "assigneeId")}
        selectProps={form.register("assigneeId")}
      >
        <option value="">Non assigné</option>
        {people.map((p) => (
          <option key={p.id} value={p.id}>
            {p.fullName}
          </option>
        ))}
      </SelectField>
      <ButtonsGroup
        inlineLayoutWhen="always"
        buttonsSize="small"
        buttons={[
          {
            type: "submit",
            priority: "secondary",
            children: "Assigner",
            disabled: form.formState.isSubmitting,
            value: "chosen",
            nativeButtonProps: { name: "who" },
          },
          ...(me && view.assignee?.id !== me.id
            ? [
                {
                  type: "submit" as const,
                  priority: "tertiary" as const,
                  children: "M'assigner",
                  disabled: form.formState.isSubmitting,
                  value: "me",
                  nativeButtonProps: { name: "who" },
                },
              ]
            : []),
        ]}
      />
      <p role="status" className={fr.cx("fr-text--sm", "fr-mb-0")}>
        {done}
      </p>
    </form>
  );
}

// ——— Deadlines ———

interface DeadlineValues {
  firstResponseDueAt: string;
  qualificationDueAt: string;
}

const unreadable = "Date et heure invalides (jj/mm/aaaa hh:mm).";
function deadlineRequest(v: DeadlineValues) {
  const convert = (value: string) => {
    const iso = parisInputToIso(value);
    return iso === undefined ? value : iso;
  };
  return {
    firstResponseDueAt: convert(v.firstResponseDueAt),
    qualificationDueAt: convert(v.qualificationDueAt),
  };
}
const deadlineResolver = contractResolver<DeadlineValues>(
  UpdateCaseRequest,
  deadlineRequest,
  {},
  { firstResponseDueAt: unreadable, qualificationDueAt: unreadable },
);

/** The deadlines of first response and qualification, typed in Paris time. */
export function DeadlinesForm({ view, onSaved }: { view: Case; onSaved: Saved }) {
  const initial = {
    firstResponseDueAt: toParisInput(view.firstResponseDueAt),
    qualificationDueAt: toParisInput(view.qualificationDueAt),
  };
  const form = useForm<DeadlineValues>({ resolver: deadlineResolver, values: initial, resetOptions });
  const feedback = useFormFeedback(form);
  const [done, setDone] = useState("");
  const fields = {
    firstResponseDueAt: { id: "case-first-response-due", label: "Première réponse avant le" },
    qualificationDueAt: { id: "case-qualification-due", label: "Qualification avant le" },
  };
  const submit = feedback.handle(async (values) => {
    setDone("");
    const v = values as DeadlineValues;
    const request = deadlineRequest(v);
    const body: CaseUpdate = {};
    if (v.firstResponseDueAt !== initial.firstResponseDueAt)
      body.firstResponseDueAt = request.firstResponseDueAt;
    if (v.qualificationDueAt !== initial.qualificationDueAt)
      body.qualificationDueAt = request.qualificationDueAt;
    if (Object.keys(body).length === 0) {
      setDone("Aucune échéance modifiée.");
      return;
    }
    const next = await patch(view, body);
    await onSaved(next);
    setDone("Échéances enregistrées.");
  });
  const errorOf = (name: keyof DeadlineValues) => fieldError(form.formState.errors, name);
  return (
    <form onSubmit={submit} noValidate aria-labelledby="case-deadlines-title" className={fr.cx("fr-mb-4w")}>
      <h3 id="case-deadlines-title" className={fr.cx("fr-h6")}>
        Échéances
      </h3>
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={form.formState.errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <TextField
        id={fields.firstResponseDueAt.id}
        label={fields.firstResponseDueAt.label}
        hint="Heure de Paris. Laissez vide pour aucune échéance."
        optional
        error={errorOf("firstResponseDueAt")}
        inputProps={{ ...form.register("firstResponseDueAt"), type: "datetime-local" }}
      />
      <TextField
        id={fields.qualificationDueAt.id}
        label={fields.qualificationDueAt.label}
        hint="Heure de Paris. Laissez vide pour aucune échéance."
        optional
        error={errorOf("qualificationDueAt")}
        inputProps={{ ...form.register("qualificationDueAt"), type: "datetime-local" }}
      />
      <Button type="submit" priority="secondary" size="small" disabled={form.formState.isSubmitting}>
        Enregistrer les échéances
      </Button>
      <p role="status" className={fr.cx("fr-text--sm", "fr-mb-0")}>
        {done}
      </p>
    </form>
  );
}

// ——— TLP ———

interface TlpValues {
  tlp: string;
}
const tlpResolver = contractResolver<TlpValues>(UpdateCaseRequest, (v) => ({ tlp: v.tlp }));

/** The case's TLP marking (TLP:RED allowed: nothing red leaves the CERT). */
export function TlpForm({ view, onSaved }: { view: Case; onSaved: Saved }) {
  const form = useForm<TlpValues>({ resolver: tlpResolver, values: { tlp: view.tlp }, resetOptions });
  const feedback = useFormFeedback(form);
  const [done, setDone] = useState("");
  const fields = { tlp: { id: "case-tlp", label: "Diffusion (TLP) du cas" } };
  const submit = feedback.handle(async (values) => {
    setDone("");
    const next = await patch(view, { tlp: (values as TlpValues).tlp as CaseUpdate["tlp"] });
    await onSaved(next);
    setDone(`TLP du cas : ${tlp.labels[next.tlp]}.`);
  });
  return (
    <form onSubmit={submit} noValidate aria-labelledby="case-tlp-title" className={fr.cx("fr-mb-4w")}>
      <h3 id="case-tlp-title" className={fr.cx("fr-h6")}>
        Diffusion
      </h3>
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={form.formState.errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <SelectField
        id={fields.tlp.id}
        label={fields.tlp.label}
        hint="Un cas TLP:RED est exclu des exports et des notifications."
        error={fieldError(form.formState.errors, "tlp")}
        selectProps={form.register("tlp")}
      >
        {tlp.values.map((value) => (
          <option key={value} value={value}>
            {tlp.labels[value]}
          </option>
        ))}
      </SelectField>
      <Button type="submit" priority="secondary" size="small" disabled={form.formState.isSubmitting}>
        Changer le TLP
      </Button>
      <p role="status" className={fr.cx("fr-text--sm", "fr-mb-0")}>
        {done}
      </p>
    </form>
  );
}
