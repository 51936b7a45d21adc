import Checkbox from "@codegouvfr/react-dsfr/Checkbox";
import RadioButtons from "@codegouvfr/react-dsfr/RadioButtons";
import type { ReactNode } from "react";
import { Controller, type UseFormReturn } from "react-hook-form";
import { fieldError } from "../../app/forms.tsx";
import type { DeclarationFormValues } from "./model.ts";

export type DeclarationForm = UseFormReturn<DeclarationFormValues>;

type RadioName = {
  [K in keyof DeclarationFormValues]: DeclarationFormValues[K] extends string ? K : never;
}[keyof DeclarationFormValues];
type ListName = {
  [K in keyof DeclarationFormValues]: DeclarationFormValues[K] extends string[] ? K : never;
}[keyof DeclarationFormValues];

/** The legend of an optional group. */
export function optional(legend: ReactNode): ReactNode {
  return (
    <>
      {legend} <span className="vigie-optional">(facultatif)</span>
    </>
  );
}

/**
 * A DSFR radio group bound to the form. Its inputs get the ids `<id>-0`, `<id>-1`…, the first
 * one being the target of the error summary; the error is linked to the legend by the DSFR.
 */
export function RadioField<N extends RadioName>(props: {
  form: DeclarationForm;
  name: N;
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  options: { value: string; label: ReactNode; hint?: ReactNode }[];
  orientation?: "horizontal" | "vertical";
}) {
  const { form, name, id, legend, hint, options, orientation } = props;
  const error = fieldError(form.formState.errors, name);
  return (
    <RadioButtons
      id={id}
      legend={legend}
      hintText={hint}
      orientation={orientation}
      state={error ? "error" : "default"}
      stateRelatedMessage={error}
      options={options.map((option) => ({
        label: option.label,
        hintText: option.hint,
        nativeInputProps: { ...form.register(name), value: option.value },
      }))}
    />
  );
}

/** A DSFR checkbox group bound to a list of codes; `exclusive` codes untick the others. */
export function CheckboxesField<N extends ListName>(props: {
  form: DeclarationForm;
  name: N;
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  options: { value: string; label: ReactNode }[];
  exclusive?: string[];
}) {
  const { form, name, id, legend, hint, options, exclusive = [] } = props;
  const error = fieldError(form.formState.errors, name);
  return (
    <Controller
      control={form.control}
      name={name}
      render={({ field }) => {
        const value = (field.value ?? []) as string[];
        const toggle = (code: string, checked: boolean) => {
          if (!checked) return field.onChange(value.filter((v) => v !== code));
          if (exclusive.includes(code)) return field.onChange([code]);
          return field.onChange([...value.filter((v) => !exclusive.includes(v)), code]);
        };
        return (
          <Checkbox
            id={id}
            legend={legend}
            hintText={hint}
            state={error ? "error" : "default"}
            stateRelatedMessage={error}
            options={options.map((option) => ({
              label: option.label,
              nativeInputProps: {
                name: field.name,
                value: option.value,
                checked: value.includes(option.value),
                onChange: (event) => toggle(option.value, event.target.checked),
                onBlur: field.onBlur,
              },
            }))}
          />
        );
      }}
    />
  );
}

/** The options of a taxonomy list, in its order. */
export function codeOptions<T extends string>(codes: { values: readonly T[]; labels: Record<T, string> }) {
  return codes.values.map((value) => ({ value, label: codes.labels[value] }));
}
