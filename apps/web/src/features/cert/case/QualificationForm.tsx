import { fr } from "@codegouvfr/react-dsfr";
import Button from "@codegouvfr/react-dsfr/Button";
import Checkbox from "@codegouvfr/react-dsfr/Checkbox";
import Table from "@codegouvfr/react-dsfr/Table";
import {
  certOriginLabels,
  dataImpact,
  dataType,
  maliciousType,
  nonMaliciousType,
  operationalImpact,
  outOfScopeReason,
  patientEndangerment,
  QualificationInput,
  siEffect,
} from "@vigie/contracts";
import { type ReactNode, useEffect, useMemo, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { api, messageForCode } from "../../../app/api.ts";
import {
  CheckboxGroupField,
  codeOptions,
  contractResolver,
  RadioGroupField,
} from "../../../app/choice-fields.tsx";
import { ErrorSummary, fieldError, RequiredNotice, TextField, useFormFeedback } from "../../../app/forms.tsx";
import { formatDateTime } from "../../../app/ui.tsx";
import { type Case, casePath } from "./api.ts";

/** What the qualification form holds (choices as codes, "" when none). */
export interface QualificationValues {
  outOfScope: boolean;
  outOfScopeReason: string;
  origin: string;
  maliciousTypes: string[];
  nonMaliciousTypes: string[];
  siEffect: string;
  operationalImpact: string;
  dataImpacts: string[];
  dataTypes: string[];
  patientEndangerment: string;
  summary: string;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
const code = (value: unknown): string => (typeof value === "string" ? value : "");

/** The recorded qualification, or else what the declarant declared. */
export function initialQualification(view: Case): QualificationValues {
  const q = view.qualification;
  if (q) {
    return {
      outOfScope: q.outOfScope,
      outOfScopeReason: q.outOfScopeReason ?? "",
      origin: q.origin ?? "",
      maliciousTypes: q.maliciousTypes,
      nonMaliciousTypes: q.nonMaliciousTypes,
      siEffect: q.siEffect ?? "",
      operationalImpact: q.operationalImpact ?? "",
      dataImpacts: q.dataImpacts,
      dataTypes: q.dataTypes,
      patientEndangerment: q.patientEndangerment ?? "",
      summary: q.summary,
    };
  }
  const data = view.declaration.data as Record<string, unknown>;
  return {
    outOfScope: false,
    outOfScopeReason: "",
    origin: code(data.proposedOrigin),
    maliciousTypes: strings(data.proposedMaliciousTypes),
    nonMaliciousTypes: strings(data.proposedNonMaliciousTypes),
    siEffect: "",
    operationalImpact: code(data.operationalImpact) || view.declaration.operationalImpact,
    dataImpacts: strings(data.dataImpacts),
    dataTypes: strings(data.dataTypes),
    patientEndangerment: code(data.patientEndangerment),
    summary: "",
  };
}

const dataHit = (impacts: string[]) => impacts.length > 0 && !impacts.includes("none");

/** The request: answers a later choice made irrelevant are left out, so they never block. */
export function toQualificationInput(v: QualificationValues): QualificationInput {
  const nothing = {
    outOfScopeReason: null,
    origin: null,
    maliciousTypes: [],
    nonMaliciousTypes: [],
    siEffect: null,
    operationalImpact: null,
    dataImpacts: [],
    dataTypes: [],
    patientEndangerment: null,
  };
  if (v.outOfScope) {
    return {
      ...nothing,
      outOfScope: true,
      outOfScopeReason: (v.outOfScopeReason || null) as QualificationInput["outOfScopeReason"],
      summary: v.summary,
    };
  }
  const malicious = v.origin === "malicious";
  return {
    outOfScope: false,
    outOfScopeReason: null,
    origin: (v.origin || null) as QualificationInput["origin"],
    maliciousTypes: (malicious ? v.maliciousTypes : []) as QualificationInput["maliciousTypes"],
    nonMaliciousTypes: (v.origin === "non_malicious"
      ? v.nonMaliciousTypes
      : []) as QualificationInput["nonMaliciousTypes"],
    siEffect: (malicious ? v.siEffect || null : null) as QualificationInput["siEffect"],
    operationalImpact: (v.operationalImpact || null) as QualificationInput["operationalImpact"],
    dataImpacts: v.dataImpacts as QualificationInput["dataImpacts"],
    dataTypes: (dataHit(v.dataImpacts) ? v.dataTypes : []) as QualificationInput["dataTypes"],
    patientEndangerment: (v.patientEndangerment || null) as QualificationInput["patientEndangerment"],
    summary: v.summary,
  };
}

const resolver = contractResolver<QualificationValues>(QualificationInput, toQualificationInput);

const fields = {
  outOfScope: { id: "qual-scope-0", label: "Hors périmètre" },
  outOfScopeReason: { id: "qual-scope-reason-0", label: "Motif" },
  origin: { id: "qual-origin-0", label: "Origine" },
  maliciousTypes: { id: "qual-malicious-0", label: "Types d'incident malveillant" },
  siEffect: { id: "qual-si-effect-0", label: "Effet sur le SI" },
  nonMaliciousTypes: { id: "qual-non-malicious-0", label: "Types d'incident non malveillant" },
  operationalImpact: { id: "qual-impact-0", label: "Impact sur le fonctionnement" },
  dataImpacts: { id: "qual-data-impacts-0", label: "Impact sur les données" },
  dataTypes: { id: "qual-data-types-0", label: "Types de données touchées" },
  patientEndangerment: { id: "qual-patients-0", label: "Mise en danger de patients" },
  summary: { id: "qual-summary", label: "Résumé de la qualification" },
};

/**
 * The CERT's qualification of the case, prefilled from the recorded one or else from what was
 * declared. `requiredSignal` counts the resolutions refused for want of one: the form then shows
 * the server's message and takes the focus.
 */
export function QualificationForm(props: {
  view: Case;
  requiredSignal: { count: number; message: string };
  onSaved: (next: Case) => Promise<void>;
}) {
  const { view, requiredSignal, onSaved } = props;
  const defaults = useMemo(() => initialQualification(view), [view]);
  const form = useForm<QualificationValues>({ resolver, defaultValues: defaults });
  const feedback = useFormFeedback(form);
  const [done, setDone] = useState("");
  // Once qualified, the form opens on demand (what was qualified shows above it).
  const [open, setOpen] = useState(!view.qualification);
  const [outOfScope, origin, dataImpacts] = useWatch({
    control: form.control,
    name: ["outOfScope", "origin", "dataImpacts"],
  });
  const { setGlobal } = feedback;

  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new refusal shows the message.
  useEffect(() => {
    if (requiredSignal.count > 0) {
      setOpen(true);
      setDone("");
      setGlobal(requiredSignal.message || messageForCode("QUALIFICATION_REQUIRED"));
    }
  }, [requiredSignal]);

  const submit = feedback.handle(async (values) => {
    setDone("");
    const next = await api.put<Case>(
      casePath(view.declaration.id, "/qualification"),
      toQualificationInput(values as QualificationValues),
    );
    await onSaved(next);
    setDone("Qualification enregistrée.");
  });

  const errors = form.formState.errors;
  const toggle = view.qualification ? (
    <Button
      type="button"
      priority="secondary"
      className={fr.cx("fr-mb-3w")}
      onClick={() => setOpen((o) => !o)}
      nativeButtonProps={{
        "aria-expanded": open,
        ...(open ? { "aria-controls": "qualification-form" } : {}),
      }}
    >
      {open ? "Masquer le formulaire de qualification" : "Modifier la qualification"}
    </Button>
  ) : null;
  if (!open) return toggle;
  return (
    <>
      {toggle}
      <form id="qualification-form" onSubmit={submit} noValidate aria-labelledby="qualification-form-title">
        <h3 id="qualification-form-title" className={fr.cx("fr-h6")}>
          {view.qualification ? "Modifier la qualification" : "Qualifier le cas"}
        </h3>
        <RequiredNotice />
        <ErrorSummary
          summaryRef={feedback.summaryRef}
          errors={errors}
          fields={fields}
          globalError={feedback.globalError}
          globalMessage={feedback.globalMessage}
        />
        <Checkbox
          id="qual-scope"
          legend="Périmètre"
          state={fieldError(errors, "outOfScope") ? "error" : "default"}
          stateRelatedMessage={fieldError(errors, "outOfScope")}
          options={[
            {
              label: "Hors périmètre du CERT",
              hintText: "Un incident hors périmètre ne porte qu'un motif et un résumé.",
              nativeInputProps: form.register("outOfScope"),
            },
          ]}
        />
        {outOfScope ? (
          <RadioGroupField
            form={form}
            name="outOfScopeReason"
            id="qual-scope-reason"
            legend="Motif du hors périmètre"
            options={codeOptions(outOfScopeReason)}
          />
        ) : (
          <>
            <RadioGroupField
              form={form}
              name="origin"
              id="qual-origin"
              legend="Origine de l'incident"
              options={codeOptions({
                values: ["malicious", "non_malicious", "undetermined"],
                labels: certOriginLabels,
              })}
              orientation="horizontal"
            />
            {origin === "malicious" ? (
              <>
                <CheckboxGroupField
                  form={form}
                  name="maliciousTypes"
                  columns
                  id="qual-malicious"
                  legend="Types d'incident malveillant"
                  hint="Plusieurs choix possibles."
                  options={codeOptions(maliciousType)}
                />
                <RadioGroupField
                  form={form}
                  name="siEffect"
                  id="qual-si-effect"
                  legend="Effet sur le système d'information"
                  options={codeOptions(siEffect)}
                  orientation="horizontal"
                />
              </>
            ) : null}
            {origin === "non_malicious" ? (
              <CheckboxGroupField
                form={form}
                name="nonMaliciousTypes"
                columns
                id="qual-non-malicious"
                legend="Types d'incident non malveillant"
                hint="Plusieurs choix possibles."
                options={codeOptions(nonMaliciousType)}
              />
            ) : null}
            <RadioGroupField
              form={form}
              name="operationalImpact"
              id="qual-impact"
              legend="Impact sur le fonctionnement de la structure"
              options={codeOptions(operationalImpact)}
            />
            <CheckboxGroupField
              form={form}
              name="dataImpacts"
              columns
              id="qual-data-impacts"
              legend="Impact sur les données"
              hint="Plusieurs choix possibles, sauf « Aucun impact »."
              options={codeOptions(dataImpact)}
              exclusive={["none"]}
            />
            {dataHit(dataImpacts ?? []) ? (
              <CheckboxGroupField
                form={form}
                name="dataTypes"
                columns
                id="qual-data-types"
                legend={
                  <>
                    Types de données touchées <span className="vigie-optional">(facultatif)</span>
                  </>
                }
                options={codeOptions(dataType)}
              />
            ) : null}
            <RadioGroupField
              form={form}
              name="patientEndangerment"
              id="qual-patients"
              legend="Des patients ont-ils été mis en danger ?"
              options={codeOptions(patientEndangerment)}
              orientation="horizontal"
            />
          </>
        )}
        <TextField
          id={fields.summary.id}
          label={fields.summary.label}
          hint="Ce que le CERT retient de l'incident (10 caractères au moins)."
          textArea
          error={fieldError(errors, "summary")}
          textAreaProps={{ ...form.register("summary"), rows: 4 }}
        />
        <Button type="submit" disabled={form.formState.isSubmitting}>
          Enregistrer la qualification
        </Button>
        <p role="status" className={fr.cx("fr-text--sm", "fr-mt-1w")}>
          {done}
        </p>
      </form>
    </>
  );
}

function list(
  codes: { labels: Record<string, string> },
  values: readonly string[] | undefined | null,
): ReactNode {
  if (!values || values.length === 0) return "—";
  return values.map((v) => codes.labels[v] ?? v).join(", ");
}
function one(codes: { labels: Record<string, string> }, value: unknown): string {
  return typeof value === "string" && value ? (codes.labels[value] ?? value) : "—";
}

/** What was declared beside what the CERT qualified, once it has. */
export function QualificationComparison({ view }: { view: Case }) {
  const q = view.qualification;
  if (!q) return null;
  const d = view.declaration.data as Record<string, unknown>;
  const origins = { labels: certOriginLabels };
  const declaredTypes =
    d.proposedOrigin === "non_malicious"
      ? list(nonMaliciousType, strings(d.proposedNonMaliciousTypes))
      : list(maliciousType, strings(d.proposedMaliciousTypes));
  const qualifiedTypes =
    q.origin === "non_malicious"
      ? list(nonMaliciousType, q.nonMaliciousTypes)
      : list(maliciousType, q.maliciousTypes);
  const rows: ReactNode[][] = [
    [
      "Périmètre",
      "—",
      q.outOfScope ? `Hors périmètre (${one(outOfScopeReason, q.outOfScopeReason)})` : "Dans le périmètre",
    ],
    ["Origine", one(origins, d.proposedOrigin), one(origins, q.origin)],
    ["Types d'incident", declaredTypes, qualifiedTypes],
    ["Effet sur le SI", "—", one(siEffect, q.siEffect)],
    [
      "Fonctionnement",
      one(operationalImpact, d.operationalImpact),
      one(operationalImpact, q.operationalImpact),
    ],
    ["Données", list(dataImpact, strings(d.dataImpacts)), list(dataImpact, q.dataImpacts)],
    ["Types de données", list(dataType, strings(d.dataTypes)), list(dataType, q.dataTypes)],
    [
      "Mise en danger de patients",
      one(patientEndangerment, d.patientEndangerment),
      one(patientEndangerment, q.patientEndangerment),
    ],
  ];
  return (
    <>
      <p className={fr.cx("fr-text--sm", "fr-mb-1w")}>
        Qualifié le {formatDateTime(q.qualifiedAt)}
        {q.qualifiedBy ? ` par ${q.qualifiedBy.fullName}` : ""}.
      </p>
      <p className={fr.cx("fr-mb-2w")}>
        <strong>Résumé : </strong>
        <span className="vigie-multiline">{q.summary}</span>
      </p>
      <Table
        className="vigie-comparison"
        caption="Déclaré et qualifié"
        headers={["Élément", "Déclaré", "Qualifié"]}
        data={rows}
        bordered
        noScroll
      />
    </>
  );
}
