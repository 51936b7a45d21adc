import { fr } from "@codegouvfr/react-dsfr";
import Button from "@codegouvfr/react-dsfr/Button";
import Checkbox from "@codegouvfr/react-dsfr/Checkbox";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { api } from "../../../app/api.ts";
import { ErrorSummary, fieldError, useFormFeedback } from "../../../app/forms.tsx";
import { type Case, casePath } from "./api.ts";

interface Values {
  otherSectorsRisk: boolean;
}

/** The analyst's judgement that the incident may affect other sectors (a criterion of the alerting rules). */
export function OtherSectorsRiskForm({
  view,
  onSaved,
}: {
  view: Case;
  onSaved: (next: Case) => Promise<void>;
}) {
  const form = useForm<Values>({
    shouldFocusError: false,
    values: { otherSectorsRisk: view.otherSectorsRisk },
    resetOptions: { keepDirtyValues: true },
  });
  const feedback = useFormFeedback(form);
  const [done, setDone] = useState("");
  const fields = {
    otherSectorsRisk: { id: "case-other-sectors-0", label: "Peut toucher d'autres secteurs" },
  };
  const submit = feedback.handle(async (values) => {
    setDone("");
    const wanted = (values as Values).otherSectorsRisk;
    if (wanted === view.otherSectorsRisk) {
      setDone("Aucune modification.");
      return;
    }
    const next = await api.patch<Case>(casePath(view.declaration.id), { otherSectorsRisk: wanted });
    await onSaved(next);
    setDone(
      next.otherSectorsRisk
        ? "Cas marqué comme pouvant toucher d'autres secteurs."
        : "Le cas n'est plus marqué comme pouvant toucher d'autres secteurs.",
    );
  });
  const error = fieldError(form.formState.errors, "otherSectorsRisk");
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-labelledby="case-other-sectors-title"
      className={fr.cx("fr-mb-4w")}
    >
      <h3 id="case-other-sectors-title" className={fr.cx("fr-h6")}>
        Portée de l'incident
      </h3>
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={form.formState.errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <Checkbox
        id="case-other-sectors"
        small
        state={error ? "error" : "default"}
        stateRelatedMessage={error}
        options={[
          {
            label: "Peut toucher d'autres secteurs",
            hintText:
              "Un prestataire, un logiciel ou une campagne communs à d'autres secteurs : critère des alertes (ANSSI).",
            nativeInputProps: form.register("otherSectorsRisk"),
          },
        ]}
      />
      <Button type="submit" priority="secondary" size="small" disabled={form.formState.isSubmitting}>
        Enregistrer la portée
      </Button>
      <p role="status" className={fr.cx("fr-text--sm", "fr-mb-0")}>
        {done}
      </p>
    </form>
  );
}
