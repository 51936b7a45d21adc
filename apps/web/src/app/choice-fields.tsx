import Checkbox from "@codegouvfr/react-dsfr/Checkbox";
import RadioButtons from "@codegouvfr/react-dsfr/RadioButtons";
import type { ReactNode } from "react";
import {
  Controller,
  type FieldErrors,
  type FieldValues,
  type Path,
  type Resolver,
  type UseFormReturn,
} from "react-hook-form";
import type { z } from "zod";
import { fieldError } from "./forms.tsx";

/**
 * A DSFR radio group bound to a form. Its inputs get the ids `<id>-0`, `<id>-1`…, the first one
 * being the target of the error summary; the error is linked to the legend by the DSFR.
 */
export function RadioGroupField<T extends FieldValues>(props: {
  form: UseFormReturn<T>;
  name: Path<T>;
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
export function CheckboxGroupField<T extends FieldValues>(props: {
  form: UseFormReturn<T>;
  name: Path<T>;
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  options: { value: string; label: ReactNode }[];
  exclusive?: string[];
  orientation?: "horizontal" | "vertical";
  /** Two columns of choices on a wide screen (long lists). */
  columns?: boolean;
}) {
  const { form, name, id, legend, hint, options, exclusive = [], orientation, columns = false } = props;
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
            className={columns ? "vigie-two-columns" : undefined}
            legend={legend}
            hintText={hint}
            orientation={orientation}
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
export function codeOptions<C extends string>(codes: { values: readonly C[]; labels: Record<C, string> }) {
  return codes.values.map((value) => ({ value, label: codes.labels[value] }));
}

/**
 * A resolver running a contract's schema on what the form holds, turned into the request by
 * `toRequest`: the browser checks what the server will check, with the same messages. Issues
 * land on the form field named by the first segment of their path; `missing` words an empty
 * required answer better than the contract's message for a wrong value, `unreadable` a value
 * that could not be read (a number, a date) where the contract has no message of its own.
 */
export function contractResolver<T extends FieldValues>(
  schema: z.ZodType,
  toRequest: (values: T) => unknown,
  missing: Record<string, string> = {},
  unreadable: Record<string, string> = {},
): Resolver<T> {
  return async (values) => {
    const result = schema.safeParse(toRequest(values));
    if (result.success) return { values, errors: {} };
    const errors: Record<string, { type: string; message: string }> = {};
    for (const issue of result.error.issues) {
      const name = String(issue.path[0] ?? "");
      if (!name || errors[name]) continue;
      const raw = (values as Record<string, unknown>)[name];
      const empty =
        raw === "" || raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0);
      const message = empty && missing[name] ? missing[name] : (unreadable[name] ?? issue.message);
      errors[name] = { type: "validate", message };
    }
    if (Object.keys(errors).length === 0) {
      errors.root = { type: "validate", message: result.error.issues[0]?.message ?? "Formulaire invalide." };
    }
    return { values: {}, errors: errors as unknown as FieldErrors<T> };
  };
}
