import { fr } from "@codegouvfr/react-dsfr";
import Badge from "@codegouvfr/react-dsfr/Badge";
import { complementStatusLabels } from "@vigie/contracts";
import { formatDateTime } from "../../../app/ui.tsx";
import type { Case, ComplementRequest } from "./api.ts";

const severity: Record<ComplementRequest["status"], "warning" | "success" | "error" | undefined> = {
  open: "warning",
  answered: "success",
  never_answered: "error",
  cancelled: undefined,
};

/** The requests for complements of a case: asked, due, reminders, answer. */
export function ComplementRequests({ view }: { view: Case }) {
  const requests = view.complementRequests;
  if (requests.length === 0)
    return (
      <p>
        Aucune demande de compléments. Une question posée au déclarant (« Échanges ») en crée une, avec sa
        date de réponse attendue.
      </p>
    );
  const questions = new Map(view.declaration.messages.map((m) => [m.id, m.body]));
  return (
    <ul className="vigie-case-list">
      {requests.map((r) => {
        const question = questions.get(r.questionMessageId);
        return (
          <li key={r.id}>
            <p className={`vigie-badges ${fr.cx("fr-mb-1v")}`}>
              <Badge as="span" small severity={severity[r.status]} noIcon={!severity[r.status]}>
                {complementStatusLabels[r.status]}
              </Badge>
            </p>
            {question ? (
              <p className={fr.cx("fr-mb-1v")}>
                <span className="vigie-multiline">{question}</span>
              </p>
            ) : null}
            <dl className="vigie-case-meta fr-mb-0">
              <div>
                <dt>Demandée le</dt>
                <dd>{formatDateTime(r.requestedAt)}</dd>
              </div>
              <div>
                <dt>Réponse attendue avant le</dt>
                <dd>{formatDateTime(r.dueAt)}</dd>
              </div>
              <div>
                <dt>Relances envoyées</dt>
                <dd>
                  {r.remindersSent}
                  {r.lastRemindedAt ? ` (dernière le ${formatDateTime(r.lastRemindedAt)})` : ""}
                </dd>
              </div>
              {r.answeredAt ? (
                <div>
                  <dt>Répondu le</dt>
                  <dd>{formatDateTime(r.answeredAt)}</dd>
                </div>
              ) : null}
            </dl>
          </li>
        );
      })}
    </ul>
  );
}
