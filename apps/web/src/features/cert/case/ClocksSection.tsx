import { fr } from "@codegouvfr/react-dsfr";
import Button from "@codegouvfr/react-dsfr/Button";
import { clockKindLabels, FileClockRequest, RequestIntermediateReport } from "@vigie/contracts";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link } from "react-router";
import { api } from "../../../app/api.ts";
import { contractResolver } from "../../../app/choice-fields.tsx";
import { ErrorSummary, fieldError, TextField, useFormFeedback } from "../../../app/forms.tsx";
import { formatDateTime, Loading, QueryError } from "../../../app/ui.tsx";
import { CLOCKS_PATH, type Clock, caseClocksPath, useCaseClocks } from "../../alerting/api.ts";
import { ClockStateBadge, isOpen } from "../../alerting/clocks.tsx";
import { focusLater } from "../../alerting/focus.ts";
import { parisInputToIso } from "./time.ts";
import "../../alerting/alerting.css";

type Changed = () => Promise<void>;
const unreadable = "Date et heure invalides (jj/mm/aaaa hh:mm).";

/**
 * The regulatory clocks of a case (NIS 2 for an OSE structure, CNIL for personal data
 * disclosed), opened at qualification: due dates, state, filing; intermediate NIS 2 reports
 * on request.
 */
export function ClocksSection({ incidentId, onChanged }: { incidentId: string; onChanged: Changed }) {
  const clocks = useCaseClocks(incidentId);
  const [status, setStatus] = useState("");
  if (clocks.isPending) return <Loading label="Chargement des échéances…" />;
  if (clocks.error) return <QueryError error={clocks.error} title="Échéances indisponibles" />;
  const list = [...clocks.data].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  const nis2 = list.some((c) => c.kind.startsWith("nis2_") && c.state !== "cancelled");
  const done = async (message: string, focusId: string) => {
    await onChanged();
    setStatus(message);
    focusLater(focusId);
  };
  return (
    <>
      {list.length === 0 ? (
        <p>
          Aucune échéance réglementaire. Elles s'ouvrent à la qualification : NIS 2 pour une structure
          opérateur de services essentiels, CNIL quand des données personnelles ont été divulguées.
        </p>
      ) : (
        <ul className="vigie-alert-list">
          {list.map((clock) => (
            <ClockItem key={clock.id} clock={clock} onFiled={done} />
          ))}
        </ul>
      )}
      <p role="status" aria-live="polite" className={fr.cx("fr-text--bold")}>
        {status}
      </p>
      {nis2 ? <IntermediateForm incidentId={incidentId} onRequested={done} /> : null}
      <p className={fr.cx("fr-text--sm", "fr-mt-2w")}>
        <Link className={fr.cx("fr-link")} to={CLOCKS_PATH}>
          Toutes les échéances des cas
        </Link>
      </p>
    </>
  );
}

