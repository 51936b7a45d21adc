import { fr } from "@codegouvfr/react-dsfr";
import { affectedSystem, maliciousType, nonMaliciousType, origin } from "@vigie/contracts";
import { useWatch } from "react-hook-form";
import { fieldError, TextField } from "../../app/forms.tsx";
import { CheckboxesField, codeOptions, type DeclarationForm, optional, RadioField } from "./fields.tsx";
import { fieldSpecs, groupId } from "./model.ts";

/** Step 2: what happened, when, the supposed origin and the systems hit. */
export function StepIncident({ form }: { form: DeclarationForm }) {
  const errors = form.formState.errors;
  const chosenOrigin = useWatch({ control: form.control, name: "proposedOrigin" });
  return (
    <>
      <div className={fr.cx("fr-fieldset__element")}>
        <TextField
          id={fieldSpecs.title.id}
          label="Titre court"
          hint="Par exemple : « Chiffrement des serveurs de fichiers »"
          error={fieldError(errors, "title")}
          inputProps={{ ...form.register("title"), maxLength: 200 }}
        />
      </div>
      <div className={fr.cx("fr-fieldset__element")}>
        <TextField
          id={fieldSpecs.description.id}
          label="Description"
          hint="Ce qui a été vu, par qui, sur quels systèmes. Par exemple : message de rançon affiché sur les postes, courriels suspects reçus, panne du DPI, comportement anormal d'un serveur."
          textArea
          error={fieldError(errors, "description")}
          textAreaProps={{ ...form.register("description"), rows: 6 }}
        />
      </div>
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
          <TextField
            id={fieldSpecs.detectedAt.id}
            label="Date et heure de constatation"
            hint="Heure de votre appareil. Déjà remplie avec l'heure actuelle : corrigez-la si besoin."
            error={fieldError(errors, "detectedAt")}
            inputProps={{ ...form.register("detectedAt"), type: "datetime-local" }}
          />
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
          <TextField
            id={fieldSpecs.startedAt.id}
            label="Date de début de l'incident"
            hint="Si vous la connaissez."
            optional
            error={fieldError(errors, "startedAt")}
            inputProps={{ ...form.register("startedAt"), type: "datetime-local" }}
          />
        </div>
      </div>
      <RadioField
        form={form}
        name="proposedOrigin"
        id={groupId("proposedOrigin")}
        legend={optional("Selon vous, l'origine est-elle malveillante ?")}
        options={codeOptions(origin)}
      />
      {chosenOrigin === "malicious" || chosenOrigin === "undetermined" ? (
        <CheckboxesField
          form={form}
          name="proposedMaliciousTypes"
          id={groupId("proposedMaliciousTypes")}
          legend={optional("Cochez ce qui correspond")}
          hint="Plusieurs choix possibles. Le CERT confirmera la qualification."
          options={codeOptions(maliciousType)}
        />
      ) : null}
      {chosenOrigin === "non_malicious" ? (
        <CheckboxesField
          form={form}
          name="proposedNonMaliciousTypes"
          id={groupId("proposedNonMaliciousTypes")}
          legend={optional("Cochez ce qui correspond")}
          hint="Plusieurs choix possibles."
          options={codeOptions(nonMaliciousType)}
        />
      ) : null}
      <CheckboxesField
        form={form}
        name="affectedSystems"
        id={groupId("affectedSystems")}
        legend={optional("Systèmes touchés")}
        hint="Plusieurs choix possibles."
        options={codeOptions(affectedSystem)}
      />
    </>
  );
}
