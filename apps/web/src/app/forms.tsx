import { fr } from "@codegouvfr/react-dsfr";
import PasswordInput from "@codegouvfr/react-dsfr/blocks/PasswordInput";
import Input from "@codegouvfr/react-dsfr/Input";
import Select from "@codegouvfr/react-dsfr/Select";
import { type ComponentProps, type ReactNode, type RefObject, useCallback, useRef, useState } from "react";
import {
  type FieldErrors,
  type FieldValues,
  get,
  type Path,
  type SubmitHandler,
  type UseFormReturn,
} from "react-hook-form";
import { ApiError } from "./api.ts";

/** A form field as the error summary names it. */
export interface FieldSpec {
  id: string;
  label: string;
}

/** Message of a field's error, for nested names too ("finess.0"). */
export function fieldError(errors: FieldErrors, name: string): string | undefined {
  const error = get(errors, name) as { message?: unknown; root?: { message?: unknown } } | undefined;
  if (!error) return undefined;
  if (typeof error.message === "string" && error.message) return error.message;
  // Arrays (e.g. a list of structures) carry their errors on their items.
  if (Array.isArray(error)) {
    for (const item of error) if (item?.message) return String(item.message);
  }
  if (typeof error.root?.message === "string") return error.root.message;
  return undefined;
}

/**
 * State shared by every form: the global (non-field) error and the summary to focus when a
 * submission fails. What the user typed is never reset on failure: react-hook-form keeps
 * the values and we only ever add errors.
 */
export function useFormFeedback<T extends FieldValues>(
  form: UseFormReturn<T, unknown, FieldValues>,
  options: {
    /** Maps an API field path to a form field; return null to show the issue globally. */
    mapField?: (field: string) => string | null;
  } = {},
) {
  const summaryRef = useRef<HTMLDivElement>(null);
  const [globalError, setGlobalError] = useState<ApiError | null>(null);
  const [globalMessage, setGlobalMessage] = useState<string | null>(null);

  const focusSummary = useCallback(() => {
    // After React has painted the summary.
    requestAnimationFrame(() => summaryRef.current?.focus());
  }, []);

  const fieldNames = new Set(Object.keys(form.getValues() ?? {}));
  const mapField =
    options.mapField ??
    ((field: string) => {
      const head = field.split(".")[0] ?? field;
      return fieldNames.has(field) ? field : fieldNames.has(head) ? head : null;
    });

  /** Shows an API failure: field issues next to their inputs, the rest at the top. */
  const showError = (error: unknown, messageOverride?: string) => {
    const apiError = error instanceof ApiError ? error : new ApiError(0, "UNKNOWN");
    const unplaced: string[] = [];
    for (const issue of apiError.fields) {
      const name = mapField(issue.field);
      if (name) form.setError(name as Path<T>, { type: "server", message: issue.message });
      else unplaced.push(issue.message);
    }
    const placed = apiError.fields.length > unplaced.length;
    if (messageOverride) {
      setGlobalError(apiError);
      setGlobalMessage(messageOverride);
    } else if (!placed || unplaced.length > 0 || apiError.fields.length === 0) {
      setGlobalError(apiError);
      setGlobalMessage(unplaced.length > 0 ? `${apiError.message} ${unplaced.join(" ")}` : null);
    } else {
      setGlobalError(null);
      setGlobalMessage(null);
    }
    focusSummary();
  };

  /** Wraps a submit handler: clears the previous global error, focuses the summary on failure. */
  const handle =
    (onValid: SubmitHandler<FieldValues>, onError?: (error: unknown) => boolean | undefined) =>
    (event?: React.BaseSyntheticEvent) =>
      form.handleSubmit(
        async (values) => {
          setGlobalError(null);
          setGlobalMessage(null);
          try {
            await onValid(values, event);
          } catch (error) {
            if (onError?.(error)) return;
            showError(error);
          }
        },
        () => {
          setGlobalError(null);
          setGlobalMessage(null);
          focusSummary();
        },
      )(event);

  const clearGlobal = () => {
    setGlobalError(null);
    setGlobalMessage(null);
  };

  return {
    summaryRef,
    globalError,
    globalMessage,
    showError,
    handle,
    clearGlobal,
    focusSummary,
    setGlobal: (message: string | null) => {
      setGlobalError(message ? new ApiError(0, "UNKNOWN") : null);
      setGlobalMessage(message);
      if (message) focusSummary();
    },
  };
}

/**
 * The error summary at the top of a form: one link per field in error (moving the focus to
 * the field) and any error that belongs to no field. Focused after a failed submission.
 */