function ClockItem({
  clock,
  onFiled,
}: {
  clock: Clock;
  onFiled: (message: string, focusId: string) => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const base = `clock-${clock.id}`;
  const label = clockKindLabels[clock.kind];
  return (
    <li>
      <h3 id={`${base}-title`} className={fr.cx("fr-h6", "fr-mb-1w")} tabIndex={-1}>
        {label}
      </h3>
      <p className={`vigie-badges ${fr.cx("fr-mb-1w")}`}>
        <ClockStateBadge state={clock.state} />
      </p>
      <dl className="vigie-case-meta fr-mb-1w">
        <div>
          <dt>À déposer avant le</dt>
          <dd>{formatDateTime(clock.dueAt)}</dd>
        </div>
        <div>
          <dt>Incident connu de la structure le</dt>
          <dd>{formatDateTime(clock.awareAt)}</dd>
        </div>
        {clock.filedAt ? (
          <div>
            <dt>Déposé le</dt>
            <dd>
              {formatDateTime(clock.filedAt)}
              {clock.filedBy ? ` par ${clock.filedBy}` : ""}
            </dd>
          </div>
        ) : null}
        {clock.filingReference ? (
          <div>
            <dt>Référence du dépôt</dt>
            <dd>{clock.filingReference}</dd>
          </div>
        ) : null}
      </dl>
      {clock.filingNote ? (
        <p className={fr.cx("fr-text--sm")}>
          Note : <span className="vigie-multiline">{clock.filingNote}</span>
        </p>
      ) : null}
      {isOpen(clock) ? (
        <>
          <Button
            type="button"
            size="small"
            priority="secondary"
            iconId="fr-icon-check-line"
            nativeButtonProps={{
              id: `${base}-toggle`,
              "aria-expanded": open,
              "aria-controls": `${base}-panel`,
            }}
            onClick={() => {
              setOpen(!open);
              if (!open) focusLater(`${base}-filed-at`);
            }}
          >
            Marquer comme déposé<span className={fr.cx("fr-sr-only")}> : {label}</span>
          </Button>
          <div id={`${base}-panel`}>
            {open ? (
              <FileForm
                clock={clock}
                base={base}
                onCancel={() => {
                  setOpen(false);
                  focusLater(`${base}-toggle`);
                }}
                onFiled={async (filed) => {
                  setOpen(false);
                  await onFiled(
                    `Dépôt enregistré : ${label}${filed.state === "filed_late" ? " (en retard)" : ""}.`,
                    `${base}-title`,
                  );
                }}
              />
            ) : null}
          </div>
        </>
      ) : null}
    </li>
  );
}

interface FileValues {
  filedAt: string;
  filingReference: string;
  filingNote: string;
}
function fileRequest(v: FileValues) {
  const filedAt = parisInputToIso(v.filedAt);
  return {
    ...(filedAt === null ? {} : { filedAt: filedAt ?? v.filedAt }),
    ...(v.filingReference.trim() ? { filingReference: v.filingReference } : {}),
    ...(v.filingNote.trim() ? { filingNote: v.filingNote } : {}),
  };
}
const fileResolver = contractResolver<FileValues>(FileClockRequest, fileRequest, {}, { filedAt: unreadable });

/** When it was filed (now by default), under which reference, with a note. */
function FileForm(props: {
  clock: Clock;
  base: string;
  onCancel: () => void;
  onFiled: (clock: Clock) => Promise<void>;
}) {
  const { clock, base, onCancel, onFiled } = props;
  const form = useForm<FileValues>({
    shouldFocusError: false,
    resolver: fileResolver,
    defaultValues: { filedAt: "", filingReference: "", filingNote: "" },
  });
  const feedback = useFormFeedback(form);
  const fields = {
    filedAt: { id: `${base}-filed-at`, label: "Déposé le" },
    filingReference: { id: `${base}-reference`, label: "Référence du dépôt" },
    filingNote: { id: `${base}-note`, label: "Note" },
  };
  const submit = feedback.handle(async (values) => {
    const filed = await api.post<Clock>(
      caseClocksPath(clock.incidentId, `/${encodeURIComponent(clock.id)}/file`),
      fileRequest(values as FileValues),
    );
    await onFiled(filed);
  });
  const errorOf = (name: keyof FileValues) => fieldError(form.formState.errors, name);
  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${base}-form-title`} className="vigie-alert-panel">
      <h4 id={`${base}-form-title`} className={fr.cx("fr-h6")}>
        Dépôt : {clockKindLabels[clock.kind]}
      </h4>
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={form.formState.errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <TextField
        id={fields.filedAt.id}
        label={fields.filedAt.label}
        hint="Heure de Paris ; maintenant si vide. Jamais dans le futur."
        optional
        error={errorOf("filedAt")}
        inputProps={{ ...form.register("filedAt"), type: "datetime-local" }}
      />
      <TextField
        id={fields.filingReference.id}
        label={fields.filingReference.label}
        hint="Le numéro donné par le téléservice, par exemple."
        optional
        error={errorOf("filingReference")}
        inputProps={form.register("filingReference")}
      />
      <TextField
        id={fields.filingNote.id}
        label={fields.filingNote.label}
        optional
        textArea
        error={errorOf("filingNote")}
        textAreaProps={{ ...form.register("filingNote"), rows: 2 }}
      />
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm")}>
        <li>
          <Button type="submit" disabled={form.formState.isSubmitting}>
            Enregistrer le dépôt
          </Button>
        </li>
        <li>
          <Button type="button" priority="secondary" onClick={onCancel}>
            Annuler
          </Button>
        </li>
      </ul>
    </form>
  );
}

interface IntermediateValues {
  dueAt: string;
}
const intermediateRequest = (v: IntermediateValues) => {
  const iso = parisInputToIso(v.dueAt);
  return { dueAt: iso ?? v.dueAt };
};
const intermediateResolver = contractResolver<IntermediateValues>(
  RequestIntermediateReport,
  intermediateRequest,
  { dueAt: "Indiquez la date demandée pour le rapport intermédiaire." },
  { dueAt: unreadable },
);

/** The authority asked for an intermediate NIS 2 report: its due date. */
function IntermediateForm({
  incidentId,
  onRequested,
}: {
  incidentId: string;
  onRequested: (message: string, focusId: string) => Promise<void>;
}) {
  const form = useForm<IntermediateValues>({
    resolver: intermediateResolver,
    defaultValues: { dueAt: "" },
    shouldFocusError: false,
  });
  const feedback = useFormFeedback(form);
  const fields = { dueAt: { id: "clock-intermediate-due", label: "À remettre avant le" } };
  const submit = feedback.handle(async (values) => {
    const clock = await api.post<Clock>(
      caseClocksPath(incidentId, "/intermediate"),
      intermediateRequest(values as IntermediateValues),
    );
    form.reset({ dueAt: "" });
    await onRequested(
      `Rapport intermédiaire demandé, à remettre avant le ${formatDateTime(clock.dueAt)}.`,
      `clock-${clock.id}-title`,
    );
  });
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-labelledby="clock-intermediate-title"
      className={fr.cx("fr-mt-3w")}
    >
      <h3 id="clock-intermediate-title" className={fr.cx("fr-h6")}>
        Demander un rapport intermédiaire
      </h3>
      <p className={fr.cx("fr-text--sm")}>
        Quand l'autorité NIS 2 demande un rapport intermédiaire, enregistrez sa date de remise : elle rejoint
        les échéances du cas, avec ses rappels.
      </p>
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={form.formState.errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <TextField
        id={fields.dueAt.id}
        label={fields.dueAt.label}
        hint="Heure de Paris."
        error={fieldError(form.formState.errors, "dueAt")}
        inputProps={{ ...form.register("dueAt"), type: "datetime-local" }}
      />
      <Button type="submit" priority="secondary" size="small" disabled={form.formState.isSubmitting}>
        Enregistrer la demande
      </Button>
    </form>
  );
}
