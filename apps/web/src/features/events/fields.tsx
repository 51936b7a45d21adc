import { tlp } from "@vigie/contracts";
import type { FieldErrors, UseFormRegisterReturn } from "react-hook-form";
import { fieldError, SelectField, TextField } from "../../app/forms.tsx";

/** The fields of an event's form (creation and edition). */
export const eventFieldSpecs = (prefix: string) => ({
  title: { id: `${prefix}-title`, label: "Titre" },
  analysis: { id: `${prefix}-analysis`, label: "Analyse partagée" },
  tlp: { id: `${prefix}-tlp`, label: "Diffusion (TLP)" },
});

/** Title, shared analysis and TLP of an event. */
export function EventFields(props: {
  prefix: string;
  errors: FieldErrors;
  register: (name: "title" | "analysis" | "tlp") => UseFormRegisterReturn;
}) {
  const { prefix, errors, register } = props;
  const fields = eventFieldSpecs(prefix);
  return (
    <>
      <TextField
        id={fields.title.id}
        label={fields.title.label}
        hint="Par exemple : « Campagne d'hameçonnage usurpant la DSI » ou « Panne de l'hébergeur X »."
        error={fieldError(errors, "title")}
        inputProps={{ ...register("title"), autoComplete: "off" }}
      />
      <TextField
        id={fields.analysis.id}
        label={fields.analysis.label}
        hint="Montrée aux déclarants des déclarations rattachées, sauf si l'évènement est classé TLP:RED."
        optional
        textArea
        error={fieldError(errors, "analysis")}
        textAreaProps={{ ...register("analysis"), rows: 8 }}
      />
      <SelectField
        id={fields.tlp.id}
        label={fields.tlp.label}
        hint="TLP:RED : l'analyse reste au CERT, elle n'est montrée à aucun déclarant."
        error={fieldError(errors, "tlp")}
        selectProps={register("tlp")}
      >
        {tlp.values.map((value) => (
          <option key={value} value={value}>
            {tlp.labels[value]}
          </option>
        ))}
      </SelectField>
    </>
  );
}
