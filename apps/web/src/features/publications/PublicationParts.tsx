import { fr } from "@codegouvfr/react-dsfr";
import Badge from "@codegouvfr/react-dsfr/Badge";
import {
  exploitationStatusLabels,
  type PublicationProduct,
  type PublishableTlp,
  publicationKindLabels,
  publicationTlpMeanings,
} from "@vigie/contracts";
import { Link } from "react-router";
import { Markdown } from "../../app/markdown.tsx";
import { formatDate } from "../../app/ui.tsx";
import { PUBLIC_PATH, type PublicationData } from "./api.ts";
import "./publications.css";

const tlpSeverity = { clear: undefined, green: "success", amber: "warning" } as const;

/** The TLP marking as a DSFR badge. */
export function TlpBadge({ tlp }: { tlp: PublishableTlp }) {
  const severity = tlpSeverity[tlp];
  return (
    <Badge small noIcon {...(severity ? { severity } : {})} className={`vigie-tlp vigie-tlp--${tlp}`}>
      {publicationTlpMeanings[tlp].marking}
    </Badge>
  );
}

/** The TLP marking with what it means for the reader, in French. */
export function TlpNotice({ tlp }: { tlp: PublishableTlp }) {
  const { marking, meaning } = publicationTlpMeanings[tlp];
  return (
    <div className={`vigie-tlp-notice vigie-tlp-notice--${tlp} ${fr.cx("fr-mb-3w")}`}>
      <p className={fr.cx("fr-mb-0")}>
        <TlpBadge tlp={tlp} /> <strong>Diffusion {marking}</strong> — {meaning}
      </p>
    </div>
  );
}

/** Kind and exploitation badges of an item. */
export function PublicationBadges({
  kind,
  exploitation,
  tlp,
}: {
  kind: PublicationData["kind"];
  exploitation: PublicationData["exploitation"];
  tlp: PublishableTlp;
}) {
  return (
    <ul className={fr.cx("fr-badges-group")}>
      <li>
        <Badge small noIcon severity="info">
          {publicationKindLabels[kind]}
        </Badge>
      </li>
      <li>
        <TlpBadge tlp={tlp} />
      </li>
      {exploitation === "actively_exploited" ? (
        <li>
          <Badge small noIcon severity="error">
            {exploitationStatusLabels[exploitation]}
          </Badge>
        </li>
      ) : null}
    </ul>
  );
}

/** What the content sections need (a published item, or the form's values for the preview). */
export interface PublicationContentData {
  kind: PublicationData["kind"];
  summary: string;
  risk: string;
  products: PublicationProduct[];
  cveIds: string[];
  exploitation: PublicationData["exploitation"];
  actions: string;
  referenceUrls: string[];
  body: string;
}

/**
 * The sections of a publication: summary, risk, products, CVEs, exploitation, actions, body and
 * references; headings start at `level` (2 on the page, 3 in the form's preview).
 */
export function PublicationContent({ data, level = 2 }: { data: PublicationContentData; level?: 2 | 3 }) {
  const H = level === 2 ? "h2" : "h3";
  const inner = (level + 1) as 3 | 4;
  return (
    <div className="vigie-publication">
      {data.summary.trim() ? (
        <section aria-label="Résumé" className="vigie-publication__summary">
          <Markdown source={data.summary} headingLevel={inner} />
        </section>
      ) : null}
      {data.risk.trim() ? (
        <section>
          <H>Risque</H>
          <Markdown source={data.risk} headingLevel={inner} />
        </section>
      ) : null}
      {data.products.length > 0 ? (
        <section>
          <H>Produits et versions concernés</H>
          <div className={fr.cx("fr-table", "fr-table--no-caption")}>
            <table>
              <caption>Produits et versions concernés</caption>
              <thead>
                <tr>
                  <th scope="col">Éditeur</th>
                  <th scope="col">Produit</th>
                  <th scope="col">Versions concernées</th>
                </tr>
              </thead>
              <tbody>
                {data.products.map((p, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows have no other identity
                  <tr key={i}>
                    <td>{p.vendor}</td>
                    <td>{p.product}</td>
                    <td>{p.versions || "Non précisées"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
      {data.cveIds.length > 0 || data.kind === "alert" ? (
        <section>
          <H>Vulnérabilités et exploitation</H>
          <p>
            <strong>Exploitation : </strong>
            {exploitationStatusLabels[data.exploitation]}
          </p>
          {data.cveIds.length > 0 ? (
            <ul>
              {data.cveIds.map((cve) => (
                <li key={cve}>
                  <span lang="en">{cve}</span> —{" "}
                  <Link to={`${PUBLIC_PATH}?cve=${encodeURIComponent(cve)}`}>
                    publications sur <span lang="en">{cve}</span>
                  </Link>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
      {data.actions.trim() ? (
        <section>
          <H>Actions recommandées</H>
          <Markdown source={data.actions} headingLevel={inner} />
        </section>
      ) : null}
      {data.body.trim() ? (
        <section>
          <H>{data.kind === "alert" ? "Détails" : "Contenu"}</H>
          <Markdown source={data.body} headingLevel={inner} />
        </section>
      ) : null}
      {data.referenceUrls.length > 0 ? (
        <section>
          <H>Références</H>
          <ul>
            {data.referenceUrls.map((url) => (
              <li key={url}>
                <a href={url} target="_blank" rel="noopener noreferrer" title={`${url} — nouvelle fenêtre`}>
                  {url}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

/** The dated history of the published revisions. */
export function PublicationHistory({
  revisions,
  level = 2,
}: {
  revisions: PublicationData["revisions"];
  level?: 2 | 3;
}) {
  const H = level === 2 ? "h2" : "h3";
  if (revisions.length === 0) return null;
  return (
    <section>
      <H id="historique">Historique des publications</H>
      <ol reversed className="vigie-publication-history">
        {revisions.map((r) => (
          <li key={r.revision}>
            <strong>
              Révision {r.revision} — <time dateTime={r.publishedAt}>{formatDate(r.publishedAt)}</time>
            </strong>{" "}
            : {r.changeNote}
            {r.publishedBy ? <> (par {r.publishedBy})</> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
