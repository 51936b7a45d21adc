import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Table from "@codegouvfr/react-dsfr/Table";
import {
  type AuditFindingView,
  type FindingSeverity,
  findingCategoryLabels,
  findingSeverities,
  findingSeverityLabels,
} from "@vigie/contracts";
import { Link, useParams } from "react-router";
import { usePageTitle } from "../../app/page.tsx";
import { formatDate, formatDateTime, Loading, QueryError } from "../../app/ui.tsx";
import { ticketPath } from "../watch/api.ts";
import { describeCounts } from "./AuditTable.tsx";
import {
  AUDITS_PATH,
  auditPath,
  CERT_AUDITS_PATH,
  type ExposureAuditDetail,
  reportHtmlHref,
  reportPdfHref,
  useAudit,
} from "./api.ts";
import { AuditStatusBadge, ChangeBadge, SeverityBadge } from "./badges.tsx";

/** Most severe first. */
const severityOrder: FindingSeverity[] = [...findingSeverities].reverse();

function where(f: AuditFindingView): string {
  const place = [f.host ?? f.domain, f.ip && f.ip !== (f.host ?? f.domain) ? f.ip : null].filter(Boolean);
  const text = place.join(" — ");
  return f.port !== null ? `${text || "—"}, port ${f.port}` : text || "—";
}

/** /audits/:id and /cert/audits/:id — an audit's report. */
export function AuditReportPage({ cert = false }: { cert?: boolean }) {
  const { id = "" } = useParams();
  const audit = useAudit(id);
  const data = audit.data;
  const title = data ? `Rapport d'audit — ${data.structureName}` : "Rapport d'audit";
  usePageTitle(title);
  const listPath = cert ? CERT_AUDITS_PATH : AUDITS_PATH;
  return (
    <>
      <Breadcrumb
        currentPageLabel="Rapport d'audit"
        homeLinkProps={{ to: "/" }}
        segments={[
          {
            label: cert ? "Audits d'exposition des structures" : "Audits d'exposition",
            linkProps: { to: listPath },
          },
        ]}
      />
      <h1>{title}</h1>
      {audit.isPending ? (
        <Loading />
      ) : audit.error ? (
        <QueryError error={audit.error} />
      ) : data ? (
        <Report audit={data} cert={cert} />
      ) : null}
    </>
  );
}

