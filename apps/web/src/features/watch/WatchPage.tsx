import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Button from "@codegouvfr/react-dsfr/Button";
import Pagination from "@codegouvfr/react-dsfr/Pagination";
import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { ApiError } from "../../app/api.ts";
import { usePageTitle } from "../../app/page.tsx";
import { Loading, pageCountOf, QueryError } from "../../app/ui.tsx";
import { useTicketActions, useTickets, WATCH_PATH } from "./api.ts";
import { TicketTable } from "./TicketTable.tsx";

/**
 * /veille — a structure's watch tickets: its open ones first (to acknowledge, one or several at
 * once), or all of them, and the way to its exposed assets.
 */
export function WatchPage() {
  const [params] = useSearchParams();
  const all = params.get("tous") === "1";
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  usePageTitle(`Veille — ${all ? "tous les tickets" : "tickets ouverts"}`);
  const list = useTickets({ status: all ? undefined : "ouverts", page: page > 1 ? page : undefined });
  const actions = useTicketActions();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [feedback, setFeedback] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const data = list.data;
  const pages = pageCountOf(data);
  const toggle = (id: string) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const acknowledgeable = data?.items.filter((t) => t.actions.includes("acknowledge")) ?? [];

  async function acknowledge(ids: string[]) {
    setBusy(true);
    setFeedback(null);
    try {
      const result = await actions.acknowledge(ids);
      setSelected(new Set());
      setFeedback({
        ok: true,
        text:
          result.changed > 1
            ? `${result.changed} tickets pris en compte. Le CERT en est informé.`
            : "Ticket pris en compte. Le CERT en est informé.",
      });
    } catch (error) {
      setFeedback({
        ok: false,
        text: error instanceof ApiError ? error.message : "La prise en compte a échoué.",
      });
    } finally {
      setBusy(false);
    }
  }

  const linkTo = (showAll: boolean, n = 1) => {
    const next = new URLSearchParams();
    if (showAll) next.set("tous", "1");
    if (n > 1) next.set("page", String(n));
    const qs = next.toString();
    return qs ? `${WATCH_PATH}?${qs}` : WATCH_PATH;
  };

  return (
    <>
      <Breadcrumb currentPageLabel="Veille" homeLinkProps={{ to: "/" }} segments={[]} />
      <h1>Veille de vos systèmes exposés</h1>
      <p>
        Le CERT Santé rapproche les systèmes que votre structure expose sur Internet des vulnérabilités
        activement exploitées, signale les services sensibles exposés (bureau à distance, partage de fichiers,
        imagerie DICOM, bases de données…) et les comptes de messagerie compromis. Chaque point est un ticket
        : prenez-le en compte, puis déclarez-le corrigé une fois l'action faite.
      </p>
      <p>
        <Link
          className={fr.cx("fr-link", "fr-icon-arrow-right-line", "fr-link--icon-right")}
          to="/veille/actifs"
        >
          Actifs exposés de votre structure
        </Link>
      </p>
      <nav aria-label="Choisir les tickets affichés" className={fr.cx("fr-mb-3w")}>
        <ul className={fr.cx("fr-tags-group")}>
          <li>
            <Link className={fr.cx("fr-tag")} to={linkTo(false)} aria-current={all ? undefined : "page"}>
              Tickets ouverts
            </Link>
          </li>
          <li>
            <Link className={fr.cx("fr-tag")} to={linkTo(true)} aria-current={all ? "page" : undefined}>
              Tous les tickets
            </Link>
          </li>
        </ul>
      </nav>
      <div role="status" aria-live="polite">
        {feedback ? (
          <Alert
            small
            severity={feedback.ok ? "success" : "error"}
            description={feedback.text}
            className={fr.cx("fr-mb-3w")}
          />
        ) : null}
      </div>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <QueryError error={list.error} />
      ) : data && data.items.length > 0 ? (
        <>
          <p className={fr.cx("fr-text--bold")}>
            {data.total} ticket{data.total > 1 ? "s" : ""}
            {all ? "" : ` ouvert${data.total > 1 ? "s" : ""}`}
            {pages > 1 ? ` — page ${data.page} sur ${pages}` : ""}
          </p>
          {acknowledgeable.length > 0 ? (
            <div className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-mb-2w")}>
              <Button disabled={busy || selected.size === 0} onClick={() => void acknowledge([...selected])}>
                {selected.size > 0
                  ? `Prendre en compte la sélection (${selected.size})`
                  : "Prendre en compte la sélection"}
              </Button>
              <Button
                priority="secondary"
                disabled={busy}
                onClick={() => void acknowledge(acknowledgeable.map((t) => t.id))}
              >
                Tout prendre en compte ({acknowledgeable.length})
              </Button>
            </div>
          ) : null}
          <TicketTable
            caption={
              all ? "Tickets de veille de votre structure" : "Tickets ouverts, les plus urgents d'abord"
            }
            tickets={data.items}
            selected={selected}
            onToggle={toggle}
          />
          {pages > 1 ? (
            <Pagination count={pages} defaultPage={page} getPageLinkProps={(n) => ({ to: linkTo(all, n) })} />
          ) : null}
          <p className={fr.cx("fr-text--sm")}>
            Un ticket déclaré corrigé est rouvert automatiquement si le problème est encore détecté lors d'un
            prochain rapprochement.
          </p>
        </>
      ) : (
        <p>
          {all ? "Aucun ticket de veille pour votre structure." : "Aucun ticket ouvert : rien à traiter."}
        </p>
      )}
    </>
  );
}
