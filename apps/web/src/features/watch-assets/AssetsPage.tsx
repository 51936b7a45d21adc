import { fr } from "@codegouvfr/react-dsfr";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Button from "@codegouvfr/react-dsfr/Button";
import Table from "@codegouvfr/react-dsfr/Table";
import { useQueryClient } from "@tanstack/react-query";
import {
  type AssetKind,
  assetKindLabels,
  assetKinds,
  assetSourceLabels,
  sensitiveServices,
} from "@vigie/contracts";
import { type FormEvent, type ReactNode, useState } from "react";
import { useSearchParams } from "react-router";
import { api } from "../../app/api.ts";
import { useCurrentUser } from "../../app/auth.tsx";
import { SelectField, TextField } from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { type ChosenStructure, StructureCombobox } from "../../app/StructureCombobox.tsx";
import { Loading, QueryError } from "../../app/ui.tsx";
import { focusLater } from "../alerting/focus.ts";
import { AssetForm, describe } from "./AssetForm.tsx";
import { type Asset, type AssetFilter, assetKeys, PAGE_SIZE, useAssets } from "./api.ts";
import { ImportForm } from "./ImportForm.tsx";

const TITLE = "Actifs exposés";

function useFilter(): [AssetFilter, (changes: Partial<AssetFilter>) => void] {
  const [params, setParams] = useSearchParams();
  const kind = params.get("type") ?? "";
  const filter: AssetFilter = {
    structure: params.get("structure") ?? "",
    kind: (assetKinds as readonly string[]).includes(kind) ? (kind as AssetKind) : "",
    q: params.get("q") ?? "",
    page: Math.max(1, Number(params.get("page")) || 1),
  };
  const update = (changes: Partial<AssetFilter>) => {
    const next = { ...filter, page: 1, ...changes };
    const query = new URLSearchParams();
    if (next.structure) query.set("structure", next.structure);
    if (next.kind) query.set("type", next.kind);
    if (next.q) query.set("q", next.q);
    if (next.page > 1) query.set("page", String(next.page));
    setParams(query, { replace: true });
  };
  return [filter, update];
}

const Intro = () => (
  <p>
    Les noms de domaine, adresses et plages IP, produits et services que vos structures exposent sur Internet.
    Le CERT Santé les rapproche chaque jour des vulnérabilités activement exploitées et vous prévient si l'un
    d'eux est concerné. Un nom de domaine ou une plage n'appartient qu'à une seule structure.
  </p>
);

/** /veille/actifs — a declarant's inventory, structure by structure. */
export function DeclarantAssetsPage() {
  usePageTitle(TITLE);
  const user = useCurrentUser();
  const structures = (user?.structures ?? []).filter((s) => s.status === "active");
  const [filter, update] = useFilter();
  const chosen =
    structures.find((s) => s.finessEt === filter.structure || s.structureId === filter.structure) ??
    structures[0];
  return (
    <>
      <Breadcrumb currentPageLabel={TITLE} homeLinkProps={{ to: "/" }} segments={[]} />
      <h1>{TITLE}</h1>
      <Intro />
      {structures.length === 0 ? (
        <p>Votre compte n'est rattaché à aucune structure active : l'inventaire n'est pas disponible.</p>
      ) : (
        <>
          {structures.length > 1 ? (
            <SelectField
              id="assets-structure"
              label="Structure"
              selectProps={{
                value: chosen?.finessEt ?? "",
                onChange: (event) => update({ structure: event.target.value }),
              }}
            >
              {structures.map((s) => (
                <option key={s.structureId} value={s.finessEt}>
                  {s.name} — FINESS {s.finessEt}
                </option>
              ))}
            </SelectField>
          ) : (
            <p>
              Structure : <strong>{chosen?.name}</strong> — FINESS {chosen?.finessEt}
            </p>
          )}
          {chosen ? (
            <Inventory
              key={chosen.finessEt}
              filter={{ ...filter, structure: chosen.finessEt }}
              update={update}
              structureName={chosen.name}
            />
          ) : null}
        </>
      )}
    </>
  );
}

