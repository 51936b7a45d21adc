import { fr } from "@codegouvfr/react-dsfr";
import { channel } from "@vigie/contracts";
import { Controller } from "react-hook-form";
import { fieldError, TextField } from "../../app/forms.tsx";
import { StructureCombobox } from "../../app/StructureCombobox.tsx";
import { codeOptions, type DeclarationForm, RadioField } from "./fields.tsx";
import { fieldSpecs, groupId } from "./model.ts";

/** The channels an analyst records a declaration from (the portal records itself). */
const recordedChannels = codeOptions(channel).filter((option) => option.value !== "portal");

/**
 * Step 1: which structure, who declares and how to call them back; `recorded` (an analyst
 * records the declaration for the caller): how the CERT received it, first.
 */
export function StepDeclarant({ form, recorded = false }: { form: DeclarationForm; recorded?: boolean }) {
  const errors = form.formState.errors;
  return (
    <>
      {recorded ? (
        <RadioField
          form={form}
          name="channel"
          id={groupId("channel")}
          legend="Canal de réception"
          hint="Par quel moyen le CERT a reçu cette déclaration."
          options={recordedChannels}
        />
      ) : null}
      <fieldset className={fr.cx("fr-fieldset")}>
        <legend className={fr.cx("fr-fieldset__legend")}>Structure concernée</legend>
        <div className={fr.cx("fr-fieldset__element")}>
          <Controller
            control={form.control}
            name="structures"
            render={({ field }) => (
              <StructureCombobox
                id={fieldSpecs.structures.id}
                label="Structure touchée par l'incident"
                hint="Nom, commune ou numéro FINESS (9 chiffres). Si plusieurs structures d'un même groupe sont touchées (GHT…), ajoutez-les toutes."
                error={fieldError(errors, "structures")}
                value={field.value}
                onChange={field.onChange}
              />
            )}
          />
        </div>
      </fieldset>
      <fieldset className={fr.cx("fr-fieldset")}>
        <legend className={fr.cx("fr-fieldset__legend")}>{recorded ? "Le déclarant" : "Vous êtes"}</legend>
        <div className={fr.cx("fr-fieldset__element")}>
          <TextField
            id={fieldSpecs["declarant.fullName"].id}
            label="Nom et prénom"
            error={fieldError(errors, "declarant.fullName")}
            inputProps={{ ...form.register("declarant.fullName"), autoComplete: "name" }}
          />
        </div>
        <div className={fr.cx("fr-fieldset__element")}>
          <TextField
            id={fieldSpecs["declarant.jobTitle"].id}
            label="Fonction"
            hint="Par exemple : RSSI, DSI, directeur"
            optional
            error={fieldError(errors, "declarant.jobTitle")}
            inputProps={{ ...form.register("declarant.jobTitle"), autoComplete: "organization-title" }}
          />
        </div>
        <div className={fr.cx("fr-fieldset__element")}>
          <TextField
            id={fieldSpecs["declarant.email"].id}
            label="Adresse électronique"
            hint="Format attendu : nom@domaine.fr"
            error={fieldError(errors, "declarant.email")}
            inputProps={{
              ...form.register("declarant.email"),
              type: "email",
              autoComplete: "email",
              spellCheck: false,
            }}
          />
        </div>
        <div className={fr.cx("fr-fieldset__element")}>
          <TextField
            id={fieldSpecs["declarant.phone"].id}
            label="Téléphone pour être rappelé"
            hint="Un numéro joignable pendant l'incident. Par exemple : 06 12 34 56 78"
            error={fieldError(errors, "declarant.phone")}
            inputProps={{ ...form.register("declarant.phone"), type: "tel", autoComplete: "tel" }}
          />
        </div>
        <div className={fr.cx("fr-fieldset__element")}>
          <TextField
            id={fieldSpecs["declarant.otherContact"].id}
            label="Autre contact joignable pendant l'incident"
            hint="Nom, fonction et téléphone d'une autre personne, si vous n'êtes pas joignable."
            optional
            textArea
            error={fieldError(errors, "declarant.otherContact")}
            textAreaProps={{ ...form.register("declarant.otherContact"), rows: 2 }}
          />
        </div>
      </fieldset>
    </>
  );
}