function Report({ audit, cert }: { audit: ExposureAuditDetail; cert: boolean }) {
  const counts = audit.counts;
  return (
    <>
      <p>
        <AuditStatusBadge status={audit.status} />{" "}
        {audit.finishedAt
          ? `Audit mené du ${formatDateTime(audit.startedAt)} au ${formatDateTime(audit.finishedAt)}.`
          : audit.startedAt
            ? `Audit commencé le ${formatDateTime(audit.startedAt)}.`
            : `Audit prévu le ${formatDate(audit.scheduledFor)}.`}
      </p>
      {audit.authorisation ? (
        <p className={fr.cx("fr-text--sm")}>
          Mené dans le cadre de l'autorisation {audit.authorisation.reference} (valable jusqu'au{" "}
          {formatDate(audit.authorisation.validUntil)}).
          {audit.scanner
            ? ` Moteur : ${audit.scanner.engine === "nmap" ? "nmap" : "scanner intégré"}, ${audit.scanner.ports} ports analysés, agent « ${audit.scanner.userAgent} ».`
            : ""}
        </p>
      ) : null}
      {audit.notes.length ? (
        <div className={fr.cx("fr-text--sm")}>
          <p className={fr.cx("fr-mb-1v")}>Remarques sur l'analyse :</p>
          <ul>
            {audit.notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {audit.previousAuditId ? (
        <p className={fr.cx("fr-text--sm")}>
          <Link className={fr.cx("fr-link")} to={auditPath(audit.previousAuditId, cert)}>
            Rapport de l'audit précédent
          </Link>
        </p>
      ) : null}
      {audit.status === "failed" ? (
        <Alert
          severity="error"
          title="L'audit a échoué"
          description={audit.error ?? "Le CERT Santé a été prévenu et le relancera."}
          className={fr.cx("fr-mb-4w")}
        />
      ) : null}
      {audit.status === "scheduled" || audit.status === "running" ? (
        <p>Le rapport sera disponible à la fin de l'audit.</p>
      ) : null}
      {audit.status === "succeeded" ? (
        <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--icon-left")}>
          <li>
            <a
              className={fr.cx("fr-btn", "fr-btn--secondary", "fr-icon-download-line")}
              href={reportHtmlHref(audit.id)}
              download
            >
              Télécharger le rapport (HTML)
            </a>
          </li>
          <li>
            <a
              className={fr.cx("fr-btn", "fr-btn--secondary", "fr-icon-download-line")}
              href={reportPdfHref(audit.id)}
              download
            >
              Télécharger le rapport (PDF)
            </a>
          </li>
        </ul>
      ) : null}
      {counts ? (
        <section aria-labelledby="rapport-synthese">
          <h2 id="rapport-synthese">Synthèse</h2>
          <p className={fr.cx("fr-text--lead")}>
            {audit.findings.length} constat{audit.findings.length > 1 ? "s" : ""} : {describeCounts(counts)}.
          </p>
          <Table
            caption="Chiffres de l'audit"
            headers={["Indicateur", "Valeur"]}
            data={[
              ["Hôtes exposés", String(counts.hosts)],
              ["Ports ouverts", String(counts.openPorts)],
              ...severityOrder.map((s) => [
                `Constats de sévérité ${findingSeverityLabels[s].toLowerCase()}`,
                String(counts.bySeverity[s]),
              ]),
              ["Nouveaux depuis l'audit précédent", String(counts.new)],
              ["Toujours présents", String(counts.stillOpen)],
              ["Corrigés depuis l'audit précédent", String(counts.fixed)],
              ["Noms pointant hors du périmètre (non analysés)", String(counts.outOfPerimeter)],
            ]}
          />
        </section>
      ) : null}
      {audit.status === "succeeded" ? (
        <>
          <ExposureMap audit={audit} />
          <Findings findings={audit.findings} />
          <Changes audit={audit} />
        </>
      ) : null}
    </>
  );
}

function ExposureMap({ audit }: { audit: ExposureAuditDetail }) {
  const rows = audit.exposure.flatMap((host) =>
    host.services.length > 0
      ? host.services.map((s) => [
          host.name ?? "—",
          s.ip,
          `${s.port}/${s.transport}`,
          s.service ?? "inconnu",
          s.tls ? "Oui" : "Non",
          [s.product, s.version].filter(Boolean).join(" ") || "—",
          s.banner ?? "—",
        ])
      : host.ips.map((ip) => [host.name ?? "—", ip, "aucun port ouvert", "—", "—", "—", "—"]),
  );
  return (
    <section aria-labelledby="rapport-exposition">
      <h2 id="rapport-exposition">Carte d'exposition</h2>
      {rows.length > 0 ? (
        <Table
          caption="Hôtes, adresses et services ouverts trouvés depuis Internet"
          headers={["Hôte", "Adresse", "Port", "Service", "TLS", "Produit et version", "Bannière"]}
          data={rows}
        />
      ) : (
        <p>Aucun hôte exposé n'a été trouvé dans le périmètre.</p>
      )}
      {audit.outOfPerimeter.length > 0 ? (
        <Table
          caption="Noms de vos domaines pointant hors du périmètre autorisé (non analysés)"
          headers={["Nom", "Adresse"]}
          data={audit.outOfPerimeter.map((o) => [o.name, o.ip])}
        />
      ) : null}
    </section>
  );
}

function Findings({ findings }: { findings: AuditFindingView[] }) {
  return (
    <section aria-labelledby="rapport-constats">
      <h2 id="rapport-constats">Constats par sévérité</h2>
      {findings.length === 0 ? <p>Aucun constat : rien à corriger.</p> : null}
      {severityOrder.map((severity) => {
        const list = findings.filter((f) => f.severity === severity);
        if (list.length === 0) return null;
        return (
          <section key={severity} aria-labelledby={`constats-${severity}`}>
            <h3 id={`constats-${severity}`}>
              Sévérité {findingSeverityLabels[severity].toLowerCase()} ({list.length})
            </h3>
            {list.map((f) => (
              <FindingBlock key={f.findingKey} finding={f} />
            ))}
          </section>
        );
      })}
    </section>
  );
}

function FindingBlock({ finding }: { finding: AuditFindingView }) {
  return (
    <article
      className={fr.cx("fr-p-3w", "fr-mb-3w")}
      style={{ border: "1px solid var(--border-default-grey)" }}
    >
      <h4 className={fr.cx("fr-h6", "fr-mb-1w")}>{finding.title}</h4>
      <ul className={fr.cx("fr-badges-group", "fr-mb-1w")}>
        <li>
          <SeverityBadge severity={finding.severity} />
        </li>
        <li>
          <ChangeBadge change={finding.change} />
        </li>
      </ul>
      <dl className={fr.cx("fr-mb-0")}>
        <dt className={fr.cx("fr-text--bold")}>Catégorie</dt>
        <dd style={{ marginLeft: 0 }}>{findingCategoryLabels[finding.category]}</dd>
        <dt className={fr.cx("fr-text--bold")}>Où</dt>
        <dd style={{ marginLeft: 0 }}>{where(finding)}</dd>
        <dt className={fr.cx("fr-text--bold")}>Constat</dt>
        <dd style={{ marginLeft: 0, whiteSpace: "pre-wrap" }}>{finding.evidence}</dd>
        <dt className={fr.cx("fr-text--bold")}>Correction recommandée</dt>
        <dd style={{ marginLeft: 0, whiteSpace: "pre-wrap" }}>{finding.remediation}</dd>
      </dl>
      {finding.ticketId ? (
        <p className={fr.cx("fr-mt-1w", "fr-mb-0")}>
          <Link className={fr.cx("fr-link")} to={ticketPath(finding.ticketId)}>
            Ticket de veille<span className={fr.cx("fr-sr-only")}> : {finding.title}</span>
          </Link>
        </p>
      ) : null}
    </article>
  );
}

function Changes({ audit }: { audit: ExposureAuditDetail }) {
  const row = (f: AuditFindingView) => [f.title, <SeverityBadge key="s" severity={f.severity} />, where(f)];
  const added = audit.findings.filter((f) => f.change === "new");
  const still = audit.findings.filter((f) => f.change === "still_open");
  const headers = ["Constat", "Sévérité", "Où"];
  return (
    <section aria-labelledby="rapport-evolution">
      <h2 id="rapport-evolution">Ce qui a changé depuis l'audit précédent</h2>
      {!audit.previousAuditId ? (
        <p>C'est le premier audit de la structure : tous les constats sont nouveaux.</p>
      ) : null}
      {added.length > 0 ? (
        <Table caption={`Nouveaux constats (${added.length})`} headers={headers} data={added.map(row)} />
      ) : (
        <p>Aucun nouveau constat.</p>
      )}
      {still.length > 0 ? (
        <Table
          caption={`Constats toujours présents (${still.length})`}
          headers={headers}
          data={still.map(row)}
        />
      ) : audit.previousAuditId ? (
        <p>Aucun constat de l'audit précédent n'est toujours présent.</p>
      ) : null}
      {audit.fixed.length > 0 ? (
        <Table
          caption={`Constats corrigés (${audit.fixed.length})`}
          headers={headers}
          data={audit.fixed.map(row)}
        />
      ) : audit.previousAuditId ? (
        <p>Aucun constat de l'audit précédent n'a été corrigé.</p>
      ) : null}
    </section>
  );
}