/** /cert/veille/actifs — the CERT's view of every structure's inventory. */
export function CertAssetsPage() {
  usePageTitle(`${TITLE} des structures`);
  const [filter, update] = useFilter();
  const [chosen, setChosen] = useState<ChosenStructure | null>(
    filter.structure ? { finessEt: filter.structure, name: "" } : null,
  );
  return (
    <>
      <Breadcrumb currentPageLabel={`${TITLE} des structures`} homeLinkProps={{ to: "/" }} segments={[]} />
      <h1>{TITLE} des structures</h1>
      <p>
        L'inventaire de toutes les structures. Choisissez une structure pour ajouter, modifier ou importer ses
        actifs ; sans structure choisie, la liste porte sur toutes.
      </p>
      <StructureCombobox
        id="assets-structure"
        label="Structure"
        optional
        value={chosen ? [chosen] : []}
        onChange={(list) => {
          const last = list[list.length - 1] ?? null;
          setChosen(last);
          update({ structure: last?.finessEt ?? "" });
        }}
      />
      <Inventory
        key={filter.structure || "toutes"}
        filter={filter}
        update={update}
        structureName={chosen?.name || (chosen ? `FINESS ${chosen.finessEt}` : undefined)}
        showStructure={!filter.structure}
      />
    </>
  );
}

