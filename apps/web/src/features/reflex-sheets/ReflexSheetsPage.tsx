import { fr } from "@codegouvfr/react-dsfr";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Button from "@codegouvfr/react-dsfr/Button";
import Checkbox from "@codegouvfr/react-dsfr/Checkbox";
import Input from "@codegouvfr/react-dsfr/Input";
import Select from "@codegouvfr/react-dsfr/Select";
import Table from "@codegouvfr/react-dsfr/Table";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { reflexSheetKinds } from "@vigie/contracts";
import { type FormEvent, useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api } from "../../app/api.ts";
import { useCan } from "../../app/auth.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, QueryError } from "../../app/ui.tsx";
import {
  categoryLabel,
  categoryOptions,
  kindLabel,
  LIBRARY_PATH,
  type SheetSummary,
  sheetKeys,
  tlpShort,
} from "./api.ts";

interface Filters {
  q: string;
  category: string;
  kind: string;
  archived: boolean;
}

/** /cert/fiches-reflexes — the CERT's library: reflex sheets and recommendation templates. */
export function ReflexSheetsPage() {
  usePageTitle("Fiches réflexes");
  const canManage = useCan("reflex_sheets:manage");
  const [params, setParams] = useSearchParams();
  const applied: Filters = {
    q: params.get("q") ?? "",
    category: params.get("categorie") ?? "",
    kind: params.get("nature") ?? "",
    archived: params.get("archivees") === "oui",
  };
  const [draft, setDraft] = useState<Filters>(applied);
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the URL (back/forward)
  useEffect(() => setDraft(applied), [applied.q, applied.category, applied.kind, applied.archived]);

  const query = {
    q: applied.q,
    category: applied.category,
    kind: applied.kind,
    archived: applied.archived ? "true" : "",
  };
  const list = useQuery({
    queryKey: sheetKeys.list(query),
    queryFn: ({ signal }) => api.get<{ items: SheetSummary[] }>("/api/reflex-sheets", query, signal),
    placeholderData: keepPreviousData,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draft.q.trim()) next.set("q", draft.q.trim());
    if (draft.category) next.set("categorie", draft.category);
    if (draft.kind) next.set("nature", draft.kind);
    if (draft.archived) next.set("archivees", "oui");
    setParams(next);
  };
  const filtered = Boolean(applied.q || applied.category || applied.kind);
  const count = list.data?.items.length ?? 0;

  return (
    <>
      <h1>Fiches réflexes</h1>
      <p>
        Les fiches réflexes et modèles de recommandation du CERT, envoyés aux déclarants depuis une
        déclaration. Chaque modification enregistre une nouvelle version ; les précédentes restent
        consultables.
      </p>
      {canManage ? (
        <p>
          <Link
            className={fr.cx("fr-btn", "fr-icon-add-line", "fr-btn--icon-left")}
            to={`${LIBRARY_PATH}/nouvelle`}
          >
            Créer une fiche
          </Link>
        </p>
      ) : null}
      <search aria-label="Rechercher une fiche">
        <form onSubmit={submit} className={fr.cx("fr-mb-4w")}>
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <Input
                label="Mots recherchés"
                hintText="Dans l'identifiant, le titre et le contenu."
                nativeInputProps={{
                  id: "sheets-q",
                  type: "search",
                  value: draft.q,
                  onChange: (e) => setDraft({ ...draft, q: e.target.value }),
                }}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <Select
                label="Catégorie"
                hint="Type d'incident concerné."
                nativeSelectProps={{
                  id: "sheets-category",
                  value: draft.category,
                  onChange: (e) => setDraft({ ...draft, category: e.target.value }),
                }}
              >
                <option value="">Toutes les catégories</option>
                {categoryOptions.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.label}
                  </option>
                ))}
              </Select>
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <Select
                label="Nature"
                hint="Fiche réflexe ou modèle de recommandation."
                nativeSelectProps={{
                  id: "sheets-kind",
                  value: draft.kind,
                  onChange: (e) => setDraft({ ...draft, kind: e.target.value }),
                }}
              >
                <option value="">Toutes</option>
                {reflexSheetKinds.map((k) => (
                  <option key={k} value={k}>
                    {kindLabel(k)}
                  </option>
                ))}
              </Select>
            </div>
          </div>
          <Checkbox
            id="sheets-archived"
            small
            options={[
              {
                label: "Afficher aussi les fiches archivées",
                nativeInputProps: {
                  checked: draft.archived,
                  onChange: (e) => setDraft({ ...draft, archived: e.target.checked }),
                },
              },
            ]}
          />
          <Button type="submit" iconId="fr-icon-search-line">
            Rechercher
          </Button>
        </form>
      </search>
      <p role="status" aria-live="polite" className={fr.cx("fr-text--bold")}>
        {list.data
          ? count === 0
            ? filtered
              ? "Aucune fiche ne correspond à votre recherche."
              : "La bibliothèque ne contient encore aucune fiche."
            : `${count} fiche${count > 1 ? "s" : ""}${applied.archived ? ", archivées comprises" : ""}`
          : ""}
      </p>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <QueryError error={list.error} />
      ) : count > 0 ? (
        <Table
          caption="Fiches de la bibliothèque"
          noCaption
          headers={["Titre", "Nature", "Catégorie", "Version actuelle", "Diffusion", "Mise à jour", "État"]}
          data={list.data.items.map((sheet) => [
            <Link key="title" to={`${LIBRARY_PATH}/${sheet.id}`}>
              {sheet.title}
            </Link>,
            kindLabel(sheet.kind),
            categoryLabel(sheet.category),
            `Version ${sheet.currentVersion}`,
            tlpShort(sheet.tlp),
            formatDateTime(sheet.updatedAt),
            sheet.archivedAt ? (
              <Badge key="state" small severity="warning" noIcon>
                Archivée
              </Badge>
            ) : (
              <Badge key="state" small severity="success" noIcon>
                En service
              </Badge>
            ),
          ])}
        />
      ) : null}
    </>
  );
}
