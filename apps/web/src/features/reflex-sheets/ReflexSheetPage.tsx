import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Button from "@codegouvfr/react-dsfr/Button";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { Link, useLocation, useParams, useSearchParams } from "react-router";
import { ApiError, api } from "../../app/api.ts";
import { useCan } from "../../app/auth.tsx";
import { Markdown } from "../../app/markdown.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, QueryError } from "../../app/ui.tsx";
import { ConfirmPanel } from "../oncall/ConfirmPanel.tsx";
import { categoryLabel, kindLabel, LIBRARY_PATH, type SheetView, sheetKeys, tlpShort } from "./api.ts";
import "./reflex-sheets.css";

/** /cert/fiches-reflexes/:id — a sheet, one of its versions (`?version=N`) and its history. */
export function ReflexSheetPage() {
  const { id = "" } = useParams();
  const [params] = useSearchParams();
  const saved = (useLocation().state as { saved?: string } | null)?.saved;
  const canManage = useCan("reflex_sheets:manage");
  const [status, setStatus] = useState("");
  const statusRef = useRef<HTMLParagraphElement>(null);
  const sheet = useQuery({
    queryKey: sheetKeys.sheet(id),
    queryFn: ({ signal }) =>
      api.get<SheetView>(`/api/reflex-sheets/${encodeURIComponent(id)}`, undefined, signal),
  });
  const requested = Number(params.get("version") ?? "");
  const data = sheet.data;
  const shown = data
    ? (data.versions.find((v) => v.version === requested) ??
      data.versions.find((v) => v.version === data.currentVersion))
    : undefined;
  const isCurrent = shown?.version === data?.currentVersion;
  usePageTitle(
    data
      ? isCurrent
        ? `${data.title} — fiche réflexe`
        : `${data.title}, version ${shown?.version} — fiche réflexe`
      : sheet.error
        ? "Fiche introuvable"
        : "Fiche réflexe",
  );

  // Choosing a version in the history moves the focus to that version's heading.
  const versionHeading = useRef<HTMLHeadingElement>(null);
  const firstVersion = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the version asked changes
  useEffect(() => {
    if (firstVersion.current) {
      firstVersion.current = false;
      return;
    }
    versionHeading.current?.focus();
  }, [params.get("version")]);

  const breadcrumb = (
    <Breadcrumb
      currentPageLabel={data?.title ?? "Fiche"}
      homeLinkProps={{ to: "/" }}
      segments={[{ label: "Fiches réflexes", linkProps: { to: LIBRARY_PATH } }]}
    />
  );
  if (sheet.isPending) {
    return (
      <>
        {breadcrumb}
        <Loading />
      </>
    );
  }
  if (sheet.error || !data || !shown) {
    const missing = sheet.error instanceof ApiError && sheet.error.code === "NOT_FOUND";
    return (
      <>
        {breadcrumb}
        <h1>{missing ? "Fiche introuvable" : "Fiche réflexe"}</h1>
        <QueryError error={sheet.error} />
        <p>
          <Link className={fr.cx("fr-link")} to={LIBRARY_PATH}>
            Retour aux fiches réflexes
          </Link>
        </p>
      </>
    );
  }

  const versionLink = (version: number) => {
    const next = new URLSearchParams(params);
    if (version === data.currentVersion) next.delete("version");
    else next.set("version", String(version));
    return next;
  };

  return (
    <>
      {breadcrumb}
      {saved ? (
        <div role="status">
          <Alert severity="success" small className={fr.cx("fr-mb-3w")} description={saved} />
        </div>
      ) : null}
      <h1>{data.title}</h1>
      <p className="vigie-badges">
        <Badge small noIcon severity="info">
          {kindLabel(data.kind)}
        </Badge>
        <Badge small noIcon>
          {categoryLabel(data.category)}
        </Badge>
        <Badge small noIcon>
          {tlpShort(data.tlp)}
        </Badge>
        {data.archivedAt ? (
          <Badge small noIcon severity="warning">
            Archivée
          </Badge>
        ) : null}
      </p>
      <dl className="vigie-dl">
        <dt>Identifiant court</dt>
        <dd>
          <code>{data.slug}</code>
        </dd>
        <dt>Catégorie</dt>
        <dd>{categoryLabel(data.category)}</dd>
        <dt>Version actuelle</dt>
        <dd>Version {data.currentVersion}</dd>
        <dt>Mise à jour</dt>
        <dd>{formatDateTime(data.updatedAt)}</dd>
        {data.archivedAt ? (
          <>
            <dt>Archivée le</dt>
            <dd>{formatDateTime(data.archivedAt)}</dd>
          </>
        ) : null}
      </dl>
      {canManage && !data.archivedAt ? (
        <ManageActions
          sheet={data}
          onArchived={() => {
            setStatus("Fiche archivée : elle reste consultable, mais n'est plus proposée ni envoyée.");
            requestAnimationFrame(() => statusRef.current?.focus());
          }}
        />
      ) : null}
      <p ref={statusRef} tabIndex={-1} role="status" className={fr.cx("fr-text--bold")}>
        {status}
      </p>

      <section aria-labelledby="version-title" className={fr.cx("fr-mt-4w")}>
        <h2 id="version-title" ref={versionHeading} tabIndex={-1}>
          Version {shown.version}
          {isCurrent ? " (version actuelle)" : ""}
        </h2>
        {!isCurrent ? (
          <Alert
            severity="info"
            small
            className={fr.cx("fr-mb-3w")}
            description={
              <>
                Ancienne version, conservée telle qu'elle a été enregistrée.{" "}
                <Link to={{ search: versionLink(data.currentVersion).toString() }}>
                  Consulter la version actuelle (version {data.currentVersion})
                </Link>
              </>
            }
          />
        ) : null}
        <p className={fr.cx("fr-text--sm")}>
          Enregistrée le {formatDateTime(shown.createdAt)} par {shown.createdBy} — {tlpShort(shown.tlp)}
          {shown.changeNote ? (
            <>
              <br />
              Note de modification : {shown.changeNote}
            </>
          ) : null}
        </p>
        {shown.title !== data.title ? <p className={fr.cx("fr-text--lead")}>{shown.title}</p> : null}
        <div className="vigie-sheet-body">
          <Markdown source={shown.body} headingLevel={3} />
        </div>
      </section>

      <section aria-labelledby="history-title" className={fr.cx("fr-mt-6w")}>
        <h2 id="history-title">Historique des versions</h2>
        <ul className="vigie-history">
          {data.versions.map((v) => (
            <li key={v.version}>
              {v.version === shown.version ? (
                <strong aria-current="true">
                  Version {v.version} (affichée){v.version === data.currentVersion ? " — actuelle" : ""}
                </strong>
              ) : (
                <Link to={{ search: versionLink(v.version).toString() }}>
                  Consulter la version {v.version}
                  {v.version === data.currentVersion ? " (actuelle)" : ""}
                </Link>
              )}
              <br />
              <span className={fr.cx("fr-text--sm")}>
                {formatDateTime(v.createdAt)}, par {v.createdBy}
                {v.changeNote ? ` — ${v.changeNote}` : ""}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

/** Edit and archive, for the CERT lead; archiving asks for a confirmation first. */
function ManageActions({ sheet, onArchived }: { sheet: SheetView; onArchived: () => void }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const archiveButton = useRef<HTMLButtonElement>(null);
  return (
    <>
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--icon-left")}>
        <li>
          <Link
            className={fr.cx("fr-btn", "fr-icon-edit-line", "fr-btn--icon-left")}
            to={`${LIBRARY_PATH}/${sheet.id}/modifier`}
          >
            Modifier (version {sheet.currentVersion + 1})
          </Link>
        </li>
        <li>
          <Button
            ref={archiveButton}
            priority="secondary"
            iconId="fr-icon-archive-line"
            onClick={() => setConfirming(true)}
            disabled={confirming}
          >
            Archiver la fiche
          </Button>
        </li>
      </ul>
      {confirming ? (
        <ConfirmPanel
          id="archive-confirm"
          title={`Archiver « ${sheet.title} » ?`}
          confirmLabel="Confirmer l'archivage"
          onCancel={() => {
            setConfirming(false);
            requestAnimationFrame(() => archiveButton.current?.focus());
          }}
          onConfirm={async () => {
            await api.delete(`/api/reflex-sheets/${encodeURIComponent(sheet.id)}`);
            await queryClient.invalidateQueries({ queryKey: sheetKeys.lists });
            await queryClient.invalidateQueries({ queryKey: sheetKeys.sheet(sheet.id) });
            onArchived();
          }}
        >
          <p className={fr.cx("fr-mb-0")}>
            La fiche ne sera plus proposée ni envoyée aux déclarants. Elle et ses versions restent
            consultables.
          </p>
        </ConfirmPanel>
      ) : null}
    </>
  );
}
