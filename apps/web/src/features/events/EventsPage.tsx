import { fr } from "@codegouvfr/react-dsfr";
import Button from "@codegouvfr/react-dsfr/Button";
import Input from "@codegouvfr/react-dsfr/Input";
import Pagination from "@codegouvfr/react-dsfr/Pagination";
import Select from "@codegouvfr/react-dsfr/Select";
import Table from "@codegouvfr/react-dsfr/Table";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api } from "../../app/api.ts";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, pageCountOf, pageHref, QueryError } from "../../app/ui.tsx";
import { EVENTS_PATH, type EventPageData, eventPath } from "./api.ts";
import { EventStatusBadge, EventTlpBadge } from "./badges.tsx";

/** /cert/evenements — the CERT's events grouping declarations: search, status, counts. */
export function EventsPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const status = params.get("statut") ?? "";
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  const [draft, setDraft] = useState({ q, status });
  useEffect(() => setDraft({ q, status }), [q, status]);
  usePageTitle(page > 1 ? `Évènements — page ${page}` : "Évènements");

  const query = useQuery({
    queryKey: ["events", { q, status, page }],
    queryFn: ({ signal }) =>
      api.get<EventPageData>(
        "/api/events",
        {
          q,
          status: status === "open" || status === "closed" ? status : undefined,
          page: page > 1 ? page : undefined,
        },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draft.q.trim()) next.set("q", draft.q.trim());
    if (draft.status) next.set("statut", draft.status);
    setParams(next);
  };
  const pageLink = (n: number) => ({ to: pageHref(EVENTS_PATH, params, n) });
  const data = query.data;
  const pages = pageCountOf(data);

  return (
    <>
      <h1>Évènements</h1>
      <p>
        Un évènement regroupe les déclarations d'un même incident (panne d'un prestataire, campagne
        d'hameçonnage…) : chaque déclaration reste comptée pour elle-même, l'analyse du CERT est partagée avec
        leurs déclarants.
      </p>
      <p className={fr.cx("fr-mb-4w")}>
        <Link
          className={fr.cx("fr-btn", "fr-btn--icon-left", "fr-icon-add-line")}
          to={`${EVENTS_PATH}/nouveau`}
        >
          Créer un évènement
        </Link>
      </p>
      <search aria-label="Rechercher un évènement">
        <form onSubmit={submit} className={fr.cx("fr-mb-3w")}>
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Input
                label="Référence ou titre"
                nativeInputProps={{
                  id: "events-q",
                  type: "search",
                  value: draft.q,
                  onChange: (e) => setDraft({ ...draft, q: e.target.value }),
                }}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <Select
                label="Statut"
                nativeSelectProps={{
                  id: "events-status",
                  value: draft.status,
                  onChange: (e) => setDraft({ ...draft, status: e.target.value }),
                }}
              >
                <option value="">Tous les statuts</option>
                <option value="open">Ouverts</option>
                <option value="closed">Clos</option>
              </Select>
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-2")}>
              <Button type="submit" iconId="fr-icon-search-line">
                Rechercher
              </Button>
            </div>
          </div>
        </form>
      </search>
      <p role="status" aria-live="polite" className={fr.cx("fr-text--bold")}>
        {data
          ? data.total === 0
            ? "Aucun évènement."
            : `${data.total.toLocaleString("fr-FR")} évènement${data.total > 1 ? "s" : ""}${pages > 1 ? ` — page ${data.page} sur ${pages}` : ""}`
          : ""}
      </p>
      {query.isPending ? (
        <Loading />
      ) : query.error ? (
        <QueryError error={query.error} />
      ) : query.data.items.length > 0 ? (
        <>
          <Table
            caption="Évènements"
            noCaption
            fixed={false}
            headers={["Référence", "Titre", "Déclarations", "TLP", "Statut", "Mis à jour le"]}
            data={query.data.items.map((e) => [
              <Link key="ref" className="vigie-nowrap" to={eventPath(e.id)}>
                {e.reference}
              </Link>,
              e.title,
              e.declarationCount.toLocaleString("fr-FR"),
              <EventTlpBadge key="tlp" value={e.tlp} />,
              <EventStatusBadge key="status" status={e.status} />,
              formatDateTime(e.updatedAt),
            ])}
          />
          {pages > 1 ? (
            <Pagination count={pages} defaultPage={page} getPageLinkProps={pageLink} showFirstLast />
          ) : null}
        </>
      ) : null}
      <p className={fr.cx("fr-text--sm", "fr-mt-2w")}>
        Les évènements ouverts d'abord, puis les plus récents.
      </p>
    </>
  );
}
