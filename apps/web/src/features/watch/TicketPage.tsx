import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Button from "@codegouvfr/react-dsfr/Button";
import Table from "@codegouvfr/react-dsfr/Table";
import {
  sensitiveServices,
  ticketConfidenceLabels,
  ticketKindLabels,
  ticketStatusLabels,
  ticketUrgencyLabels,
} from "@vigie/contracts";
import { type FormEvent, useState } from "react";
import { useParams } from "react-router";
import { ApiError } from "../../app/api.ts";
import { useCan } from "../../app/auth.tsx";
import { TextField } from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { formatDate, formatDateTime, Loading, QueryError } from "../../app/ui.tsx";
import { CERT_WATCH_PATH, type TicketDetail, useTicket, useTicketActions, WATCH_PATH } from "./api.ts";
import { TicketStatusBadge, TicketUrgencyBadge } from "./TicketTable.tsx";

const viaLabels = { system: "Vigie (automatique)", user: "Compte Vigie", link: "Lien du courriel" } as const;

function serviceLabel(service: string | null): string | null {
  if (!service) return null;
  return service in sensitiveServices
    ? sensitiveServices[service as keyof typeof sensitiveServices].label
    : service;
}

function Facts({ ticket }: { ticket: TicketDetail }) {
  const rows: [string, string | null][] = [
    ["Nature", ticketKindLabels[ticket.kind]],
    ["Structure", ticket.structureName],
    ["Compte concerné", ticket.email],
    ["Adresse IP", ticket.ip],
    ["Domaine", ticket.domain],
    ["Hôte", ticket.host && ticket.host !== ticket.ip && ticket.host !== ticket.domain ? ticket.host : null],
    ["Port", ticket.port !== null ? String(ticket.port) : null],
    ["Service", serviceLabel(ticket.service)],
    [
      "Produit",
      ticket.product
        ? `${[ticket.vendor, ticket.product].filter(Boolean).join(" ")}${ticket.version ? ` ${ticket.version}` : ""}`
        : null,
    ],
    ["Vulnérabilité", ticket.cveId],
    ["Fiabilité", ticketConfidenceLabels[ticket.confidence]],
    ["Action attendue", ticket.action || null],
    ["Échéance", ticket.dueOn ? formatDate(ticket.dueOn) : null],
    ["Détecté le", formatDateTime(ticket.firstSeenAt)],
    ["Vu pour la dernière fois le", formatDateTime(ticket.lastSeenAt)],
    ["Signalé le", ticket.notifiedAt ? formatDateTime(ticket.notifiedAt) : null],
    ["Rappels envoyés", ticket.reminderCount > 0 ? String(ticket.reminderCount) : null],
    ["Pris en compte le", ticket.acknowledgedAt ? formatDateTime(ticket.acknowledgedAt) : null],
    ["Corrigé le", ticket.fixedAt ? formatDateTime(ticket.fixedAt) : null],
    [
      "Faux positif",
      ticket.falsePositiveUntil
        ? `jusqu'au ${formatDate(ticket.falsePositiveUntil)} — ${ticket.falsePositiveReason ?? ""}`
        : null,
    ],
    ["Source", ticket.source],
  ];
  return (
    <dl className="vigie-facts">
      {rows
        .filter(([, value]) => value)
        .map(([label, value]) => (
          <div key={label} className={fr.cx("fr-mb-1w")}>
            <dt className={fr.cx("fr-text--bold")}>{label}</dt>
            <dd style={{ marginLeft: 0 }}>{value}</dd>
          </div>
        ))}
    </dl>
  );
}

