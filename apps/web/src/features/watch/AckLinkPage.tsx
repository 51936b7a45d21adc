import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Button from "@codegouvfr/react-dsfr/Button";
import { ticketStatusLabels } from "@vigie/contracts";
import { useState } from "react";
import { useParams } from "react-router";
import { ApiError } from "../../app/api.ts";
import { usePageTitle } from "../../app/page.tsx";
import { formatDate, Loading } from "../../app/ui.tsx";
import { type AckLinkResult, ackByLink, useAckLink } from "./api.ts";

/** /veille/acquitter/:token — acknowledging a notification's tickets from its e-mail, without signing in (works on a phone). */
export function AckLinkPage() {
  const { token = "" } = useParams();
  usePageTitle("Prendre en compte les points signalés par le CERT");
  const link = useAckLink(token);
  const [result, setResult] = useState<AckLinkResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const view = result ?? link.data;

  async function acknowledge() {
    setBusy(true);
    setError(null);
    try {
      setResult(await ackByLink(token));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : "La prise en compte a échoué. Réessayez.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h1>Prendre en compte les points signalés par le CERT Santé</h1>
      {link.isPending ? (
        <Loading />
      ) : link.error ? (
        <Alert
          severity="error"
          title="Lien inutilisable"
          description={link.error instanceof ApiError ? link.error.message : "Ce lien ne peut pas être lu."}
        />
      ) : view ? (
        <>
          <p>
            Message du {formatDate(view.sentAt)} ; ce lien est valable jusqu'au {formatDate(view.expiresAt)}.
          </p>
          <div role="status" aria-live="polite">
            {result ? (
              <Alert
                severity="success"
                small
                className={fr.cx("fr-mb-3w")}
                description={
                  result.acknowledged > 0
                    ? `Merci : ${result.acknowledged > 1 ? `${result.acknowledged} points pris en compte` : "point pris en compte"}. Le CERT en est informé.`
                    : "Ces points étaient déjà pris en compte : rien n'a changé."
                }
              />
            ) : null}
            {error ? (
              <Alert severity="error" small className={fr.cx("fr-mb-3w")} description={error} />
            ) : null}
          </div>
          <ul className="vigie-ack-list">
            {view.tickets.map((ticket) => (
              <li key={ticket.reference} className={fr.cx("fr-mb-1w")}>
                <span className={fr.cx("fr-text--bold")}>{ticket.reference}</span> — {ticket.title}{" "}
                <span className={fr.cx("fr-text--sm")}>({ticketStatusLabels[ticket.status]})</span>
              </li>
            ))}
          </ul>
          {result ? null : (
            <Button onClick={() => void acknowledge()} disabled={busy}>
              Prendre en compte ces points
            </Button>
          )}
          <p className={fr.cx("fr-mt-3w", "fr-text--sm")}>
            Les membres de la structure qui ont un compte Vigie retrouvent le détail, l'action attendue et
            l'échéance de chaque point dans la rubrique Veille, et y déclarent les corrections.
          </p>
        </>
      ) : null}
    </>
  );
}