export function ErrorSummary(props: {
  summaryRef: RefObject<HTMLDivElement | null>;
  errors: FieldErrors;
  fields: Record<string, FieldSpec>;
  globalError?: ApiError | null;
  globalMessage?: string | null;
  /** Extra content under the global message (e.g. a "resend" button). */
  children?: ReactNode;
  /**
   * Called instead of focusing the field when its link is followed: for multi-step forms whose
   * field is not on screen (the form shows its step, then focuses the field).
   */
  onSelect?: (name: string, spec: FieldSpec) => void;
}) {
  const { summaryRef, errors, fields, globalError, globalMessage, children, onSelect } = props;
  const fieldEntries = Object.entries(fields)
    .map(([name, spec]) => ({ name, spec, message: fieldError(errors, name) }))
    .filter((entry) => entry.message);
  const global = globalMessage ?? globalError?.message ?? null;
  const hasContent = fieldEntries.length > 0 || global;
  return (
    <div ref={summaryRef} tabIndex={-1} className="vigie-error-summary">
      {hasContent ? (
        <div className={fr.cx("fr-alert", "fr-alert--error", "fr-mb-4w")}>
          <h2 id="error-summary-title" className={fr.cx("fr-alert__title")}>
            {fieldEntries.length > 0
              ? fieldEntries.length === 1
                ? "Le formulaire contient une erreur"
                : `Le formulaire contient ${fieldEntries.length} erreurs`
              : "Action impossible"}
          </h2>
          {global ? <p>{global}</p> : null}
          {children}
          {fieldEntries.length > 0 ? (
            <ul>
              {fieldEntries.map(({ name, spec, message }) => (
                <li key={name}>
                  <a
                    href={`#${spec.id}`}
                    onClick={(event) => {
                      event.preventDefault();
                      if (onSelect) return onSelect(name, spec);
                      const target = document.getElementById(spec.id);
                      target?.focus();
                      target?.scrollIntoView({ block: "center" });
                    }}
                  >
                    {spec.label} : {message}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

type NativeInput = ComponentProps<"input">;

/** A DSFR text input whose error message is linked to it (aria-describedby, aria-invalid). */
export function TextField(props: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  inputProps?: NativeInput;
  textArea?: boolean;
  textAreaProps?: ComponentProps<"textarea">;
  className?: string;
  optional?: boolean;
  action?: ReactNode;
}) {
  const { id, label, hint, error, inputProps, textArea, textAreaProps, className, optional, action } = props;
  const labelNode = optional ? (
    <>
      {label} <span className="vigie-optional">(facultatif)</span>
    </>
  ) : (
    label
  );
  const common = {
    label: labelNode,
    hintText: hint,
    state: error ? ("error" as const) : ("default" as const),
    stateRelatedMessage: error,
    className,
    action,
  };
  if (textArea) {
    return (
      <Input
        {...common}
        textArea
        nativeTextAreaProps={{
          ...textAreaProps,
          id,
          "aria-invalid": error ? true : undefined,
          "aria-required": optional ? undefined : true,
        }}
      />
    );
  }
  return (
    <Input
      {...common}
      nativeInputProps={{
        ...inputProps,
        id,
        "aria-invalid": error ? true : undefined,
        "aria-required": optional ? undefined : (inputProps?.["aria-required"] ?? true),
      }}
    />
  );
}

/** A DSFR select with its error linked. */
export function SelectField(props: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  selectProps: ComponentProps<"select">;
  children: ReactNode;
  className?: string;
}) {
  const { id, label, hint, error, selectProps, children, className } = props;
  return (
    <Select
      label={label}
      hint={hint}
      className={className}
      state={error ? "error" : "default"}
      stateRelatedMessage={error}
      nativeSelectProps={{ ...selectProps, id, "aria-invalid": error ? true : undefined }}
    >
      {children}
    </Select>
  );
}

/** The sentence RGAA asks for at the top of forms. */
export function RequiredNotice() {
  return (
    <p className={fr.cx("fr-text--sm", "fr-mb-3w")}>
      Sauf mention contraire, tous les champs sont obligatoires.
    </p>
  );
}

/** The DSFR password input (with its "show" toggle), error linked to the input. */
export function PasswordField(props: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  inputProps?: Omit<NativeInput, "type">;
}) {
  const { id, label, hint, error, inputProps } = props;
  return (
    <PasswordInput
      label={label}
      hintText={hint}
      messagesHint=""
      messages={error ? [{ severity: "error", message: error }] : []}
      nativeInputProps={{
        ...inputProps,
        id,
        "aria-invalid": error ? true : undefined,
        "aria-required": true,
      }}
    />
  );
}

/** The `ErrorSummary` of a form driven by `useFormFeedback`. */
export function FormErrorSummary(props: {
  feedback: Pick<ReturnType<typeof useFormFeedback>, "summaryRef" | "globalError" | "globalMessage">;
  errors: FieldErrors;
  fields: Record<string, FieldSpec>;
}) {
  const { feedback, errors, fields } = props;
  return (
    <ErrorSummary
      summaryRef={feedback.summaryRef}
      errors={errors}
      fields={fields}
      globalError={feedback.globalError}
      globalMessage={feedback.globalMessage}
    />
  );
}

/**
 * A `TextField` bound to a react-hook-form field: its id and label from the form's `fields`,
 * its error from the form, its input registered.
 */
export function FormTextField<T extends FieldValues>(props: {
  form: UseFormReturn<T, unknown, FieldValues>;
  fields: Record<string, FieldSpec>;
  name: Path<T>;
  hint?: ReactNode;
  inputProps?: NativeInput;
}) {
  const { form, fields, name, hint, inputProps } = props;
  const spec = fields[name];
  return (
    <TextField
      id={spec?.id ?? name}
      label={spec?.label ?? name}
      hint={hint}
      error={fieldError(form.formState.errors, name)}
      inputProps={{ ...form.register(name), ...inputProps }}
    />
  );
}
