import { fr } from "@codegouvfr/react-dsfr";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Table from "@codegouvfr/react-dsfr/Table";
import { ticketKindLabels, ticketStatusLabels, ticketUrgencyLabels } from "@vigie/contracts";
import { Link } from "react-router";
import { formatDate } from "../../app/ui.tsx";
import { statusSeverityOf, type Ticket, ticketPath, ticketWhere, urgencySeverityOf } from "./api.ts";

/** A status as a DSFR badge. */
export function TicketStatusBadge({ ticket }: { ticket: Pick<Ticket, "status"> }) {
  return (
    <Badge small severity={statusSeverityOf(ticket.status)} noIcon>
      {ticketStatusLabels[ticket.status]}
    </Badge>
  );
}

/** An urgency as a DSFR badge. */
export function TicketUrgencyBadge({ ticket }: { ticket: Pick<Ticket, "urgency"> }) {
  return (
    <Badge small severity={urgencySeverityOf(ticket.urgency)} noIcon>
      {ticketUrgencyLabels[ticket.urgency]}
    </Badge>
  );
}

/**
 * The tickets as a table: reference (with a checkbox when `selected` is given, for acknowledging
 * several at once), what and where, urgency, deadline and status.
 */
export function TicketTable(props: {
  caption: string;
  tickets: Ticket[];
  showStructure?: boolean;
  selected?: Set<string>;
  onToggle?: (id: string) => void;
}) {
  const { caption, tickets, showStructure, selected, onToggle } = props;
  const headers = [
    "Ticket",
    ...(showStructure ? ["Structure"] : []),
    "Problème",
    "Où",
    "Urgence",
    "Échéance",
    "Statut",
  ];
  return (
    <Table
      caption={caption}
      headers={headers}
      data={tickets.map((ticket) => [
        selected && onToggle && ticket.actions.includes("acknowledge") ? (
          <div key="ref" className={fr.cx("fr-checkbox-group", "fr-checkbox-group--sm")}>
            <input
              type="checkbox"
              id={`choisir-${ticket.id}`}
              checked={selected.has(ticket.id)}
              onChange={() => onToggle(ticket.id)}
            />
            <label className={fr.cx("fr-label")} htmlFor={`choisir-${ticket.id}`}>
              <span className={fr.cx("fr-sr-only")}>Choisir le ticket </span>
              {ticket.reference}
            </label>
          </div>
        ) : (
          <span key="ref" className="vigie-nowrap">
            {ticket.reference}
          </span>
        ),
        ...(showStructure
          ? [
              <span key="structure">
                {ticket.structureName}
                {ticket.noRecipient ? (
                  <Badge small severity="warning" noIcon className={fr.cx("fr-ml-1w")}>
                    sans destinataire
                  </Badge>
                ) : null}
              </span>,
            ]
          : []),
        <span key="what">
          <Link className={fr.cx("fr-link")} to={ticketPath(ticket.id)}>
            {ticket.title}
          </Link>
          <span className={fr.cx("fr-text--xs")} style={{ display: "block" }}>
            {ticketKindLabels[ticket.kind]}
            {ticket.cveId ? ` — ${ticket.cveId}` : ""}
          </span>
        </span>,
        ticketWhere(ticket),
        <TicketUrgencyBadge key="urgency" ticket={ticket} />,
        formatDate(ticket.dueOn),
        <TicketStatusBadge key="status" ticket={ticket} />,
      ])}
    />
  );
}
