import { fr } from "@codegouvfr/react-dsfr";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Button from "@codegouvfr/react-dsfr/Button";
import Input from "@codegouvfr/react-dsfr/Input";
import Pagination from "@codegouvfr/react-dsfr/Pagination";
import Select from "@codegouvfr/react-dsfr/Select";
import Table from "@codegouvfr/react-dsfr/Table";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import {
  publicationKindLabels,
  publicationKinds,
  publicationStatuses,
  publicationStatusLabels,
} from "@vigie/contracts";
import { type FormEvent, useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api } from "../../app/api.ts";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, pageCountOf, pageHref, QueryError } from "../../app/ui.tsx";
import { CERT_PATH, PUBLIC_PATH, type PublicationPageData, publicationKeys } from "./api.ts";
import { TlpBadge } from "./PublicationParts.tsx";

const statusSeverity = { draft: "new", published: "success", withdrawn: "warning" } as const;
const PAGE_SIZE = 25;

/** /cert/publications — every publication for the CERT's writers, drafts and withdrawn ones too. */
export function CertPublicationsPage() {
  usePageTitle("Rédaction des publications");
  const [params, setParams] = useSearchParams();
  const applied = {
    q: params.get("q") ?? "",
    status: params.get("etat") ?? "",
    kind: params.get("nature") ?? "",
  };
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  const [draft, setDraft] = useState(applied);
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the URL (back/forward)
  useEffect(() => setDraft(applied), [applied.q, applied.status, applied.kind]);
  const query = { ...applied, page: String(page), pageSize: String(PAGE_SIZE) };
  const list = useQuery({
    queryKey: publicationKeys.certList(query),
    queryFn: ({ signal }) => api.get<PublicationPageData>("/api/cert/publications", query, signal),
    placeholderData: keepPreviousData,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draft.q.trim()) next.set("q", draft.q.trim());
    if (draft.status) next.set("etat", draft.status);
    if (draft.kind) next.set("nature", draft.kind);
    setParams(next);
  };
  const pageLink = (n: number) => ({ to: pageHref(CERT_PATH, params, n) });
  const total = list.data?.total ?? 0;
  const pageCount = pageCountOf(list.data);

  return (
    <>
      <h1>Rédaction des publications</h1>
      <p>
        Alertes, bulletins, fiches réflexes et pages de bonnes pratiques du CERT. Un brouillon n'est visible
        que du CERT ; un responsable le publie, puis publie chaque modification comme une nouvelle révision.
        Voir les <Link to={PUBLIC_PATH}>publications en ligne</Link>.
      </p>
      <p>
        <Link
          className={fr.cx("fr-btn", "fr-icon-add-line", "fr-btn--icon-left")}
          to={`${CERT_PATH}/nouvelle`}
        >
          Rédiger une publication
        </Link>
      </p>
      <search aria-label="Rechercher une publication en rédaction">
        <form onSubmit={submit} className={fr.cx("fr-mb-4w")}>
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Input
                label="Mots recherchés"
                hintText="Dans la référence, le titre, le résumé et le contenu."
                nativeInputProps={{
                  id: "cert-publications-q",
                  type: "search",
                  value: draft.q,
                  onChange: (e) => setDraft({ ...draft, q: e.target.value }),
                }}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
              <Select
                label="État"
                nativeSelectProps={{
                  id: "cert-publications-status",
                  value: draft.status,
                  onChange: (e) => setDraft({ ...draft, status: e.target.value }),
                }}
              >
                <option value="">Tous</option>
                {publicationStatuses.map((s) => (
                  <option key={s} value={s}>
                    {publicationStatusLabels[s]}
                  </option>
                ))}
              </Select>
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
              <Select
                label="Nature"
                nativeSelectProps={{
                  id: "cert-publications-kind",
                  value: draft.kind,
                  onChange: (e) => setDraft({ ...draft, kind: e.target.value }),
                }}
              >
                <option value="">Toutes</option>
                {publicationKinds.map((k) => (
                  <option key={k} value={k}>
                    {publicationKindLabels[k]}
                  </option>
                ))}
              </Select>
            </div>
          </div>
          <Button type="submit" iconId="fr-icon-search-line">
            Rechercher
          </Button>
        </form>
      </search>
      <p role="status" aria-live="polite" className={fr.cx("fr-text--bold")}>
        {list.data
          ? total === 0
            ? "Aucune publication."
            : `${total} publication${total > 1 ? "s" : ""}${pageCount > 1 ? ` — page ${page} sur ${pageCount}` : ""}`
          : ""}
      </p>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <QueryError error={list.error} />
      ) : total > 0 ? (
        <>
          <Table
            caption="Publications"
            noCaption
            headers={[
              "Titre",
              "Référence",
              "Nature",
              "État",
              "Diffusion",
              "Révision",
              "Dernière publication",
            ]}
            data={list.data.items.map((item) => [
              <Link key="title" to={`${CERT_PATH}/${item.id}/modifier`}>
                {item.title}
              </Link>,
              item.reference ?? "—",
              publicationKindLabels[item.kind],
              <Badge key="status" small noIcon severity={statusSeverity[item.status]}>
                {publicationStatusLabels[item.status]}
              </Badge>,
              <TlpBadge key="tlp" tlp={item.tlp} />,
              item.revision > 0 ? String(item.revision) : "—",
              item.lastPublishedAt ? formatDateTime(item.lastPublishedAt) : "Jamais publiée",
            ])}
          />
          {pageCount > 1 ? (
            <Pagination count={pageCount} defaultPage={page} getPageLinkProps={pageLink} />
          ) : null}
        </>
      ) : null}
    </>
  );
}
