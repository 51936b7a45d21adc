import { fr } from "@codegouvfr/react-dsfr";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Button from "@codegouvfr/react-dsfr/Button";
import Table from "@codegouvfr/react-dsfr/Table";
import { useState } from "react";
import { Link } from "react-router";
import { useCurrentUser } from "../../app/auth.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, QueryError } from "../../app/ui.tsx";
import { CONTACTS_PATH, type RuleSet, useCurrentRuleSet, useRuleSets } from "./api.ts";
import { RuleList } from "./conditions.tsx";
import { focusLater } from "./focus.ts";
import { editorStorage, RuleSetEditor } from "./RuleSetEditor.tsx";
import { type EditorState, toEditorRules, toInput } from "./rule-model.ts";
import "./alerting.css";

const statusLabels: Record<RuleSet["status"], string> = {
  published: "En vigueur",
  draft: "Brouillon",
  retired: "Retirée",
  default: "Règles intégrées",
};
const statusSeverity: Record<RuleSet["status"], "success" | "new" | undefined> = {
  published: "success",
  draft: "new",
  retired: undefined,
  default: "success",
};

export function RuleSetStatus({ view }: { view: RuleSet }) {
  return (
    <Badge as="span" small severity={statusSeverity[view.status]} noIcon>
      {view.status === "default" ? "Règles intégrées (en vigueur)" : statusLabels[view.status]}
    </Badge>
  );
}

/** "Version 3, publiée le 02/12/2026 10:15 par Claire Martin", "Règles intégrées (version 0)". */
function describe(view: RuleSet): string {
  if (view.version === 0)
    return "Règles intégrées (version 0) : elles s'appliquent tant qu'aucune version n'est publiée.";
  const published = view.publishedAt ? `, publiée le ${formatDateTime(view.publishedAt)}` : "";
  const by = view.createdBy ? ` — créée par ${view.createdBy}` : "";
  return `Version ${view.version}${published}${by}.`;
}

function editorFrom(view: RuleSet, asDraft: boolean): EditorState {
  const rules = toEditorRules(view.rules);
  const state = {
    rules,
    comment: asDraft ? (view.comment ?? "") : "",
    draftVersion: asDraft ? view.version : null,
    basedOn: asDraft ? null : view.version,
  };
  return { ...state, saved: asDraft ? JSON.stringify(toInput(state)) : null };
}

/**
 * /cert/alertes/regles — the alerting rules in force, readable in French, and their versions;
 * for the CERT lead, a new version: edited, tried on past cases, saved as a draft, published.
 */
