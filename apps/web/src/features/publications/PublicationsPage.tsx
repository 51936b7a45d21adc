import { fr } from "@codegouvfr/react-dsfr";
import Button from "@codegouvfr/react-dsfr/Button";
import Input from "@codegouvfr/react-dsfr/Input";
import Pagination from "@codegouvfr/react-dsfr/Pagination";
import Select from "@codegouvfr/react-dsfr/Select";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { publicationKindLabels, publicationKinds, publicationTlpMeanings } from "@vigie/contracts";
import { type FormEvent, useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api } from "../../app/api.ts";
import { useCan, useCurrentUser } from "../../app/auth.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { formatDate, Loading, pageCountOf, pageHref, QueryError } from "../../app/ui.tsx";
import {
  CERT_PATH,
  FEED_LINKS,
  PUBLIC_PATH,
  type PublicationItem,
  type PublicationPageData,
  publicationKeys,
} from "./api.ts";
import { PublicationBadges } from "./PublicationParts.tsx";
import "./publications.css";

interface Filters {
  q: string;
  kind: string;
  product: string;
  cve: string;
  year: string;
}

const PAGE_SIZE = 20;
const FIRST_YEAR = 2020;

/**
 * /publications — the CERT's alerts and publications: TLP:CLEAR for everyone, TLP:GREEN and
 * TLP:AMBER too once signed in; search, filters kept in the address, pages, feeds.
 */
