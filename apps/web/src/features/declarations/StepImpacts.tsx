import { fr } from "@codegouvfr/react-dsfr";
import { dataImpact, dataType, operationalImpact, patientEndangerment } from "@vigie/contracts";
import { useWatch } from "react-hook-form";
import { fieldError, TextField } from "../../app/forms.tsx";
import { CheckboxesField, codeOptions, type DeclarationForm, optional, RadioField } from "./fields.tsx";
import { fieldSpecs, groupId } from "./model.ts";

/** Step 3: effects on the structure's functioning, on patients and on data. */
export function StepImpacts({ form }: { form: DeclarationForm }) {
  const errors = form.formState.errors;
  const [impact, endangerment, dataImpacts] = useWatch({
    control: form.control,
    name: ["operationalImpact", "patientEndangerment", "dataImpacts"],
  });
  const degraded = impact !== "" && impact !== "none";
  const dataHit = dataImpacts.length > 0 && !dataImpacts.includes("none");
  return (
    <>
      <RadioField
        form={form}
        name="operationalImpact"
        id={groupId("operationalImpact")}
        legend="Quel est l'effet sur le fonctionnement de la structure ?"
        options={codeOptions(operationalImpact)}
      />
      {degraded ? (
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-mb-3w")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
            <TextField
              id={fieldSpecs.degradedSince.id}
              label="En mode dégradé depuis"
              optional
              error={fieldError(errors, "degradedSince")}
              inputProps={{ ...form.register("degradedSince"), type: "datetime-local" }}
            />
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
            <TextField
              id={fieldSpecs.degradedModeHours.id}
              label="Durée estimée, en heures"
              hint="Une estimation suffit. Par exemple : 48"
              optional
              error={fieldError(errors, "degradedModeHours")}
              inputProps={{ ...form.register("degradedModeHours"), inputMode: "decimal" }}
            />
          </div>
        </div>
      ) : null}
      <RadioField
        form={form}
        name="patientEndangerment"
        id={groupId("patientEndangerment")}
        legend={optional("Un patient a-t-il été, ou pu être, mis en danger ?")}
        options={codeOptions(patientEndangerment)}
        orientation="horizontal"
      />
      {endangerment === "potential" || endangerment === "actual" ? (
        <TextField
          id={fieldSpecs.patientEndangermentDetails.id}
          label="En quelques mots"
          hint="Par exemple : retard de prise en charge aux urgences, résultats d'analyses indisponibles."
          optional
          textArea
          error={fieldError(errors, "patientEndangermentDetails")}
          textAreaProps={{ ...form.register("patientEndangermentDetails"), rows: 3 }}
        />
      ) : null}
      <CheckboxesField
        form={form}
        name="dataImpacts"
        id={groupId("dataImpacts")}
        legend={optional("Quel est l'impact sur les données ?")}
        hint="Plusieurs choix possibles, sauf « Aucun impact »."
        options={codeOptions(dataImpact)}
        exclusive={["none"]}
      />
      {dataHit ? (
        <>
          <CheckboxesField
            form={form}
            name="dataTypes"
            id={groupId("dataTypes")}
            legend={optional("Quels types de données ?")}
            options={codeOptions(dataType)}
          />
          <TextField
            id={fieldSpecs.personsAffected.id}
            label="Nombre approximatif de personnes concernées"
            hint="Si vous le connaissez. Par exemple : 1500"
            optional
            error={fieldError(errors, "personsAffected")}
            inputProps={{ ...form.register("personsAffected"), inputMode: "numeric" }}
          />
        </>
      ) : null}
      <TextField
        id={fieldSpecs.otherStructuresAffected.id}
        label="D'autres structures sont-elles touchées ?"
        hint="Par exemple : prestataire ou hébergeur commun, autres établissements du GHT."
        optional
        textArea
        error={fieldError(errors, "otherStructuresAffected")}
        textAreaProps={{ ...form.register("otherStructuresAffected"), rows: 2 }}
      />
    </>
  );
}
