import { fr } from "@codegouvfr/react-dsfr";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Button from "@codegouvfr/react-dsfr/Button";
import Pagination from "@codegouvfr/react-dsfr/Pagination";
import Table from "@codegouvfr/react-dsfr/Table";
import {
  structureTypeLabels,
  ticketKindLabels,
  ticketKinds,
  ticketStatuses,
  ticketStatusLabels,
  ticketUrgencies,
  ticketUrgencyLabels,
} from "@vigie/contracts";
import { type FormEvent, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { SelectField, TextField } from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, pageCountOf, pageHref, QueryError } from "../../app/ui.tsx";
import {
  CERT_WATCH_PATH,
  type TicketFilters,
  ticketPath,
  useNotifications,
  useTickets,
  useWatchStats,
} from "./api.ts";
import { TicketTable } from "./TicketTable.tsx";

const FILTER_KEYS = ["status", "kind", "urgency", "structureId", "cve", "q"] as const;

function Stats() {
  const current = new Date().getFullYear();
  const [year, setYear] = useState(current);
  const stats = useWatchStats(year);
  const data = stats.data;
  return (
    <section aria-labelledby="veille-chiffres">
      <h2 id="veille-chiffres">Structures alertées en {year}</h2>
      <div className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm", "fr-mb-2w")}>
        <Button size="small" priority="tertiary" onClick={() => setYear(year - 1)}>
          Année {year - 1}
        </Button>
        {year < current ? (
          <Button size="small" priority="tertiary" onClick={() => setYear(year + 1)}>
            Année {year + 1}
          </Button>
        ) : null}
      </div>
      {stats.isPending ? (
        <Loading />
      ) : stats.error ? (
        <QueryError error={stats.error} />
      ) : data ? (
        <>
          <p className={fr.cx("fr-text--lead")}>
            {data.alertedStructures} structure{data.alertedStructures > 1 ? "s" : ""} alertée
            {data.alertedStructures > 1 ? "s" : ""} en {data.year}, dont {data.acknowledgingStructures} ayant
            pris en compte au moins un ticket.
          </p>
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <Table
                caption="Par nature de ticket"
                headers={["Nature", "Structures"]}
                data={data.byKind.map((r) => [ticketKindLabels[r.kind], String(r.structures)])}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <Table
                caption="Par type de structure"
                headers={["Type", "Structures"]}
                data={data.byStructureType.map((r) => [
                  structureTypeLabels[r.structureType as keyof typeof structureTypeLabels] ?? r.structureType,
                  String(r.structures),
                ])}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <Table
                caption="Par région"
                headers={["Région", "Structures"]}
                data={data.byRegion.map((r) => [r.regionName ?? "Région inconnue", String(r.structures)])}
              />
            </div>
          </div>
          <Table
            caption={`Tickets par nature et urgence (ouverts et corrigés en ${data.year} ; en cours aujourd'hui)`}
            headers={["Nature", "Urgence", "Ouverts dans l'année", "Corrigés dans l'année", "En cours"]}
            data={data.tickets.map((r) => [
              ticketKindLabels[r.kind],
              ticketUrgencyLabels[r.urgency],
              String(r.opened),
              String(r.fixed),
              String(r.open),
            ])}
          />
        </>
      ) : null}
    </section>
  );
}

function Notifications() {
  const [page, setPage] = useState(1);
  const list = useNotifications(page);
  const data = list.data;
  const pages = pageCountOf(data);
  return (
    <section aria-labelledby="veille-notifications">
      <h2 id="veille-notifications">Courriels de veille envoyés</h2>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <QueryError error={list.error} />
      ) : data && data.items.length > 0 ? (
        <>
          <Table
            caption="Qui a été alerté, quand, pour quels tickets"
            headers={["Envoyé le", "Structure", "Destinataires", "Tickets", "Prise en compte"]}
            data={data.items.map((n) => [
              formatDateTime(n.sentAt),
              n.structureName,
              n.recipients.join(", "),
              <ul key="tickets" className={fr.cx("fr-mb-0")}>
                {n.tickets.map((t) => (
                  <li key={t.id}>
                    <Link className={fr.cx("fr-link", "fr-text--sm")} to={ticketPath(t.id)}>
                      {t.reference}
                    </Link>{" "}
                    {t.title}
                    {t.reminder ? " (rappel)" : ""} — {ticketStatusLabels[t.status]}
                  </li>
                ))}
              </ul>,
              n.acknowledgedAt
                ? `Lien utilisé le ${formatDateTime(n.acknowledgedAt)}`
                : `${n.acknowledgedTickets} sur ${n.tickets.length} pris en compte`,
            ])}
          />
          {pages > 1 ? (
            <div className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm")}>
              <Button
                size="small"
                priority="secondary"
                disabled={page <= 1}
                onClick={() => setPage(page - 1)}
              >
                Page précédente
              </Button>
              <Button
                size="small"
                priority="secondary"
                disabled={page >= pages}
                onClick={() => setPage(page + 1)}
              >
                Page suivante
              </Button>
            </div>
          ) : null}
        </>
      ) : (
        <p>Aucun courriel de veille envoyé.</p>
      )}
    </section>
  );
}

