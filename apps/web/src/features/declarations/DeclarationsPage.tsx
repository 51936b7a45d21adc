import { fr } from "@codegouvfr/react-dsfr";
import Button from "@codegouvfr/react-dsfr/Button";
import Input from "@codegouvfr/react-dsfr/Input";
import Pagination from "@codegouvfr/react-dsfr/Pagination";
import Select from "@codegouvfr/react-dsfr/Select";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import {
  type DeclarationPage,
  type DeclarationSummary,
  declarationStatuses,
  declarationStatusLabels,
} from "@vigie/contracts";
import { type FormEvent, type ReactNode, useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import type { z } from "zod";
import { api } from "../../app/api.ts";
import { useCan } from "../../app/auth.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, pageCountOf, pageHref, QueryError } from "../../app/ui.tsx";
import { AwaitingBadge, certStatusLabels, StatusBadge } from "./status.tsx";

export type Summary = z.infer<typeof DeclarationSummary>;
type Page = z.infer<typeof DeclarationPage>;

/** The declarations list query, shared by the declarant's and the CERT's lists and the homes. */
export function useDeclarationList(filters: { status?: string; q?: string; page?: number }) {
  return useQuery({
    queryKey: ["declarations", filters],
    queryFn: ({ signal }) =>
      api.get<Page>(
        "/api/declarations",
        {
          status: filters.status,
          q: filters.q,
          page: filters.page && filters.page > 1 ? filters.page : undefined,
        },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
}

/** Filters and pages read from, and written to, the URL. */
export function useListParams(basePath: string) {
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const status = params.get("statut") ?? "";
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  const [draft, setDraft] = useState({ q, status });
  useEffect(() => setDraft({ q, status }), [q, status]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draft.q.trim()) next.set("q", draft.q.trim());
    if (draft.status) next.set("statut", draft.status);
    setParams(next);
  };
  const pageLink = (n: number) => ({ to: pageHref(basePath, params, n) });
  return { q, status, page, draft, setDraft, submit, pageLink };
}

/** The search form of a declarations list. */
export function ListFilters(props: {
  idPrefix: string;
  draft: { q: string; status: string };
  setDraft: (draft: { q: string; status: string }) => void;
  submit: (event: FormEvent) => void;
  audience: "declarant" | "cert";
}) {
  const { idPrefix, draft, setDraft, submit, audience } = props;
  const labels = audience === "cert" ? certStatusLabels : declarationStatusLabels;
  return (
    <search aria-label="Rechercher une déclaration">
      <form onSubmit={submit} className={fr.cx("fr-mb-3w")}>
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
            <Input
              label="Référence, titre ou structure"
              nativeInputProps={{
                id: `${idPrefix}-q`,
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
                id: `${idPrefix}-status`,
                value: draft.status,
                onChange: (e) => setDraft({ ...draft, status: e.target.value }),
              }}
            >
              <option value="">Tous les statuts</option>
              {declarationStatuses.map((s) => (
                <option key={s} value={s}>
                  {labels[s]}
                </option>
              ))}
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
  );
}

/** "3 déclarations — page 1 sur 1", announced politely. */
export function ListCount({ data }: { data: Page | undefined }) {
  const pages = pageCountOf(data);
  return (
    <p role="status" aria-live="polite" className={fr.cx("fr-text--bold")}>
      {data
        ? data.total === 0
          ? "Aucune déclaration."
          : `${data.total.toLocaleString("fr-FR")} déclaration${data.total > 1 ? "s" : ""}${pages > 1 ? ` — page ${data.page} sur ${pages}` : ""}`
        : ""}
    </p>
  );
}

/** Declarations as cards: readable on a phone, one line of badges each. */
export function DeclarationCards({ items, headingLevel = 2 }: { items: Summary[]; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? "h2" : "h3";
  return (
    <ul className={fr.cx("fr-raw-list")}>
      {items.map((d) => (
        <li key={d.id} className={fr.cx("fr-mb-2w")}>
          <div className={fr.cx("fr-card", "fr-card--sm", "fr-enlarge-link", "fr-card--horizontal")}>
            <div className={fr.cx("fr-card__body")}>
              <div className={fr.cx("fr-card__content")}>
                <Heading className={fr.cx("fr-card__title")}>
                  <Link to={`/declarations/${d.id}`}>{d.title}</Link>
                </Heading>
                <p className={fr.cx("fr-card__desc")}>
                  {d.reference} — {d.structure.name} — déclarée le {formatDateTime(d.declaredAt)}
                </p>
                <div className={fr.cx("fr-card__start")}>
                  <p className={`vigie-badges ${fr.cx("fr-mb-0")}`}>
                    <StatusBadge status={d.status} />
                    {d.awaitingAnswer ? <AwaitingBadge /> : null}
                  </p>
                </div>
              </div>
            </div>
          </div>
        </li>
      ))}
    </ul>
  );
}

/** /declarations — the declarant's declarations (their structures' and their own). */
export function DeclarationsPage() {
  const list = useListParams("/declarations");
  const canCreate = useCan("declarations:create");
  usePageTitle(list.page > 1 ? `Mes déclarations — page ${list.page}` : "Mes déclarations");
  const query = useDeclarationList({ status: list.status, q: list.q, page: list.page });
  const pages = pageCountOf(query.data);
  return (
    <>
      <h1>Mes déclarations</h1>
      {canCreate ? <DeclareButton className={fr.cx("fr-mb-4w")} /> : null}
      <ListFilters idPrefix="declarations" audience="declarant" {...list} />
      <ListCount data={query.data} />
      {query.isPending ? (
        <Loading />
      ) : query.error ? (
        <QueryError error={query.error} />
      ) : (
        <>
          <DeclarationCards items={query.data.items} />
          {pages > 1 ? (
            <Pagination
              count={pages}
              defaultPage={list.page}
              getPageLinkProps={list.pageLink}
              showFirstLast
            />
          ) : null}
        </>
      )}
    </>
  );
}

/** The prominent "declare" button (`to`: the analyst's form, recording on someone's behalf). */
export function DeclareButton({
  className,
  children,
  to = "/declarer",
}: {
  className?: string;
  children?: ReactNode;
  to?: string;
}) {
  return (
    <p className={className}>
      <Link
        className={fr.cx("fr-btn", "fr-btn--lg", "fr-btn--icon-left", "fr-icon-alarm-warning-line")}
        to={to}
      >
        {children ?? "Déclarer un incident"}
      </Link>
    </p>
  );
}
