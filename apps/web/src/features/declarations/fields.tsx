import type { ReactNode } from "react";
import type { UseFormReturn } from "react-hook-form";
import type { DeclarationFormValues } from "./model.ts";

export type DeclarationForm = UseFormReturn<DeclarationFormValues>;

/** The legend of an optional group. */
export function optional(legend: ReactNode): ReactNode {
  return (
    <>
      {legend} <span className="vigie-optional">(facultatif)</span>
    </>
  );
}

// Choice fields are the app's generic ones, named as the declaration steps use them.
export {
  CheckboxGroupField as CheckboxesField,
  codeOptions,
  RadioGroupField as RadioField,
} from "../../app/choice-fields.tsx";