/** /cert/veille — every structure's tickets with filters, the year's figures, and the notifications sent. */
export function CertWatchPage() {
  const [params, setParams] = useSearchParams();
  const filters: TicketFilters = {};
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  if (page > 1) filters.page = page;
  usePageTitle(`Veille — tous les tickets${page > 1 ? ` — page ${page}` : ""}`);
  const list = useTickets(filters);
  const data = list.data;
  const pages = pageCountOf(data);
  const [draft, setDraft] = useState<Record<string, string>>(() =>
    Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ""])),
  );
  const set = (key: string) => (event: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: event.target.value }));

  function apply(event: FormEvent) {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const key of FILTER_KEYS) if (draft[key]) next.set(key, draft[key] ?? "");
    setParams(next);
  }
  const pageLink = (n: number) => pageHref(CERT_WATCH_PATH, params, n);

  return (
    <>
      <Breadcrumb currentPageLabel="Veille" homeLinkProps={{ to: "/" }} segments={[]} />
      <h1>Veille des systèmes exposés</h1>
      <form onSubmit={apply} aria-label="Filtrer les tickets" className={fr.cx("fr-mb-3w")}>
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <SelectField
              id="filtre-statut"
              label="Statut"
              selectProps={{ value: draft.status, onChange: set("status") }}
            >
              <option value="">Tous</option>
              <option value="ouverts">Ouverts</option>
              {ticketStatuses.map((s) => (
                <option key={s} value={s}>
                  {ticketStatusLabels[s]}
                </option>
              ))}
            </SelectField>
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <SelectField
              id="filtre-nature"
              label="Nature"
              selectProps={{ value: draft.kind, onChange: set("kind") }}
            >
              <option value="">Toutes</option>
              {ticketKinds.map((k) => (
                <option key={k} value={k}>
                  {ticketKindLabels[k]}
                </option>
              ))}
            </SelectField>
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <SelectField
              id="filtre-urgence"
              label="Urgence"
              selectProps={{ value: draft.urgency, onChange: set("urgency") }}
            >
              <option value="">Toutes</option>
              {ticketUrgencies.map((u) => (
                <option key={u} value={u}>
                  {ticketUrgencyLabels[u]}
                </option>
              ))}
            </SelectField>
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <TextField
              id="filtre-cve"
              label="CVE"
              optional
              hint="Exemple : CVE-2023-4966"
              inputProps={{ value: draft.cve, onChange: set("cve") }}
            />
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-8")}>
            <TextField
              id="filtre-recherche"
              label="Recherche"
              optional
              hint="Structure, produit, adresse IP, domaine, compte…"
              inputProps={{ type: "search", value: draft.q, onChange: set("q") }}
            />
          </div>
        </div>
        <Button type="submit">Filtrer</Button>
      </form>
      <p role="status" aria-live="polite" className={fr.cx("fr-text--bold")}>
        {data
          ? data.total === 0
            ? "Aucun ticket."
            : `${data.total} ticket${data.total > 1 ? "s" : ""}${pages > 1 ? ` — page ${data.page} sur ${pages}` : ""}`
          : ""}
      </p>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <QueryError error={list.error} />
      ) : data && data.items.length > 0 ? (
        <>
          <TicketTable
            caption="Tickets de veille, les plus urgents d'abord"
            tickets={data.items}
            showStructure
          />
          {pages > 1 ? (
            <Pagination count={pages} defaultPage={page} getPageLinkProps={(n) => ({ to: pageLink(n) })} />
          ) : null}
        </>
      ) : null}
      <Stats />
      <Notifications />
    </>
  );
}
