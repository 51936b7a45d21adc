import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import { careAffected, filing, stateAtDeclaration } from "@vigie/contracts";
import { useEffect, useState } from "react";
import { useWatch } from "react-hook-form";
import { fieldError, TextField } from "../../app/forms.tsx";
import { CheckboxesField, codeOptions, type DeclarationForm, optional, RadioField } from "./fields.tsx";
import { BUSINESS_HOURS_TEXT, isBusinessHours } from "./hours.ts";
import { fieldSpecs, groupId } from "./model.ts";
import { OncallPhone } from "./Oncall.tsx";

/** Re-evaluates the business hours every minute while the form is open. */
function useOutOfHours(): boolean {
  const [out, setOut] = useState(() => !isBusinessHours());
  useEffect(() => {
    const timer = window.setInterval(() => setOut(!isBusinessHours()), 60_000);
    return () => window.clearInterval(timer);
  }, []);
  return out;
}

/** Step 4: state of the handling, measures taken, support wanted, filings. */
export function StepHandling({ form, oncallPhone }: { form: DeclarationForm; oncallPhone: string | null }) {
  const errors = form.formState.errors;
  const [impact, support, filings] = useWatch({
    control: form.control,
    name: ["operationalImpact", "supportRequested", "filings"],
  });
  const outOfHours = useOutOfHours();
  const urgent = outOfHours && (careAffected(impact || null) || support === "yes");
  return (
    <>
      <RadioField
        form={form}
        name="stateAtDeclaration"
        id={groupId("stateAtDeclaration")}
        legend="Où en est le traitement de l'incident ?"
        options={codeOptions(stateAtDeclaration)}
      />
      <TextField
        id={fieldSpecs.measuresTaken.id}
        label="Mesures déjà prises"
        hint="Par exemple : isolement des postes ou du réseau, coupure des accès distants, changement des mots de passe, sauvegardes mises à l'abri."
        optional
        textArea
        error={fieldError(errors, "measuresTaken")}
        textAreaProps={{ ...form.register("measuresTaken"), rows: 4 }}
      />
      <RadioField
        form={form}
        name="supportRequested"
        id={groupId("supportRequested")}
        legend="Souhaitez-vous être accompagné par le CERT Santé ?"
        options={[
          { value: "yes", label: "Oui" },
          { value: "no", label: "Non" },
        ]}
        orientation="horizontal"
      />
      {urgent ? (
        <Alert
          severity="warning"
          className={fr.cx("fr-mb-4w")}
          title="Besoin d'aide immédiate ? Appelez l'astreinte"
          description={
            <>
              <p className={fr.cx("fr-mb-1w")}>
                Nous sommes en dehors des heures ouvrées ({BUSINESS_HOURS_TEXT}). L'astreinte du CERT Santé
                répond 24 h/24.
              </p>
              {oncallPhone ? (
                <OncallPhone phone={oncallPhone} />
              ) : (
                <p>
                  Envoyez la déclaration sans attendre : le numéro de l'astreinte s'affichera dès l'envoi.
                </p>
              )}
            </>
          }
        />
      ) : null}
      <CheckboxesField
        form={form}
        name="filings"
        id={groupId("filings")}
        legend={optional("Démarches déjà effectuées")}
        options={codeOptions(filing)}
      />
      {filings.includes("provider_engaged") ? (
        <TextField
          id={fieldSpecs.providerName.id}
          label="Nom du prestataire mandaté"
          optional
          error={fieldError(errors, "providerName")}
          inputProps={{ ...form.register("providerName"), maxLength: 200 }}
        />
      ) : null}
    </>
  );
}
