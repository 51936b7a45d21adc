import Badge from "@codegouvfr/react-dsfr/Badge";
import {
  type ExposureAuditStatus,
  exposureAuditStatusLabels,
  type FindingChange,
  type FindingSeverity,
  findingChangeLabels,
  findingSeverityLabels,
  type PerimeterStatus,
  perimeterStatusLabels,
} from "@vigie/contracts";

type Severity = "success" | "warning" | "info" | "error" | "new";

const severityOf: Record<FindingSeverity, Severity | undefined> = {
  info: "info",
  low: undefined,
  medium: "warning",
  high: "error",
  critical: "error",
};

/** A finding's severity: the word says it, the colour only repeats it. */
export function SeverityBadge({ severity }: { severity: FindingSeverity }) {
  const s = severityOf[severity];
  return (
    <Badge small noIcon {...(s ? { severity: s } : {})}>
      {`Sévérité ${findingSeverityLabels[severity].toLowerCase()}`}
    </Badge>
  );
}

const auditStatusOf: Record<ExposureAuditStatus, Severity | undefined> = {
  scheduled: "info",
  running: "new",
  succeeded: "success",
  failed: "error",
  cancelled: undefined,
};

export function AuditStatusBadge({ status }: { status: ExposureAuditStatus }) {
  const s = auditStatusOf[status];
  return (
    <Badge small noIcon {...(s ? { severity: s } : {})}>
      {exposureAuditStatusLabels[status]}
    </Badge>
  );
}

const perimeterStatusOf: Record<PerimeterStatus, Severity | undefined> = {
  draft: undefined,
  submitted: "new",
  validated: "success",
  rejected: "error",
};

export function PerimeterStatusBadge({ status }: { status: PerimeterStatus }) {
  const s = perimeterStatusOf[status];
  return (
    <Badge noIcon {...(s ? { severity: s } : {})}>
      {perimeterStatusLabels[status]}
    </Badge>
  );
}

const changeOf: Record<FindingChange, Severity> = { new: "new", still_open: "warning", fixed: "success" };

export function ChangeBadge({ change }: { change: FindingChange }) {
  return (
    <Badge small noIcon severity={changeOf[change]}>
      {findingChangeLabels[change]}
    </Badge>
  );
}