/** /veille/tickets/:id — one ticket: what, where, what to do, its actions, history and notifications. */
export function TicketPage() {
  const { id = "" } = useParams();
  const query = useTicket(id);
  const ticket = query.data;
  usePageTitle(ticket ? `Ticket ${ticket.reference} — ${ticket.title}` : "Ticket de veille");
  const isCert = useCan("watch:handle");
  const actions = useTicketActions();
  const [feedback, setFeedback] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState("");
  const [until, setUntil] = useState("");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  async function run(action: () => Promise<unknown>, success: string) {
    setBusy(true);
    setFeedback(null);
    setFieldErrors({});
    try {
      await action();
      setFeedback({ ok: true, text: success });
    } catch (error) {
      if (error instanceof ApiError && error.fields.length > 0) {
        setFieldErrors(Object.fromEntries(error.fields.map((f) => [f.field, f.message])));
      }
      setFeedback({ ok: false, text: error instanceof ApiError ? error.message : "L'action a échoué." });
    } finally {
      setBusy(false);
    }
  }

  function submitFalsePositive(event: FormEvent) {
    event.preventDefault();
    void run(() => actions.falsePositive(id, reason, until), "Ticket classé en faux positif.");
  }

  const back = isCert ? { label: "Veille (CERT)", to: CERT_WATCH_PATH } : { label: "Veille", to: WATCH_PATH };
  return (
    <>
      <Breadcrumb
        currentPageLabel={ticket ? `Ticket ${ticket.reference}` : "Ticket"}
        homeLinkProps={{ to: "/" }}
        segments={[{ label: back.label, linkProps: { to: back.to } }]}
      />
      {query.isPending ? (
        <Loading />
      ) : query.error || !ticket ? (
        <QueryError error={query.error} title="Ticket introuvable" />
      ) : (
        <>
          <h1>{ticket.title}</h1>
          <p>
            <span className={fr.cx("fr-mr-1w")}>{ticket.reference}</span>
            <TicketUrgencyBadge ticket={ticket} /> <TicketStatusBadge ticket={ticket} />
          </p>
          <div role="status" aria-live="polite">
            {feedback ? (
              <Alert
                small
                severity={feedback.ok ? "success" : "error"}
                description={feedback.text}
                className={fr.cx("fr-mb-3w")}
              />
            ) : null}
          </div>
          {ticket.actions.includes("acknowledge") ||
          ticket.actions.includes("fix") ||
          ticket.actions.includes("reopen") ? (
            <div className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-mb-2w")}>
              {ticket.actions.includes("acknowledge") ? (
                <Button
                  disabled={busy}
                  onClick={() => void run(() => actions.acknowledge([id]), "Ticket pris en compte.")}
                >
                  Prendre en compte
                </Button>
              ) : null}
              {ticket.actions.includes("fix") ? (
                <Button
                  priority="secondary"
                  disabled={busy}
                  onClick={() => void run(() => actions.fix(id), "Ticket déclaré corrigé.")}
                >
                  Déclarer corrigé
                </Button>
              ) : null}
              {ticket.actions.includes("reopen") ? (
                <Button
                  priority="secondary"
                  disabled={busy}
                  onClick={() =>
                    void run(() => actions.reopen(id), "Ticket rouvert : il sera signalé de nouveau.")
                  }
                >
                  Rouvrir
                </Button>
              ) : null}
            </div>
          ) : null}
          {ticket.actions.includes("fix") ? (
            <p className={fr.cx("fr-text--sm")}>
              Un ticket déclaré corrigé est rouvert automatiquement si le problème est encore détecté lors
              d'un prochain rapprochement.
            </p>
          ) : null}

          <h2>Détails</h2>
          <Facts ticket={ticket} />
          {ticket.vulnerability ? (
            <>
              <h2>Vulnérabilité {ticket.vulnerability.cveId}</h2>
              {ticket.vulnerability.name ? (
                <p className={fr.cx("fr-text--bold")}>{ticket.vulnerability.name}</p>
              ) : null}
              {ticket.vulnerability.description ? <p lang="en">{ticket.vulnerability.description}</p> : null}
              <ul>
                {ticket.vulnerability.cvssScore !== null ? (
                  <li>
                    Score CVSS : {ticket.vulnerability.cvssScore}
                    {ticket.vulnerability.cvssSeverity ? ` (${ticket.vulnerability.cvssSeverity})` : ""}
                  </li>
                ) : null}
                <li>
                  {ticket.vulnerability.inKev
                    ? `Exploitation active avérée (catalogue CISA KEV${ticket.vulnerability.kevAddedOn ? ` depuis le ${formatDate(ticket.vulnerability.kevAddedOn)}` : ""})`
                    : "Pas d'exploitation active connue"}
                </li>
                {ticket.vulnerability.ransomware ? <li>Utilisée par des rançongiciels</li> : null}
              </ul>
            </>
          ) : null}
          {ticket.references.length > 0 ? (
            <>
              <h2>Références</h2>
              <ul>
                {ticket.references.map((r) => (
                  <li key={r}>
                    <a
                      className={fr.cx("fr-link")}
                      href={r}
                      rel="noopener noreferrer"
                      target="_blank"
                      title={`${r} — nouvelle fenêtre`}
                    >
                      {r}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          ) : null}

          {ticket.actions.includes("false_positive") ? (
            <form onSubmit={submitFalsePositive} noValidate className={fr.cx("fr-mb-4w")}>
              <h2>Classer en faux positif</h2>
              <p className={fr.cx("fr-text--sm")}>
                Le ticket n'est plus signalé jusqu'à la date choisie (un an au plus) ; il est rouvert ensuite
                s'il est encore détecté.
              </p>
              <TextField
                id="faux-positif-raison"
                label="Raison"
                textArea
                error={fieldErrors.reason}
                textAreaProps={{ value: reason, onChange: (e) => setReason(e.target.value), rows: 3 }}
              />
              <TextField
                id="faux-positif-echeance"
                label="Jusqu'au"
                hint="Date dans le futur, à un an au plus"
                error={fieldErrors.until}
                inputProps={{ type: "date", value: until, onChange: (e) => setUntil(e.target.value) }}
              />
              <Button type="submit" priority="secondary" disabled={busy}>
                Classer en faux positif
              </Button>
            </form>
          ) : null}

          <h2>Historique</h2>
          <Table
            caption="Historique du ticket"
            headers={["Date", "Statut", "Urgence", "Par", "Note"]}
            data={ticket.history.map((h) => [
              formatDateTime(h.at),
              h.fromStatus && h.fromStatus !== h.toStatus
                ? `${ticketStatusLabels[h.fromStatus]} → ${ticketStatusLabels[h.toStatus]}`
                : ticketStatusLabels[h.toStatus],
              ticketUrgencyLabels[h.urgency],
              h.actorName ?? viaLabels[h.via],
              h.note ?? "—",
            ])}
          />

          <h2>Courriels de veille qui l'ont signalé</h2>
          {ticket.notifications.length === 0 ? (
            <p>
              {ticket.noRecipient
                ? "Aucun : la structure n'a pas de destinataire (sans destinataire)."
                : "Aucun pour l'instant."}
            </p>
          ) : (
            <Table
              caption="Courriels qui ont signalé ce ticket"
              headers={["Envoyé le", "Motif", "Destinataires", "Lien d'acquittement utilisé"]}
              data={ticket.notifications.map((n) => [
                formatDateTime(n.sentAt),
                n.reminder ? "Rappel" : "Signalement",
                n.recipients
                  ? n.recipients.join(", ")
                  : `${n.recipientCount} destinataire${n.recipientCount > 1 ? "s" : ""}`,
                n.acknowledgedAt ? formatDateTime(n.acknowledgedAt) : "Non",
              ])}
            />
          )}
        </>
      )}
    </>
  );
}
