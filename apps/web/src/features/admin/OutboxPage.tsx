import { fr } from "@codegouvfr/react-dsfr";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Button from "@codegouvfr/react-dsfr/Button";
import Input from "@codegouvfr/react-dsfr/Input";
import Pagination from "@codegouvfr/react-dsfr/Pagination";
import Table from "@codegouvfr/react-dsfr/Table";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { OutboxPage as OutboxPageSchema } from "@vigie/contracts";
import { type FormEvent, useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import type { z } from "zod";
import { api } from "../../app/api.ts";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, pageCountOf, pageHref, QueryError } from "../../app/ui.tsx";

type Page = z.infer<typeof OutboxPageSchema>;
type Message = Page["items"][number];

function MessageState({ message }: { message: Message }) {
  if (message.sentAt)
    return (
      <Badge severity="success" small>
        Envoyé
      </Badge>
    );
  if (message.lastError)
    return (
      <Badge severity="error" small>
        En échec
      </Badge>
    );
  return (
    <Badge severity="info" small>
      En attente
    </Badge>
  );
}

/** The mails the platform sent (or keeps in its outbox without SMTP), for the administrator. */
export function OutboxPage() {
  const [params, setParams] = useSearchParams();
  const to = params.get("to") ?? "";
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  const [draft, setDraft] = useState(to);
  useEffect(() => setDraft(to), [to]);
  usePageTitle(page > 1 ? `Courriels émis — page ${page}` : "Courriels émis");
  const list = useQuery({
    queryKey: ["outbox", { to, page }],
    queryFn: ({ signal }) => api.get<Page>("/api/outbox", { to, page, pageSize: 25 }, signal),
    placeholderData: keepPreviousData,
  });
  const pageCount = pageCountOf(list.data);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draft.trim()) next.set("to", draft.trim());
    setParams(next);
  };
  const pageLink = (n: number) => ({ to: pageHref("/admin/courriels", params, n) });

  return (
    <>
      <h1>Courriels émis</h1>
      <p>
        Les courriels envoyés par la plateforme (confirmation d'adresse, réinitialisation de mot de passe,
        alertes). Sans serveur SMTP configuré, ils restent ici et peuvent être lus par l'administrateur.
      </p>
      <search aria-label="Filtrer les courriels">
        <form onSubmit={submit} className={fr.cx("fr-mb-3w")}>
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Input
                label="Destinataire"
                nativeInputProps={{
                  id: "outbox-to",
                  type: "search",
                  value: draft,
                  onChange: (e) => setDraft(e.target.value),
                }}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Button type="submit" iconId="fr-icon-search-line" className={fr.cx("fr-mb-3w")}>
                Rechercher
              </Button>
            </div>
          </div>
        </form>
      </search>
      <p role="status" aria-live="polite" className={fr.cx("fr-text--bold")}>
        {list.data
          ? list.data.total === 0
            ? "Aucun courriel."
            : `${list.data.total} courriel${list.data.total > 1 ? "s" : ""} — page ${list.data.page} sur ${pageCount}`
          : ""}
      </p>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <QueryError error={list.error} />
      ) : list.data.items.length > 0 ? (
        <>
          <Table
            caption="Courriels émis par la plateforme, du plus récent au plus ancien"
            noCaption
            headers={["Date", "Destinataire", "Objet et contenu", "État"]}
            data={list.data.items.map((message) => [
              formatDateTime(message.createdAt),
              message.to,
              <details key="content">
                <summary>{message.subject}</summary>
                <pre className="vigie-pre">{message.text}</pre>
              </details>,
              <span key="state">
                <MessageState message={message} />
                {message.sentAt ? (
                  <span className={fr.cx("fr-text--xs")} style={{ display: "block" }}>
                    {formatDateTime(message.sentAt)}
                  </span>
                ) : message.lastError ? (
                  <span className={fr.cx("fr-text--xs")} style={{ display: "block" }}>
                    {message.attempts} tentative(s) : {message.lastError}
                  </span>
                ) : null}
              </span>,
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
