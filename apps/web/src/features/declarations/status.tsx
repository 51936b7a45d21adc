import Badge from "@codegouvfr/react-dsfr/Badge";
import { certStatusLabels, type DeclarationStatus, declarationStatusLabels } from "@vigie/contracts";
import type { z } from "zod";

export type Status = z.infer<typeof DeclarationStatus>;

export { certStatusLabels };

const severity: Record<Status, "new" | "info" | "warning" | "success" | undefined> = {
  new: "new",
  triage: "info",
  in_progress: "info",
  waiting_declarant: "warning",
  resolved: "success",
  closed: undefined,
};

/** A status as a badge; its text says it all (colour is only a reminder). */
export function StatusBadge({
  status,
  audience = "declarant",
}: {
  status: Status;
  audience?: "declarant" | "cert";
}) {
  const labels = audience === "cert" ? certStatusLabels : declarationStatusLabels;
  const level = severity[status];
  return (
    <Badge as="span" small severity={level} noIcon={!level}>
      {labels[status] ?? status}
    </Badge>
  );
}

/** The badge telling a question from the CERT awaits an answer. */
export function AwaitingBadge({ audience = "declarant" }: { audience?: "declarant" | "cert" }) {
  return (
    <Badge as="span" small severity="warning">
      {audience === "cert" ? "Question en attente de réponse" : "Question du CERT en attente"}
    </Badge>
  );
}
