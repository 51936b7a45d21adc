import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Button from "@codegouvfr/react-dsfr/Button";
import Pagination from "@codegouvfr/react-dsfr/Pagination";
import Table from "@codegouvfr/react-dsfr/Table";
import Tag from "@codegouvfr/react-dsfr/Tag";
import { certStatusLabels, channel, declarationStatuses, operationalImpact } from "@vigie/contracts";
import { useEffect, useMemo, useRef } from "react";
import { Link, useSearchParams } from "react-router";
import { isApiError } from "../../app/api.ts";
import { usePageTitle } from "../../app/page.tsx";
import { useRegions } from "../../app/regions.ts";
import { formatDateTime, Loading, pageCountOf, QueryError } from "../../app/ui.tsx";
import { DeclareButton } from "../declarations/DeclarationsPage.tsx";
import { AwaitingBadge, StatusBadge } from "../declarations/status.tsx";
import { type QueueItem, type QueuePage, useAnalysts, useQueue } from "./queue/api.ts";
import {
  activeFilterCount,
  emptyFilters,
  filtersFromParams,
  pageFromParams,
  paramsFromFilters,
  type QueueFilters,
  withPage,
} from "./queue/params.ts";
import { QueueFilterForm, sortLabels } from "./queue/QueueFilterForm.tsx";
import { SavedViews } from "./queue/SavedViews.tsx";
import "./queue/queue.css";

/** The analyst's form for a declaration received by phone or e-mail (`DeclarePage mode="recorded"`). */
export const RECORD_PATH = "/cert/declarations/saisir";
export const RECORD_LABEL = "Saisir une déclaration reçue par téléphone ou courriel";

const BASE_PATH = "/cert/declarations";
const allFilterKeys = Object.keys(emptyFilters) as (keyof QueueFilters)[];

/**
 * /cert/declarations — the CERT's queue: quick filters with their counters, the filter panel,
 * saved views, and the declarations as a table. Every filter lives in the URL (the API's own
 * parameters), so back/forward, reloading and sharing a link keep them.
 */
export function CertDeclarationsPage() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const page = pageFromParams(params);
  const filterQuery = paramsFromFilters(filters).toString();
  usePageTitle(page > 1 ? `Déclarations reçues — page ${page}` : "Déclarations reçues");

  const queue = useQueue(filterQuery, page);
  const analysts = useAnalysts();
  const regions = useRegions();
  const filtered =
    activeFilterCount(
      filters,
      allFilterKeys.filter((k) => k !== "sort"),
    ) > 0;

  /** New filters start again at page 1. */
  const apply = (next: QueueFilters) => setParams(paramsFromFilters(next));
  const reset = () => setParams(new URLSearchParams());

  // Changing page moves the focus to the results, as a new page would.
  const resultsRef = useRef<HTMLHeadingElement>(null);
  const previousPage = useRef(page);
  useEffect(() => {
    if (previousPage.current !== page) resultsRef.current?.focus();
    previousPage.current = page;
  }, [page]);

  const data = queue.data;
  const pages = pageCountOf(data);

  return (
    <>
      <h1>Déclarations reçues</h1>
      <DeclareButton className={fr.cx("fr-mb-4w")} to={RECORD_PATH}>
        {RECORD_LABEL}
      </DeclareButton>

      <QuickFilters data={data} filters={filters} onApply={apply} />
      <p className={fr.cx("fr-mb-3w")}>
        <a
          className={fr.cx("fr-link", "fr-icon-arrow-down-line", "fr-link--icon-right")}
          href="#queue-results-title"
        >
          Aller aux résultats
        </a>
      </p>

      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-mb-4w")}>
        <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
          <QueueFilterForm
            filters={filters}
            onApply={apply}
            onReset={reset}
            analysts={{ data: analysts.data, failed: analysts.isError }}
            regions={regions.data}
          />
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-lg-4")}>
          <SavedViews
            currentQuery={filterQuery}
            onApply={(view) => setParams(new URLSearchParams(view.query))}
          />
        </div>
      </div>

      <section aria-labelledby="queue-results-title">
        <h2 id="queue-results-title" ref={resultsRef} tabIndex={-1} className={fr.cx("fr-h4")}>
          Résultats
        </h2>
        {filters.event ? (
          <p className={fr.cx("fr-mb-2w")}>
            <Tag
              dismissible
              small
              nativeButtonProps={{
                "aria-label": `Retirer le filtre sur l'évènement ${eventReference(data, filters.event)}`,
                onClick: () => apply({ ...filters, event: "" }),
              }}
            >
              {`Évènement ${eventReference(data, filters.event)}`}
            </Tag>
          </p>
        ) : null}
        <p role="status" aria-live="polite" className={fr.cx("fr-text--bold")}>
          {resultCount(data, filters)}
        </p>
        {queue.isPending ? (
          <Loading />
        ) : queue.error ? (
          <QueueError error={queue.error} onReset={reset} onRetry={() => void queue.refetch()} />
        ) : queue.data.items.length === 0 ? (
          <EmptyQueue filtered={filtered || page > 1} onReset={reset} />
        ) : (
          <div
            aria-busy={queue.isFetching}
            className={queue.isPlaceholderData ? "vigie-queue--stale" : undefined}
          >
            <QueueTable items={queue.data.items} />
            {pages > 1 ? (
              <Pagination
                count={pages}
                defaultPage={page}
                getPageLinkProps={(n) => ({ to: `${BASE_PATH}?${withPage(params, n).toString()}` })}
                showFirstLast
              />
            ) : null}
          </div>
        )}
      </section>
    </>
  );
}