export function PublicationsPage() {
  usePageTitle("Alertes et publications");
  const user = useCurrentUser();
  const canWrite = useCan("publications:write");
  const [params, setParams] = useSearchParams();
  const applied: Filters = {
    q: params.get("q") ?? "",
    kind: params.get("nature") ?? "",
    product: params.get("produit") ?? "",
    cve: params.get("cve") ?? "",
    year: params.get("annee") ?? "",
  };
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  const [draft, setDraft] = useState<Filters>(applied);
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the URL (back/forward)
  useEffect(() => setDraft(applied), [applied.q, applied.kind, applied.product, applied.cve, applied.year]);

  const query = {
    q: applied.q,
    kind: applied.kind,
    product: applied.product,
    cve: applied.cve,
    year: applied.year,
    page: String(page),
    pageSize: String(PAGE_SIZE),
  };
  const list = useQuery({
    // The session is part of the key: signing in or out shows other items.
    queryKey: [...publicationKeys.list(query), user?.id ?? "anonyme"],
    queryFn: ({ signal }) => api.get<PublicationPageData>("/api/publications", query, signal),
    placeholderData: keepPreviousData,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draft.q.trim()) next.set("q", draft.q.trim());
    if (draft.kind) next.set("nature", draft.kind);
    if (draft.product.trim()) next.set("produit", draft.product.trim());
    if (draft.cve.trim()) next.set("cve", draft.cve.trim().toUpperCase());
    if (draft.year) next.set("annee", draft.year);
    setParams(next);
  };
  const pageLink = (n: number) => ({ to: pageHref(PUBLIC_PATH, params, n) });
  const filtered = Boolean(applied.q || applied.kind || applied.product || applied.cve || applied.year);
  const total = list.data?.total ?? 0;
  const pageCount = pageCountOf(list.data);
  const years: number[] = [];
  for (let y = new Date().getFullYear(); y >= FIRST_YEAR; y--) years.push(y);

  return (
    <>
      <h1>Alertes et publications</h1>
      <p>
        Les alertes de sécurité, bulletins, fiches réflexes et bonnes pratiques publiés par le CERT Santé pour
        les structures de santé et médico-sociales.
      </p>
      {user ? (
        <p>
          Connecté, vous voyez aussi les publications réservées aux structures, marquées{" "}
          <strong>{publicationTlpMeanings.green.marking}</strong> ou{" "}
          <strong>{publicationTlpMeanings.amber.marking}</strong> : respectez leurs règles de diffusion.
        </p>
      ) : (
        <p>
          Les publications réservées aux structures de santé ({publicationTlpMeanings.green.marking},{" "}
          {publicationTlpMeanings.amber.marking}) s'affichent après{" "}
          <Link to="/connexion" state={{ from: PUBLIC_PATH }}>
            connexion
          </Link>
          .
        </p>
      )}
      <p>
        S'abonner aux publications publiques (TLP:CLEAR) :{" "}
        <a href={FEED_LINKS.rss} type="application/rss+xml">
          flux RSS
        </a>{" "}
        ou{" "}
        <a href={FEED_LINKS.atom} type="application/atom+xml">
          flux Atom
        </a>
        .
      </p>
      {canWrite ? (
        <p>
          <Link className={fr.cx("fr-link", "fr-icon-edit-line", "fr-link--icon-left")} to={CERT_PATH}>
            Rédaction des publications (brouillons compris)
          </Link>
        </p>
      ) : null}
      <search aria-label="Rechercher une publication">
        <form onSubmit={submit} className={fr.cx("fr-mb-4w")}>
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Input
                label="Mots recherchés"
                hintText="Dans le titre, le résumé, le contenu et les produits ; accents indifférents."
                nativeInputProps={{
                  id: "publications-q",
                  type: "search",
                  value: draft.q,
                  onChange: (e) => setDraft({ ...draft, q: e.target.value }),
                }}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
              <Select
                label="Nature"
                nativeSelectProps={{
                  id: "publications-kind",
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
            <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
              <Select
                label="Année"
                hint="De première publication."
                nativeSelectProps={{
                  id: "publications-year",
                  value: draft.year,
                  onChange: (e) => setDraft({ ...draft, year: e.target.value }),
                }}
              >
                <option value="">Toutes</option>
                {years.map((y) => (
                  <option key={y} value={String(y)}>
                    {y}
                  </option>
                ))}
              </Select>
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Input
                label="Produit"
                hintText="Éditeur ou produit, par exemple Fortinet ou NetScaler."
                nativeInputProps={{
                  id: "publications-product",
                  value: draft.product,
                  onChange: (e) => setDraft({ ...draft, product: e.target.value }),
                }}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Input
                label="Identifiant CVE"
                hintText="Format CVE-AAAA-NNNN, par exemple CVE-2023-4966."
                state={list.error && applied.cve ? "error" : "default"}
                stateRelatedMessage={
                  list.error && applied.cve
                    ? "Identifiant CVE invalide : format attendu CVE-AAAA-NNNN."
                    : undefined
                }
                nativeInputProps={{
                  id: "publications-cve",
                  value: draft.cve,
                  autoComplete: "off",
                  spellCheck: false,
                  onChange: (e) => setDraft({ ...draft, cve: e.target.value }),
                }}
              />
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
            ? filtered
              ? "Aucune publication ne correspond à votre recherche."
              : "Aucune publication pour le moment."
            : `${total} publication${total > 1 ? "s" : ""}${pageCount > 1 ? ` — page ${page} sur ${pageCount}` : ""}`
          : ""}
      </p>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <QueryError error={list.error} />
      ) : total > 0 ? (
        <>
          <ul className="vigie-publication-list">
            {list.data.items.map((item) => (
              <PublicationListItem key={item.id} item={item} />
            ))}
          </ul>
          {pageCount > 1 ? (
            <Pagination count={pageCount} defaultPage={page} getPageLinkProps={pageLink} />
          ) : null}
        </>
      ) : null}
    </>
  );
}

function PublicationListItem({ item }: { item: PublicationItem }) {
  const revised = item.revision > 1;
  return (
    <li>
      <article aria-labelledby={`publication-${item.id}`}>
        <PublicationBadges kind={item.kind} exploitation={item.exploitation} tlp={item.tlp} />
        <h2 id={`publication-${item.id}`} className={fr.cx("fr-h5", "fr-mb-1w")}>
          <Link to={`${PUBLIC_PATH}/${item.slug}`}>{item.title}</Link>
        </h2>
        <p className={fr.cx("fr-text--sm", "fr-mb-1w")}>
          {item.reference} — publiée le {formatDate(item.firstPublishedAt)}
          {revised ? `, mise à jour le ${formatDate(item.lastPublishedAt)} (révision ${item.revision})` : ""}
          {item.cveIds.length > 0 ? (
            <>
              {" "}
              — <span lang="en">{item.cveIds.join(", ")}</span>
            </>
          ) : null}
        </p>
        {item.tlp !== "clear" ? (
          <p className={fr.cx("fr-text--xs", "fr-mb-1w")}>
            <strong>{publicationTlpMeanings[item.tlp].marking}</strong> :{" "}
            {publicationTlpMeanings[item.tlp].meaning}
          </p>
        ) : null}
        <p className={fr.cx("fr-mb-0")}>{item.summary}</p>
      </article>
    </li>
  );
}
