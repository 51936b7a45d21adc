import { fr } from "@codegouvfr/react-dsfr";
import Button from "@codegouvfr/react-dsfr/Button";
import Input from "@codegouvfr/react-dsfr/Input";
import Pagination from "@codegouvfr/react-dsfr/Pagination";
import Select from "@codegouvfr/react-dsfr/Select";
import Table from "@codegouvfr/react-dsfr/Table";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import {
  type StructurePage as StructurePageSchema,
  type StructureType,
  structureTypeLabels,
  structureTypes,
} from "@vigie/contracts";
import { type FormEvent, useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import type { z } from "zod";
import { api } from "../../app/api.ts";
import { usePageTitle } from "../../app/page.tsx";
import { regionLabel, useRegions } from "../../app/regions.ts";
import { Loading, pageCountOf, pageHref, QueryError } from "../../app/ui.tsx";

type Page = z.infer<typeof StructurePageSchema>;
const PAGE_SIZE = 25;

/** Short labels for the table; the long ones stay in the filter and the record. */
export const structureTypeShort: Record<StructureType, string> = {
  es_public: "ES public",
  es_private_nonprofit: "ES privé non lucratif",
  es_private_forprofit: "ES privé lucratif",
  army_hospital: "Hôpital des armées",
  esms: "Médico-social",
  lbm: "Laboratoire",
  radiotherapy: "Radiothérapie",
  grades: "GRADeS",
  other: "Autre",
};

/** The directory: search by name, town or FINESS, filter by region and type, paginated. */
export function DirectoryPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const region = params.get("region") ?? "";
  const type = params.get("type") ?? "";
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  const regions = useRegions();
  const [draft, setDraft] = useState({ q, region, type });
  // The URL is the source of truth (shareable, back button): the form follows it.
  useEffect(() => setDraft({ q, region, type }), [q, region, type]);

  usePageTitle(page > 1 ? `Annuaire des structures — page ${page}` : "Annuaire des structures");

  const list = useQuery({
    queryKey: ["structures", { q, region, type, page }],
    queryFn: ({ signal }) =>
      api.get<Page>("/api/structures", { q, region, type, page, pageSize: PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draft.q.trim()) next.set("q", draft.q.trim());
    if (draft.region) next.set("region", draft.region);
    if (draft.type) next.set("type", draft.type);
    setParams(next);
  };

  const pageLink = (n: number) => ({ to: pageHref("/annuaire", params, n) });

  const pageCount = pageCountOf(list.data);

  return (
    <>
      <h1>Annuaire des structures</h1>
      <search aria-label="Rechercher dans l'annuaire">
        <form onSubmit={submit} className={fr.cx("fr-mb-4w")}>
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-5")}>
              <Input
                label="Nom, commune ou numéro FINESS"
                nativeInputProps={{
                  id: "directory-q",
                  type: "search",
                  value: draft.q,
                  onChange: (e) => setDraft({ ...draft, q: e.target.value }),
                }}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
              <Select
                label="Région"
                nativeSelectProps={{
                  id: "directory-region",
                  value: draft.region,
                  onChange: (e) => setDraft({ ...draft, region: e.target.value }),
                }}
              >
                <option value="">Toutes les régions</option>
                {(regions.data ?? []).map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.name}
                  </option>
                ))}
              </Select>
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <Select
                label="Type de structure"
                nativeSelectProps={{
                  id: "directory-type",
                  value: draft.type,
                  onChange: (e) => setDraft({ ...draft, type: e.target.value }),
                }}
              >
                <option value="">Tous les types</option>
                {structureTypes.map((t) => (
                  <option key={t} value={t}>
                    {structureTypeLabels[t]}
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
          ? list.data.total === 0
            ? "Aucune structure ne correspond à votre recherche."
            : `${list.data.total.toLocaleString("fr-FR")} structure${list.data.total > 1 ? "s" : ""} — page ${list.data.page} sur ${pageCount}`
          : ""}
      </p>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <QueryError error={list.error} />
      ) : list.data.items.length > 0 ? (
        <>
          <Table
            caption="Structures de l'annuaire"
            noCaption
            fixed={false}
            headers={["FINESS", "Nom", "Type", "Commune", "Région"]}
            data={list.data.items.map((s) => [
              <span key="finess">{s.finessEt}</span>,
              <Link key="name" to={`/annuaire/${s.id}`}>
                {s.name}
              </Link>,
              structureTypeShort[s.structureType] ?? s.structureType,
              [s.town, s.departmentCode ? `(${s.departmentCode})` : null].filter(Boolean).join(" ") || "—",
              s.regionName ?? regionLabel(regions.data, s.regionCode),
            ])}
          />
          {pageCount > 1 ? (
            <Pagination count={pageCount} defaultPage={page} getPageLinkProps={pageLink} showFirstLast />
          ) : null}
        </>
      ) : null}
    </>
  );
}
