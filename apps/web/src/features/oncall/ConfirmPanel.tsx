import { fr } from "@codegouvfr/react-dsfr";
import Button from "@codegouvfr/react-dsfr/Button";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { ApiError } from "../../app/api.ts";

/**
 * An inline confirmation for a destructive action (no modal: it stays in the reading order and
 * works the same on a phone). Focused when shown; the caller moves the focus on afterwards.
 */
export function ConfirmPanel(props: {
  id: string;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}) {
  const { id, title, children, confirmLabel, onConfirm, onCancel } = props;
  const ref = useRef<HTMLElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (cause) {
      setError(cause instanceof ApiError ? cause.message : "Une erreur inattendue est survenue.");
      ref.current?.focus();
    } finally {
      setBusy(false);
    }
  };
  return (
    <section
      ref={ref}
      id={id}
      tabIndex={-1}
      aria-labelledby={`${id}-title`}
      className={`${fr.cx("fr-alert", "fr-alert--warning", "fr-mb-3w")} vigie-confirm`}
    >
      <p id={`${id}-title`} className={fr.cx("fr-alert__title")}>
        {title}
      </p>
      {children}
      {error ? (
        <p role="alert" className={fr.cx("fr-error-text")}>
          {error}
        </p>
      ) : null}
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm", "fr-mt-2w", "fr-mb-0")}>
        <li>
          <Button onClick={confirm} disabled={busy}>
            {confirmLabel}
          </Button>
        </li>
        <li>
          <Button priority="secondary" onClick={onCancel} disabled={busy}>
            Annuler
          </Button>
        </li>
      </ul>
    </section>
  );
}
