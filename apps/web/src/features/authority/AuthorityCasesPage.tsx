import { fr } from "@codegouvfr/react-dsfr";
import Notice from "@codegouvfr/react-dsfr/Notice";
import Pagination from "@codegouvfr/react-dsfr/Pagination";
import Table from "@codegouvfr/react-dsfr/Table";
import { Link, useSearchParams } from "react-router";
import { useCurrentUser } from "../../app/auth.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { regionLabel, useRegions } from "../../app/regions.ts";
import { formatDateTime, Loading, pageCountOf, QueryError } from "../../app/ui.tsx";
import {
  AUTHORITY_CASES_LABEL,
  AUTHORITY_CASES_PATH,
  type AuthorityCasePageData,
  authorityCasePath,
  bodyName,
  CaseStatusBadge,
  structureTypeLabel,
  useAuthorityCases,
} from "./api.tsx";

/** "3 cas signalés — page 1 sur 2", announced politely. */
function CaseCount({ data }: { data: AuthorityCasePageData | undefined }) {
  const pages = pageCountOf(data);
  return (
    <p role="status" aria-live="polite" className={fr.cx("fr-text--bold")}>
      {data
        ? data.total === 0
          ? "Aucun cas ne vous a été signalé."
          : `${data.total.toLocaleString("fr-FR")} cas signalé${data.total > 1 ? "s" : ""}${pages > 1 ? ` — page ${data.page} sur ${pages}` : ""}`
        : ""}
    </p>
  );
}

/** /autorite/alertes — the cases the CERT alerted the authority's body about, most recent first. */
export function AuthorityCasesPage() {
  const user = useCurrentUser();
  const [params] = useSearchParams();
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  usePageTitle(page > 1 ? `${AUTHORITY_CASES_LABEL} — page ${page}` : AUTHORITY_CASES_LABEL);
  const query = useAuthorityCases(page);
  const regions = useRegions();
  const data = query.data;
  const pages = pageCountOf(data);
  const pageLink = (n: number) => ({
    to: n > 1 ? `${AUTHORITY_CASES_PATH}?page=${n}` : AUTHORITY_CASES_PATH,
  });

  return (
    <>
      <h1>{AUTHORITY_CASES_LABEL}</h1>
      <p className={fr.cx("fr-text--lead")}>
        Les cas que le CERT Santé a signalés à {bodyName(user)}, les plus récemment signalés d'abord.
      </p>
      <Notice
        className={fr.cx("fr-mb-4w")}
        title="Vous voyez ce qui a été transmis à votre organisme et l'état actuel de chaque cas, jamais la déclaration elle-même."
      />
      <CaseCount data={data} />
      {query.isPending ? (
        <Loading />
      ) : query.error ? (
        <QueryError error={query.error} />
      ) : query.data.items.length > 0 ? (
        <>
          <Table
            caption={`Cas signalés à ${bodyName(user)}${pages > 1 ? ` — page ${query.data.page} sur ${pages}` : ""}`}
            noCaption
            fixed={false}
            headers={[
              "Référence",
              "Type de structure",
              "Région",
              "Premier envoi",
              "Dernier envoi",
              "Messages reçus",
              "Statut actuel",
            ]}
            data={query.data.items.map((c) => [
              <Link key="ref" className="vigie-nowrap" to={authorityCasePath(c.incidentId)}>
                {c.reference}
              </Link>,
              structureTypeLabel(c.structureType),
              regionLabel(regions.data, c.regionCode),
              formatDateTime(c.firstSentAt),
              formatDateTime(c.lastSentAt),
              c.notifications.toLocaleString("fr-FR"),
              <CaseStatusBadge key="status" status={c.status} />,
            ])}
          />
          {pages > 1 ? (
            <Pagination count={pages} defaultPage={page} getPageLinkProps={pageLink} showFirstLast />
          ) : null}
        </>
      ) : (
        <p>
          Quand le CERT Santé vous adressera une alerte au sujet d'un incident, le cas apparaîtra ici avec les
          messages reçus.
        </p>
      )}
    </>
  );
}
