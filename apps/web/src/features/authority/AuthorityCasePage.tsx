import { fr } from "@codegouvfr/react-dsfr";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import { Link, useParams } from "react-router";
import { isApiError } from "../../app/api.ts";
import { useCurrentUser } from "../../app/auth.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { regionLabel, useRegions } from "../../app/regions.ts";
import { formatDateTime, Loading, QueryError } from "../../app/ui.tsx";
import {
  AUTHORITY_CASES_LABEL,
  AUTHORITY_CASES_PATH,
  bodyName,
  CaseStatusBadge,
  structureTypeLabel,
  TlpBadge,
  useAuthorityCase,
} from "./api.tsx";

/** /autorite/alertes/:id — every message the authority's body received about a case, and its status. */
export function AuthorityCasePage() {
  const { id = "" } = useParams();
  const user = useCurrentUser();
  const view = useAuthorityCase(id);
  const regions = useRegions();
  const notFound = isApiError(view.error, "NOT_FOUND", "VALIDATION_FAILED");
  usePageTitle(
    view.data
      ? `Cas ${view.data.reference} — ${AUTHORITY_CASES_LABEL}`
      : view.error
        ? notFound
          ? "Cas introuvable"
          : "Cas indisponible"
        : "Cas signalé",
  );
  const breadcrumb = (
    <Breadcrumb
      currentPageLabel={view.data ? `Cas ${view.data.reference}` : "Cas signalé"}
      homeLinkProps={{ to: "/" }}
      segments={[{ label: AUTHORITY_CASES_LABEL, linkProps: { to: AUTHORITY_CASES_PATH } }]}
    />
  );

  if (view.isPending) {
    return (
      <>
        {breadcrumb}
        <h1>Cas signalé</h1>
        <Loading />
      </>
    );
  }
  if (view.error) {
    return (
      <>
        {breadcrumb}
        <h1>{notFound ? "Cas introuvable" : "Cas indisponible"}</h1>
        {notFound ? (
          <p>
            Ce cas n'existe pas, ou le CERT Santé ne l'a pas signalé à {bodyName(user)}. Vous ne voyez que les
            cas au sujet desquels votre organisme a reçu une alerte.
          </p>
        ) : (
          <QueryError error={view.error} />
        )}
        <p>
          <Link
            className={fr.cx("fr-link", "fr-icon-arrow-left-line", "fr-link--icon-left")}
            to={AUTHORITY_CASES_PATH}
          >
            Retour aux alertes reçues
          </Link>
        </p>
      </>
    );
  }

  const c = view.data;
  return (
    <>
      {breadcrumb}
      <h1>Cas {c.reference}</h1>
      <p className={fr.cx("fr-text--lead")}>
        Ce que le CERT Santé a transmis à {bodyName(user)} au sujet de ce cas, tel qu'envoyé, et son état
        actuel.
      </p>
      <section aria-labelledby="etat-du-cas" className={fr.cx("fr-mb-6w")}>
        <h2 id="etat-du-cas" className={fr.cx("fr-h4")}>
          État du cas
        </h2>
        <dl className="vigie-dl">
          <dt>Statut actuel</dt>
          <dd>
            <CaseStatusBadge status={c.status} />
          </dd>
          <dt>Type de structure</dt>
          <dd>{structureTypeLabel(c.structureType)}</dd>
          <dt>Région</dt>
          <dd>{regionLabel(regions.data, c.regionCode)}</dd>
          <dt>Premier envoi</dt>
          <dd>{formatDateTime(c.firstSentAt)}</dd>
          <dt>Dernier envoi</dt>
          <dd>{formatDateTime(c.lastSentAt)}</dd>
          <dt>Messages reçus</dt>
          <dd>{c.notifications.toLocaleString("fr-FR")}</dd>
        </dl>
      </section>
      <section aria-labelledby="messages-recus" className={fr.cx("fr-mb-6w")}>
        <h2 id="messages-recus" className={fr.cx("fr-h4")}>
          Messages reçus ({c.sent.length.toLocaleString("fr-FR")})
        </h2>
        <p className={fr.cx("fr-text--sm")}>Du plus ancien au plus récent.</p>
        <ol className={fr.cx("fr-raw-list")}>
          {c.sent.map((message) => (
            <li key={message.id}>
              <article className="vigie-message" aria-labelledby={`message-${message.id}`}>
                <h3 id={`message-${message.id}`} className={fr.cx("fr-h6", "fr-mb-1w")}>
                  {message.subject}
                </h3>
                <p className={`vigie-badges ${fr.cx("fr-text--sm", "fr-mb-2w")}`}>
                  <span>Reçu le {formatDateTime(message.sentAt)}</span>
                  <TlpBadge value={message.tlp} />
                </p>
                <div className="vigie-multiline">{message.body}</div>
              </article>
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