function Inventory(props: {
  filter: AssetFilter;
  update: (changes: Partial<AssetFilter>) => void;
  structureName?: string | undefined;
  showStructure?: boolean;
}) {
  const { filter, update, structureName, showStructure = false } = props;
  const queryClient = useQueryClient();
  const assets = useAssets(filter);
  const [editing, setEditing] = useState<Asset | null>(null);
  const [confirming, setConfirming] = useState<Asset | null>(null);
  const [message, setMessage] = useState("");
  const [deleteError, setDeleteError] = useState<unknown>(null);
  const [q, setQ] = useState(filter.q);
  const refresh = () => queryClient.invalidateQueries({ queryKey: assetKeys.all });

  const remove = async (asset: Asset) => {
    setDeleteError(null);
    try {
      await api.delete(`/api/assets/${encodeURIComponent(asset.id)}`);
      setConfirming(null);
      if (editing?.id === asset.id) setEditing(null);
      await refresh();
      setMessage(`Actif retiré de l'inventaire : ${describe(asset)}.`);
      focusLater("assets-list-title");
    } catch (error) {
      setDeleteError(error);
      focusLater("assets-delete-confirm");
    }
  };

  const search = (event: FormEvent) => {
    event.preventDefault();
    update({ q: q.trim() });
  };

  const items = assets.data?.items ?? [];
  const total = assets.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const actions = (asset: Asset): ReactNode => (
    <div className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm", "fr-btns-group--sm")}>
      <Button
        size="small"
        priority="secondary"
        iconId="fr-icon-edit-line"
        onClick={() => {
          setEditing(asset);
          setMessage("");
          focusLater("asset-form-anchor");
        }}
      >
        Modifier<span className={fr.cx("fr-sr-only")}> {describe(asset)}</span>
      </Button>
      <Button
        size="small"
        priority="tertiary"
        iconId="fr-icon-delete-line"
        onClick={() => {
          setConfirming(asset);
          setDeleteError(null);
          focusLater("assets-delete-confirm");
        }}
      >
        Retirer<span className={fr.cx("fr-sr-only")}> {describe(asset)}</span>
      </Button>
    </div>
  );
  const common = (asset: Asset) => [
    asset.label ?? "—",
    asset.openTickets > 0 ? `${asset.openTickets} ouvert${asset.openTickets > 1 ? "s" : ""}` : "aucun",
    assetSourceLabels[asset.source],
    actions(asset),
  ];
  const structureCell = (asset: Asset) =>
    showStructure ? [`${asset.structureName} (${asset.structureFiness})`] : [];
  const structureHeader = showStructure ? ["Structure"] : [];
  const tail = ["Libellé", "Tickets", "Origine", "Actions"];
  const exposure = (asset: Asset) =>
    asset.host ? `${asset.host}${asset.port ? `:${asset.port}/${asset.transport ?? "tcp"}` : ""}` : "—";
  const tables: Record<AssetKind, { headers: string[]; row: (asset: Asset) => ReactNode[] }> = {
    domain: {
      headers: [...structureHeader, "Nom de domaine", ...tail],
      row: (a) => [...structureCell(a), a.value, ...common(a)],
    },
    ip: {
      headers: [...structureHeader, "Adresse", ...tail],
      row: (a) => [...structureCell(a), a.value, ...common(a)],
    },
    cidr: {
      headers: [...structureHeader, "Plage", ...tail],
      row: (a) => [...structureCell(a), a.value, ...common(a)],
    },
    product: {
      headers: [...structureHeader, "Éditeur", "Produit", "Version", "Exposé sur", ...tail],
      row: (a) => [
        ...structureCell(a),
        a.vendor ?? "—",
        a.product,
        a.version ?? "non précisée",
        exposure(a),
        ...common(a),
      ],
    },
    service: {
      headers: [...structureHeader, "Service", "Exposé sur", "Produit", ...tail],
      row: (a) => [
        ...structureCell(a),
        sensitiveServices[a.service as keyof typeof sensitiveServices]?.label ?? a.service,
        exposure(a),
        [a.vendor, a.product, a.version].filter(Boolean).join(" ") || "—",
        ...common(a),
      ],
    },
  };

  return (
    <>
      <form
        onSubmit={search}
        className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom", "fr-mt-2w")}
        aria-label="Filtrer l'inventaire"
      >
        <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
          <SelectField
            id="assets-kind"
            label="Type d'actif"
            selectProps={{
              value: filter.kind,
              onChange: (event) => update({ kind: event.target.value as AssetKind | "" }),
            }}
          >
            <option value="">Tous les types</option>
            {assetKinds.map((k) => (
              <option key={k} value={k}>
                {assetKindLabels[k]}
              </option>
            ))}
          </SelectField>
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-5")}>
          <TextField
            id="assets-q"
            label="Rechercher"
            optional
            hint="Domaine, adresse, produit, version, service, libellé"
            inputProps={{ type: "search", value: q, onChange: (event) => setQ(event.target.value) }}
          />
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
          <Button type="submit" iconId="fr-icon-search-line" className={fr.cx("fr-mb-3v")}>
            Filtrer
          </Button>
        </div>
      </form>

      <p role="status" aria-live="polite" className={fr.cx("fr-text--bold")}>
        {message}
      </p>

      {confirming ? (
        <div
          id="assets-delete-confirm"
          tabIndex={-1}
          className={fr.cx("fr-alert", "fr-alert--warning", "fr-mb-3w")}
        >
          <h2 className={fr.cx("fr-alert__title")}>Retirer « {describe(confirming)} » de l'inventaire ?</h2>
          <p>
            Il ne sera plus surveillé
            {confirming.openTickets > 0
              ? ` et ses ${confirming.openTickets} ticket${confirming.openTickets > 1 ? "s" : ""} ouvert${confirming.openTickets > 1 ? "s" : ""} seront clos (« corrigé »)`
              : ""}
            .
          </p>
          {deleteError ? <QueryError error={deleteError} title="Retrait impossible" /> : null}
          <div className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm", "fr-mt-2w")}>
            <Button iconId="fr-icon-delete-line" onClick={() => void remove(confirming)}>
              Confirmer le retrait
            </Button>
            <Button priority="secondary" onClick={() => setConfirming(null)}>
              Annuler
            </Button>
          </div>
        </div>
      ) : null}

      <section aria-labelledby="assets-list-title">
        <h2 id="assets-list-title" tabIndex={-1}>
          Inventaire{assets.data ? ` (${total} actif${total > 1 ? "s" : ""})` : ""}
        </h2>
        {assets.isPending ? (
          <Loading />
        ) : assets.error ? (
          <QueryError error={assets.error} />
        ) : items.length === 0 ? (
          <p>
            {filter.kind || filter.q
              ? "Aucun actif ne correspond à ces critères."
              : "Aucun actif déclaré pour l'instant."}
          </p>
        ) : (
          assetKinds
            .filter((kind) => items.some((a) => a.kind === kind))
            .map((kind) => (
              <Table
                key={kind}
                className={fr.cx("fr-mb-4w")}
                caption={`${assetKindLabels[kind]} (${items.filter((a) => a.kind === kind).length})`}
                headers={tables[kind].headers}
                data={items.filter((a) => a.kind === kind).map(tables[kind].row)}
              />
            ))
        )}
        {pages > 1 ? (
          <nav
            aria-label="Pages de l'inventaire"
            className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm")}
          >
            <Button
              priority="secondary"
              disabled={filter.page <= 1}
              onClick={() => update({ page: filter.page - 1 })}
            >
              Page précédente
            </Button>
            <span className={fr.cx("fr-mx-2w")}>
              Page {filter.page} sur {pages}
            </span>
            <Button
              priority="secondary"
              disabled={filter.page >= pages}
              onClick={() => update({ page: filter.page + 1 })}
            >
              Page suivante
            </Button>
          </nav>
        ) : null}
      </section>

      <div id="asset-form-anchor" tabIndex={-1} />
      {filter.structure || editing ? (
        <AssetForm
          structure={filter.structure || null}
          structureName={structureName}
          editing={editing}
          onSaved={async (asset, created) => {
            await refresh();
            if (!created) {
              setEditing(null);
              setMessage(`Actif modifié : ${describe(asset)}.`);
              focusLater("assets-list-title");
            }
          }}
          onCancel={() => setEditing(null)}
        />
      ) : (
        <p className={fr.cx("fr-mt-4w")}>
          Choisissez une structure pour lui ajouter des actifs ou importer un fichier.
        </p>
      )}
      {filter.structure ? (
        <ImportForm structure={filter.structure} structureName={structureName} onImported={refresh} />
      ) : null}
    </>
  );
}
