import { fr } from "@codegouvfr/react-dsfr";
import Button from "@codegouvfr/react-dsfr/Button";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import {
  FormErrorSummary,
  FormTextField,
  fieldError,
  RequiredNotice,
  TextField,
  useFormFeedback,
} from "../../app/forms.tsx";
import { type PerimeterView, useAuditActions } from "./api.ts";

/** A date a year from now (YYYY-MM-DD), the usual length of a mandate. */
function inOneYear(): string {
  const date = new Date();
  date.setFullYear(date.getFullYear() + 1);
  return date.toISOString().slice(0, 10);
}

/** The CERT authorises the audits of a submitted perimeter: the mandate's reference and end date. */
export function AuthoriseForm(props: { perimeter: PerimeterView; onDone: (message: string) => void }) {
  const { perimeter, onDone } = props;
  const uid = useId();
  const actions = useAuditActions();
  const form = useForm<{ reference: string; validUntil: string }>({
    defaultValues: { reference: "", validUntil: inOneYear() },
    shouldFocusError: false,
  });
  const feedback = useFormFeedback(form);
  const fields = {
    reference: { id: `autoriser-${perimeter.structureId}-reference`, label: "Référence du mandat" },
    validUntil: { id: `autoriser-${perimeter.structureId}-fin`, label: "Fin de l'autorisation" },
  };
  const errors = form.formState.errors;
  const submit = feedback.handle(async (raw) => {
    const values = raw as { reference: string; validUntil: string };
    let ok = true;
    if (!values.reference.trim()) {
      form.setError("reference", {
        type: "required",
        message: "Indiquez la référence du mandat ou de la demande.",
      });
      ok = false;
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.validUntil)) {
      form.setError("validUntil", {
        type: "required",
        message: "Indiquez la date de fin d'autorisation (AAAA-MM-JJ).",
      });
      ok = false;
    }
    if (!ok) {
      feedback.focusSummary();
      return;
    }
    await actions.authorise(perimeter.structureId, {
      reference: values.reference.trim(),
      validUntil: values.validUntil,
    });
    onDone(`Audits de ${perimeter.structureName} autorisés (mandat ${values.reference.trim()}).`);
  });
  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
      <h4 id={`${uid}-title`} className={fr.cx("fr-h6")}>
        Autoriser les audits<span className={fr.cx("fr-sr-only")}> de {perimeter.structureName}</span>
      </h4>
      <RequiredNotice />
      <FormErrorSummary feedback={feedback} errors={errors} fields={fields} />
      <FormTextField
        form={form}
        fields={fields}
        name="reference"
        hint="La référence du mandat signé ou de la demande, par exemple MANDAT-2026-014"
        inputProps={{ autoComplete: "off" }}
      />
      <FormTextField
        form={form}
        fields={fields}
        name="validUntil"
        hint="Dernier jour où les audits sont autorisés"
        inputProps={{ type: "date" }}
      />
      <Button type="submit" iconId="fr-icon-check-line" disabled={form.formState.isSubmitting}>
        Autoriser<span className={fr.cx("fr-sr-only")}> les audits de {perimeter.structureName}</span>
      </Button>
    </form>
  );
}

/** The CERT refuses a submitted perimeter, saying why (the structure reads the reason). */
export function RejectForm(props: { perimeter: PerimeterView; onDone: (message: string) => void }) {
  const { perimeter, onDone } = props;
  const uid = useId();
  const actions = useAuditActions();
  const [open, setOpen] = useState(false);
  const form = useForm<{ reason: string }>({ defaultValues: { reason: "" }, shouldFocusError: false });
  const feedback = useFormFeedback(form);
  const fields = { reason: { id: `refuser-${perimeter.structureId}-motif`, label: "Motif du refus" } };
  const errors = form.formState.errors;
  const submit = feedback.handle(async (raw) => {
    const reason = String(raw.reason ?? "").trim();
    if (!reason) {
      form.setError("reason", { type: "required", message: "Indiquez le motif du refus." });
      feedback.focusSummary();
      return;
    }
    await actions.reject(perimeter.structureId, reason);
    onDone(`Périmètre de ${perimeter.structureName} refusé.`);
  });
  if (!open) {
    return (
      <Button type="button" priority="secondary" iconId="fr-icon-close-line" onClick={() => setOpen(true)}>
        Refuser<span className={fr.cx("fr-sr-only")}> le périmètre de {perimeter.structureName}</span>
      </Button>
    );
  }
  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
      <h4 id={`${uid}-title`} className={fr.cx("fr-h6")}>
        Refuser le périmètre<span className={fr.cx("fr-sr-only")}> de {perimeter.structureName}</span>
      </h4>
      <FormErrorSummary feedback={feedback} errors={errors} fields={fields} />
      <TextField
        id={fields.reason.id}
        label={fields.reason.label}
        hint="La structure le lira : dites ce qu'elle doit corriger."
        error={fieldError(errors, "reason")}
        textArea
        textAreaProps={{ ...form.register("reason"), rows: 3 }}
      />
      <div className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm")}>
        <Button type="submit" iconId="fr-icon-close-line" disabled={form.formState.isSubmitting}>
          Confirmer le refus
        </Button>
        <Button type="button" priority="tertiary" onClick={() => setOpen(false)}>
          Annuler
        </Button>
      </div>
    </form>
  );
}
