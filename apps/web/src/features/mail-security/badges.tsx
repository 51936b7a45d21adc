import Badge from "@codegouvfr/react-dsfr/Badge";
import { type MailControlStatus, mailControlStatusLabels } from "@vigie/contracts";
import type { FilteringCampaignView, MailSecurityTestView } from "./api.ts";

type Severity = "success" | "warning" | "info" | "error" | "new";

const controlSeverity: Record<MailControlStatus, Severity> = {
  pass: "success",
  warn: "warning",
  fail: "error",
  info: "info",
};

/** A control point's verdict: the word says it, the colour only repeats it. */
export function ControlBadge({ status }: { status: MailControlStatus }) {
  return (
    <Badge small noIcon severity={controlSeverity[status]}>
      {mailControlStatusLabels[status]}
    </Badge>
  );
}

const testStatus: Record<MailSecurityTestView["status"], [string, Severity]> = {
  running: ["En cours", "new"],
  succeeded: ["Terminé", "success"],
  failed: ["Échoué", "error"],
};

export function TestStatusBadge({ status }: { status: MailSecurityTestView["status"] }) {
  const [label, severity] = testStatus[status];
  return (
    <Badge small noIcon severity={severity}>
      {label}
    </Badge>
  );
}

const campaignStatus: Record<FilteringCampaignView["status"], [string, Severity]> = {
  sending: ["Envoi en cours", "new"],
  sent: ["Messages envoyés", "info"],
  failed: ["Envoi échoué", "error"],
  reported: ["Résultats indiqués", "success"],
};

export function CampaignStatusBadge({ status }: { status: FilteringCampaignView["status"] }) {
  const [label, severity] = campaignStatus[status];
  return (
    <Badge small noIcon severity={severity}>
      {label}
    </Badge>
  );
}
