import Badge from "@codegouvfr/react-dsfr/Badge";
import type { Clock } from "./api.ts";

export const clockStateLabels: Record<Clock["state"], string> = {
  pending: "À venir",
  due_soon: "Bientôt dû",
  overdue: "En retard",
  filed: "Déposé",
  filed_late: "Déposé en retard",
  cancelled: "Annulé",
};
const severity: Record<Clock["state"], "info" | "warning" | "error" | "success" | undefined> = {
  pending: "info",
  due_soon: "warning",
  overdue: "error",
  filed: "success",
  filed_late: "warning",
  cancelled: undefined,
};

/** The state of a regulatory clock as a badge. */
export function ClockStateBadge({ state }: { state: Clock["state"] }) {
  return (
    <Badge as="span" small severity={severity[state]} noIcon={!severity[state]}>
      {clockStateLabels[state]}
    </Badge>
  );
}

/** Still to be filed. */
export const isOpen = (clock: Clock) =>
  clock.state === "pending" || clock.state === "due_soon" || clock.state === "overdue";
