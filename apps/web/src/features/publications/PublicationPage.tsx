import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { ApiError, api } from "../../app/api.ts";
import { useCan, useCurrentUser } from "../../app/auth.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { formatDate, Loading, QueryError } from "../../app/ui.tsx";
import { CERT_PATH, PUBLIC_PATH, type PublicationData, publicationKeys } from "./api.ts";
import { PublicationBadges, PublicationContent, PublicationHistory, TlpNotice } from "./PublicationParts.tsx";
import "./publications.css";

/** /publications/:slug — one publication as published, with its TLP marking and its history. */
export function PublicationPage() {
  const { slug = "" } = useParams();
  const user = useCurrentUser();
  const canWrite = useCan("publications:write");
  const publication = useQuery({
    queryKey: [...publicationKeys.item(slug), user?.id ?? "anonyme"],
    queryFn: ({ signal }) =>
      api.get<PublicationData>(`/api/publications/${encodeURIComponent(slug)}`, undefined, signal),
    retry: (count, error) => !(error instanceof ApiError && error.code === "NOT_FOUND") && count < 2,
  });
  const data = publication.data;
  const missing = publication.error instanceof ApiError && publication.error.code === "NOT_FOUND";
  usePageTitle(data ? data.title : missing ? "Publication introuvable" : "Publication");
  const breadcrumb = (
    <Breadcrumb
      currentPageLabel={data?.reference ?? "Publication"}
      homeLinkProps={{ to: "/" }}
      segments={[{ label: "Alertes et publications", linkProps: { to: PUBLIC_PATH } }]}
    />
  );
  if (publication.isPending) {
    return (
      <>
        {breadcrumb}
        <Loading />
      </>
    );
  }
  if (!data) {
    return (
      <>
        {breadcrumb}
        <h1>{missing ? "Publication introuvable" : "Publication"}</h1>
        {missing ? (
          <>
            <p>Cette publication n'existe pas ou n'est pas accessible.</p>
            {user ? null : (
              <p>
                Certaines publications sont réservées aux structures de santé :{" "}
                <Link to="/connexion" state={{ from: `${PUBLIC_PATH}/${slug}` }}>
                  connectez-vous
                </Link>{" "}
                pour les consulter.
              </p>
            )}
            <p>
              <Link className={fr.cx("fr-link")} to={PUBLIC_PATH}>
                Toutes les alertes et publications
              </Link>
            </p>
          </>
        ) : (
          <QueryError error={publication.error} />
        )}
      </>
    );
  }
  return (
    <>
      {breadcrumb}
      <PublicationBadges kind={data.kind} exploitation={data.exploitation} tlp={data.tlp} />
      <h1>{data.title}</h1>
      <p className={fr.cx("fr-text--sm")}>
        Référence <strong>{data.reference}</strong> — publiée le{" "}
        <time dateTime={data.firstPublishedAt ?? undefined}>{formatDate(data.firstPublishedAt)}</time>
        {data.revision > 1 ? (
          <>
            , mise à jour le{" "}
            <time dateTime={data.lastPublishedAt ?? undefined}>{formatDate(data.lastPublishedAt)}</time> (
            <a href="#historique">révision {data.revision}</a>)
          </>
        ) : null}
      </p>
      {data.status === "withdrawn" ? (
        <Alert
          severity="warning"
          className={fr.cx("fr-mb-3w")}
          title="Publication retirée"
          description={`Retirée le ${formatDate(data.withdrawnAt)} : ${data.withdrawalNote ?? ""} Seul le CERT la voit encore.`}
        />
      ) : null}
      <TlpNotice tlp={data.tlp} />
      <PublicationContent data={data} />
      <PublicationHistory revisions={data.revisions} />
      {canWrite ? (
        <p className={fr.cx("fr-mt-4w")}>
          <Link
            className={fr.cx("fr-btn", "fr-btn--secondary", "fr-icon-edit-line", "fr-btn--icon-left")}
            to={`${CERT_PATH}/${data.id}/modifier`}
          >
            Modifier ou réviser
          </Link>
        </p>
      ) : null}
    </>
  );
}
