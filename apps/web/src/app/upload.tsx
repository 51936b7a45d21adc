import { fr } from "@codegouvfr/react-dsfr";
import { type ReactNode, useId, useRef, useState } from "react";

/**
 * State of a form's file input: the chosen file checked for presence and size, its error shown
 * next to it (and the focus moved there).
 */
export function useFileInput(options: { maxBytes: number; missing: string; tooLarge: string }) {
  const uid = useId();
  const ref = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  /** Shows `message` next to the input and moves the focus there. */
  const fail = (message: string) => {
    setError(message);
    ref.current?.focus();
  };
  /** The chosen file, or null (its error shown) when there is none or it is too large. */
  const pick = (): File | null => {
    const file = ref.current?.files?.[0];
    if (!file) {
      fail(options.missing);
      return null;
    }
    if (file.size > options.maxBytes) {
      fail(options.tooLarge);
      return null;
    }
    setError(null);
    return file;
  };
  return { inputId: `${uid}-file`, errorId: `${uid}-error`, ref, error, setError, fail, pick };
}

/** The DSFR upload field of a `useFileInput`, its error linked to the input. */
export function FileInputField(props: {
  input: ReturnType<typeof useFileInput>;
  label: ReactNode;
  hint: ReactNode;
  accept: string;
}) {
  const { input, label, hint, accept } = props;
  return (
    <div className={fr.cx("fr-upload-group", input.error ? "fr-input-group--error" : undefined)}>
      <label className={fr.cx("fr-label")} htmlFor={input.inputId}>
        {label}
        <span className={fr.cx("fr-hint-text")}>{hint}</span>
      </label>
      <input
        ref={input.ref}
        id={input.inputId}
        className={fr.cx("fr-upload")}
        type="file"
        accept={accept}
        aria-invalid={input.error ? true : undefined}
        aria-describedby={input.error ? input.errorId : undefined}
        onChange={() => input.setError(null)}
      />
      {input.error ? (
        <p id={input.errorId} className={fr.cx("fr-error-text")}>
          {input.error}
        </p>
      ) : null}
    </div>
  );
}