export function RulesPage() {
  usePageTitle("Règles d'alerte des autorités");
  const user = useCurrentUser();
  const canManage = user?.permissions.includes("alert_rules:manage") ?? false;
  const current = useCurrentRuleSet();
  const versions = useRuleSets();
  const [editor, setEditor] = useState<EditorState | null>(() => (canManage ? editorStorage.read() : null));
  const [editorKey, setEditorKey] = useState(0);
  const [shown, setShown] = useState<number | null>(null);
  const [message, setMessage] = useState("");

  const open = (state: EditorState) => {
    setMessage("");
    setEditor(state);
    setEditorKey((k) => k + 1);
    focusLater("rules-editor-title");
  };
  const shownVersion = versions.data?.find((v) => v.version === shown) ?? null;

  return (
    <>
      <Breadcrumb
        currentPageLabel="Règles d'alerte"
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Déclarations reçues", linkProps: { to: "/cert/declarations" } }]}
      />
      <h1>Règles d'alerte des autorités</h1>
      <p>
        Ces règles décident à quelles autorités le CERT propose d'alerter pour chaque cas : FSSI, DGS /
        CORRUSS, agences sanitaires, ANSSI et ARS de la région. Les alertes partent aux{" "}
        <Link className={fr.cx("fr-link")} to={CONTACTS_PATH}>
          adresses des destinataires
        </Link>
        .
      </p>
      <p role="status" aria-live="polite" className={fr.cx("fr-text--bold")}>
        {message}
      </p>

      <section aria-labelledby="rules-current-title" className="vigie-rules-section">
        <h2 id="rules-current-title" tabIndex={-1}>
          Règles en vigueur
        </h2>
        {current.isPending ? (
          <Loading />
        ) : current.error ? (
          <QueryError error={current.error} />
        ) : (
          <>
            <p className={`vigie-badges ${fr.cx("fr-mb-1w")}`}>
              <RuleSetStatus view={current.data} />
            </p>
            <p>{describe(current.data)}</p>
            {current.data.comment ? (
              <p className={fr.cx("fr-text--sm")}>
                Commentaire : <span className="vigie-multiline">{current.data.comment}</span>
              </p>
            ) : null}
            <RuleList rules={current.data.rules} />
          </>
        )}
      </section>

      {canManage ? (
        <section aria-label="Modifier les règles" className="vigie-rules-section">
          {editor ? (
            <RuleSetEditor
              key={editorKey}
              initial={editor}
              currentVersion={current.data?.version ?? null}
              onClose={(closing) => {
                setEditor(null);
                setMessage(closing ?? "");
                focusLater("rules-new");
              }}
              onPublished={(view) => {
                setEditor(null);
                setMessage(`Version ${view.version} publiée : elle s'applique dès maintenant.`);
                focusLater("rules-current-title");
              }}
            />
          ) : (
            <>
              <h2 className={fr.cx("fr-h3")}>Nouvelle version</h2>
              <p>
                Une nouvelle version part des règles en vigueur. Essayez-la sur les cas passés avant de la
                publier.
              </p>
              <Button
                iconId="fr-icon-edit-line"
                nativeButtonProps={{ id: "rules-new" }}
                disabled={!current.data}
                onClick={() => current.data && open(editorFrom(current.data, false))}
              >
                Nouvelle version
              </Button>
            </>
          )}
        </section>
      ) : null}

      <section aria-labelledby="rules-versions-title" className="vigie-rules-section">
        <h2 id="rules-versions-title">Versions</h2>
        {versions.isPending ? (
          <Loading />
        ) : versions.error ? (
          <QueryError error={versions.error} />
        ) : (
          <Table
            caption="Versions des règles d'alerte, de la plus récente à la plus ancienne"
            noCaption
            headers={["Version", "État", "Créée", "Publiée le", "Commentaire", "Règles"]}
            data={versions.data.map((v) => [
              v.version === 0 ? "0 (intégrée)" : String(v.version),
              <RuleSetStatus key="status" view={v} />,
              v.createdAt ? `${formatDateTime(v.createdAt)}${v.createdBy ? ` par ${v.createdBy}` : ""}` : "—",
              formatDateTime(v.publishedAt),
              v.comment ?? "—",
              <Button
                key="show"
                size="small"
                priority="tertiary"
                nativeButtonProps={{ "aria-expanded": shown === v.version, "aria-controls": "rules-shown" }}
                onClick={() => {
                  setShown(shown === v.version ? null : v.version);
                  if (shown !== v.version) focusLater("rules-shown-title");
                }}
              >
                {shown === v.version ? `Masquer la version ${v.version}` : `Afficher la version ${v.version}`}
              </Button>,
            ])}
          />
        )}
        <div id="rules-shown">
          {shownVersion ? (
            <section aria-labelledby="rules-shown-title" className="vigie-rules-shown">
              <h3 id="rules-shown-title" className={fr.cx("fr-h5")} tabIndex={-1}>
                Version {shownVersion.version} — {statusLabels[shownVersion.status]}
              </h3>
              <p>{describe(shownVersion)}</p>
              {canManage && !editor ? (
                <p>
                  {shownVersion.status === "draft" ? (
                    <Button
                      priority="secondary"
                      size="small"
                      onClick={() => open(editorFrom(shownVersion, true))}
                    >
                      Reprendre le brouillon {shownVersion.version}
                    </Button>
                  ) : (
                    <Button
                      priority="secondary"
                      size="small"
                      onClick={() => open(editorFrom(shownVersion, false))}
                    >
                      Nouvelle version à partir de la version {shownVersion.version}
                    </Button>
                  )}
                </p>
              ) : null}
              <RuleList rules={shownVersion.rules} headingLevel={4} />
            </section>
          ) : null}
        </div>
      </section>
    </>
  );
}
