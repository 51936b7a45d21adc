import Badge from "@codegouvfr/react-dsfr/Badge";
import { tlp } from "@vigie/contracts";
import { type EventStatus, eventStatusLabels } from "./api.ts";

type Tlp = (typeof tlp.values)[number];

const tlpSeverity: Record<Tlp, "info" | "success" | "warning" | "error"> = {
  clear: "info",
  green: "success",
  amber: "warning",
  amber_strict: "warning",
  red: "error",
};

/** The short TLP marking: « TLP:AMBER ». */
export function tlpShort(value: Tlp): string {
  return tlp.labels[value].split(" — ")[0] ?? value;
}

/** The TLP marking as a badge. */
export function EventTlpBadge({ value }: { value: Tlp }) {
  return (
    <Badge as="span" small noIcon severity={tlpSeverity[value]}>
      {tlpShort(value)}
    </Badge>
  );
}

/** Open or closed. */
export function EventStatusBadge({ status }: { status: EventStatus }) {
  return (
    <Badge as="span" small severity={status === "open" ? "new" : undefined}>
      {eventStatusLabels[status]}
    </Badge>
  );
}