/** "12 déclarations — page 1 sur 2, les plus récentes d'abord", announced when it changes. */
function resultCount(data: QueuePage | undefined, filters: QueueFilters): string {
  if (!data) return "";
  if (data.total === 0) return "Aucune déclaration.";
  const pages = pageCountOf(data);
  const order = (sortLabels[filters.sort || "declared_desc"] ?? "").toLowerCase();
  return `${data.total.toLocaleString("fr-FR")} déclaration${data.total > 1 ? "s" : ""}${
    pages > 1 ? ` — page ${data.page} sur ${pages}` : ""
  }${order ? `, ${order}` : ""}.`;
}

function eventReference(data: QueuePage | undefined, eventId: string): string {
  const linked = data?.items.find((item) => item.handling?.event?.id === eventId);
  return linked?.handling?.event?.reference ?? "sélectionné";
}

/**
 * The counters as quick filters: one per status (within the other filters) and the CERT's
 * « En retard », « Non assignées », « Mes cas ». A pressed filter is shown and announced as such.
 */
function QuickFilters(props: {
  data: QueuePage | undefined;
  filters: QueueFilters;
  onApply: (filters: QueueFilters) => void;
}) {
  const { data, filters, onApply } = props;
  if (!data) return null;
  const onlyStatus = (s: string) => filters.status.length === 1 && filters.status[0] === s;
  const counters = data.counters;
  const tags: { key: string; label: string; count: number; pressed: boolean; toggle: () => QueueFilters }[] =
    declarationStatuses.map((s) => ({
      key: s,
      label: certStatusLabels[s],
      count: data.counts[s],
      pressed: onlyStatus(s),
      toggle: () => ({ ...filters, status: onlyStatus(s) ? [] : [s] }),
    }));
  if (counters) {
    tags.push(
      {
        key: "overdue",
        label: "En retard",
        count: counters.overdue,
        pressed: filters.overdue === "true",
        toggle: () => ({ ...filters, overdue: filters.overdue === "true" ? "" : "true" }),
      },
      {
        key: "unassigned",
        label: "Non assignées",
        count: counters.unassigned,
        pressed: filters.assignee === "none",
        toggle: () => ({ ...filters, assignee: filters.assignee === "none" ? "" : "none" }),
      },
      {
        key: "mine",
        label: "Mes cas",
        count: counters.mine,
        pressed: filters.assignee === "me",
        toggle: () => ({ ...filters, assignee: filters.assignee === "me" ? "" : "me" }),
      },
    );
  }
  return (
    <section aria-labelledby="queue-quick-title" className={fr.cx("fr-mb-3w")}>
      <h2 id="queue-quick-title" className={fr.cx("fr-h6", "fr-mb-1w")}>
        Filtres rapides
      </h2>
      <p className={fr.cx("fr-text--sm", "fr-mb-1w")}>
        Nombre de déclarations dans les autres filtres appliqués ; un clic filtre, un second clic retire le
        filtre.
      </p>
      <ul className={fr.cx("fr-tags-group")}>
        {tags.map((tag) => (
          <li key={tag.key}>
            <Tag
              pressed={tag.pressed}
              nativeButtonProps={{
                id: `queue-quick-${tag.key}`,
                onClick: () => onApply(tag.toggle()),
              }}
            >
              {`${tag.label} (${tag.count.toLocaleString("fr-FR")})`}
            </Tag>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The declarations of the page; the reference opens the case. */
function QueueTable({ items }: { items: QueueItem[] }) {
  return (
    <Table
      caption="Déclarations reçues correspondant aux filtres"
      noCaption
      fixed={false}
      className="vigie-queue-table"
      headers={[
        "Référence",
        "Titre",
        "Structure",
        "Reçue le",
        "Statut",
        "Assignée à",
        "Qualification",
        "Fonctionnement",
        "Accompagnement",
        "Évènement",
      ]}
      data={items.map((d) => [
        <Link key="ref" className="vigie-nowrap" to={`${BASE_PATH}/${d.id}`}>
          {d.reference}
        </Link>,
        d.title,
        d.structure.name,
        <span key="declared">
          <span className="vigie-nowrap">{formatDateTime(d.declaredAt)}</span>
          <br />
          <span className={fr.cx("fr-text--xs")}>{channel.labels[d.channel]}</span>
        </span>,
        <span key="status" className="vigie-badges">
          <StatusBadge status={d.status} audience="cert" />
          {d.handling?.overdue ? (
            <Badge as="span" small severity="error">
              En retard
            </Badge>
          ) : null}
          {d.awaitingAnswer ? <AwaitingBadge audience="cert" /> : null}
        </span>,
        d.handling ? (d.handling.assignee?.fullName ?? "Non assignée") : "—",
        <Qualification key="qualification" item={d} />,
        operationalImpact.labels[d.operationalImpact],
        d.supportRequested ? "Demandé" : "Non",
        d.handling?.event ? (
          <Link key="event" className="vigie-nowrap" to={`/cert/evenements/${d.handling.event.id}`}>
            {d.handling.event.reference}
          </Link>
        ) : (
          "—"
        ),
      ])}
    />
  );
}

function Qualification({ item }: { item: QueueItem }) {
  const handling = item.handling;
  if (!handling) return <>—</>;
  if (handling.outOfScope)
    return (
      <Badge as="span" small noIcon>
        Hors périmètre
      </Badge>
    );
  if (handling.qualified)
    return (
      <Badge as="span" small severity="success">
        Qualifiée
      </Badge>
    );
  return <>À qualifier</>;
}

function EmptyQueue({ filtered, onReset }: { filtered: boolean; onReset: () => void }) {
  return filtered ? (
    <div className={fr.cx("fr-my-4w")}>
      <p>Aucune déclaration ne correspond à ces filtres.</p>
      <Button type="button" priority="secondary" iconId="fr-icon-refresh-line" onClick={onReset}>
        Réinitialiser les filtres
      </Button>
    </div>
  ) : (
    <p className={fr.cx("fr-my-4w")}>Aucune déclaration reçue pour l'instant.</p>
  );
}

/** A refused filter (an edited or outdated link) names the filter; other failures offer to retry. */
function QueueError(props: { error: unknown; onReset: () => void; onRetry: () => void }) {
  const { error, onReset, onRetry } = props;
  if (isApiError(error, "VALIDATION_FAILED")) {
    return (
      <Alert
        severity="error"
        title="Filtres invalides"
        className={fr.cx("fr-my-4w")}
        description={
          <>
            {error.fields.length > 0 ? (
              <ul>
                {error.fields.map((f) => (
                  <li key={`${f.field}-${f.message}`}>
                    {f.field} : {f.message}
                  </li>
                ))}
              </ul>
            ) : (
              <span>{error.message}</span>
            )}
            <Button type="button" priority="secondary" size="small" onClick={onReset}>
              Réinitialiser les filtres
            </Button>
          </>
        }
      />
    );
  }
  return (
    <>
      <QueryError error={error} title="La liste des déclarations n'a pas pu être chargée" />
      <Button type="button" priority="secondary" iconId="fr-icon-refresh-line" onClick={onRetry}>
        Réessayer
      </Button>
    </>
  );
}
