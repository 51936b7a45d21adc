import { fr } from "@codegouvfr/react-dsfr";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Pagination from "@codegouvfr/react-dsfr/Pagination";
import Table from "@codegouvfr/react-dsfr/Table";
import { clockKindLabels } from "@vigie/contracts";
import { Link, useSearchParams } from "react-router";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, pageCountOf, QueryError } from "../../app/ui.tsx";
import { CLOCKS_PATH, type ClockFilter, useClockPage } from "./api.ts";
import { ClockStateBadge } from "./clocks.tsx";
import "./alerting.css";

const filters: { value: ClockFilter; param: string; label: string; caption: string }[] = [
  { value: "open", param: "", label: "À déposer", caption: "Échéances à déposer" },
  {
    value: "due_soon",
    param: "bientot",
    label: "Bientôt dues",
    caption: "Échéances à déposer dans les 12 heures",
  },
  { value: "overdue", param: "retard", label: "En retard", caption: "Échéances dépassées, non déposées" },
  { value: "all", param: "toutes", label: "Toutes", caption: "Toutes les échéances, déposées comprises" },
];

/**
 * /cert/echeances — the regulatory clocks of every case (NIS 2, CNIL), the nearest first:
 * to file, due within 12 hours, overdue, or all of them.
 */
export function ClocksPage() {
  const [params] = useSearchParams();
  const filter =
    filters.find((f) => f.param === (params.get("etat") ?? "")) ?? (filters[0] as (typeof filters)[number]);
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  usePageTitle(`Échéances réglementaires — ${filter.label}${page > 1 ? ` — page ${page}` : ""}`);
  const list = useClockPage(filter.value, page);
  const data = list.data;
  const pages = pageCountOf(data);
  const linkTo = (param: string, n = 1) => {
    const next = new URLSearchParams();
    if (param) next.set("etat", param);
    if (n > 1) next.set("page", String(n));
    const qs = next.toString();
    return qs ? `${CLOCKS_PATH}?${qs}` : CLOCKS_PATH;
  };

  return (
    <>
      <Breadcrumb
        currentPageLabel="Échéances réglementaires"
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Déclarations reçues", linkProps: { to: "/cert/declarations" } }]}
      />
      <h1>Échéances réglementaires</h1>
      <p>
        Les déclarations que les structures doivent faire aux autorités : NIS 2 pour les opérateurs de
        services essentiels (alerte précoce en 24 h, notification en 72 h, rapport final en un mois, rapports
        intermédiaires sur demande) et CNIL en 72 h pour une violation de données personnelles. Elles courent
        depuis le moment où la structure a eu connaissance de l'incident ; le dépôt s'enregistre sur la page
        du cas.
      </p>
      <nav aria-label="Filtrer les échéances" className={fr.cx("fr-mb-3w")}>
        <ul className={fr.cx("fr-tags-group")}>
          {filters.map((f) => (
            <li key={f.value}>
              <Link
                className={fr.cx("fr-tag")}
                to={linkTo(f.param)}
                aria-current={f.value === filter.value ? "page" : undefined}
              >
                {f.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <p role="status" aria-live="polite" className={fr.cx("fr-text--bold")}>
        {data
          ? data.total === 0
            ? "Aucune échéance."
            : `${data.total} échéance${data.total > 1 ? "s" : ""}${pages > 1 ? ` — page ${data.page} sur ${pages}` : ""}`
          : ""}
      </p>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <QueryError error={list.error} />
      ) : data && data.items.length > 0 ? (
        <>
          <Table
            caption={filter.caption}
            headers={["Échéance", "Cas", "À déposer avant le", "État", "Dépôt"]}
            data={data.items.map((clock) => [
              clockKindLabels[clock.kind],
              <span key="case">
                <Link
                  className={fr.cx("fr-link")}
                  to={`/cert/declarations/${encodeURIComponent(clock.incidentId)}#echeances`}
                >
                  {clock.reference}
                </Link>
                <span className={fr.cx("fr-text--sm")} style={{ display: "block" }}>
                  {clock.structureName}
                </span>
              </span>,
              formatDateTime(clock.dueAt),
              <span key="state" className="vigie-nowrap">
                <ClockStateBadge state={clock.state} />
              </span>,
              clock.filedAt
                ? `${formatDateTime(clock.filedAt)}${clock.filingReference ? ` — réf. ${clock.filingReference}` : ""}`
                : "—",
            ])}
          />
          {pages > 1 ? (
            <Pagination
              count={pages}
              defaultPage={page}
              getPageLinkProps={(n) => ({ to: linkTo(filter.param, n) })}
            />
          ) : null}
        </>
      ) : null}
    </>
  );
}
