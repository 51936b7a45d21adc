import { fr } from "@codegouvfr/react-dsfr";
import Pagination from "@codegouvfr/react-dsfr/Pagination";
import Table from "@codegouvfr/react-dsfr/Table";
import type { AuditSummaryCounts } from "@vigie/contracts";
import { Link } from "react-router";
import { formatDate, formatDateTime, pageCountOf } from "../../app/ui.tsx";
import { type AuditListPage, auditPath, type ExposureAuditSummary } from "./api.ts";
import { AuditStatusBadge } from "./badges.tsx";

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/** « 1 critique, 2 élevées, 0 moyenne… » in words. */
export function describeCounts(counts: AuditSummaryCounts): string {
  const s = counts.bySeverity;
  return [
    plural(s.critical, "critique", "critiques"),
    plural(s.high, "élevée", "élevées"),
    plural(s.medium, "moyenne", "moyennes"),
    plural(s.low, "faible", "faibles"),
    plural(s.info, "information", "informations"),
  ].join(", ");
}

function when(audit: ExposureAuditSummary): string {
  if (audit.finishedAt) return `Terminé le ${formatDateTime(audit.finishedAt)}`;
  if (audit.startedAt) return `Commencé le ${formatDateTime(audit.startedAt)}`;
  return `Prévu le ${formatDate(audit.scheduledFor)}`;
}

/** The audits as a table: when, status, findings by severity, changes, and the report's link. */
export function AuditTable(props: {
  caption: string;
  audits: ExposureAuditSummary[];
  cert?: boolean;
  showStructure?: boolean;
}) {
  const { caption, audits, cert = false, showStructure = false } = props;
  return (
    <Table
      caption={caption}
      headers={[
        ...(showStructure ? ["Structure"] : []),
        "Date",
        "Statut",
        "Constats par sévérité",
        "Évolution",
        "Rapport",
      ]}
      data={audits.map((a) => [
        ...(showStructure ? [a.structureName] : []),
        when(a),
        <AuditStatusBadge key="status" status={a.status} />,
        a.counts ? describeCounts(a.counts) : a.status === "failed" ? (a.error ?? "Échec") : "—",
        a.counts
          ? `${plural(a.counts.new, "nouveau", "nouveaux")}, ${plural(a.counts.fixed, "corrigé", "corrigés")}, ${a.counts.stillOpen} toujours présent${a.counts.stillOpen > 1 ? "s" : ""}`
          : "—",
        <Link key="report" className={fr.cx("fr-link")} to={auditPath(a.id, cert)}>
          {a.status === "succeeded" ? "Lire le rapport" : "Voir l'audit"}
          <span className={fr.cx("fr-sr-only")}>
            {" "}
            {showStructure ? `de ${a.structureName} ` : ""}
            {when(a).toLowerCase()}
          </span>
        </Link>,
      ])}
    />
  );
}

/** Page links under a list (the address keeps the other filters). */
export function AuditPagination(props: {
  data: AuditListPage | undefined;
  page: number;
  href: (n: number) => string;
}) {
  const { data, page, href } = props;
  const count = pageCountOf(data);
  if (count <= 1) return null;
  return (
    <Pagination
      count={count}
      defaultPage={page}
      getPageLinkProps={(n) => ({ to: href(n) })}
      showFirstLast
      className={fr.cx("fr-mt-2w")}
    />
  );
}
