import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Button from "@codegouvfr/react-dsfr/Button";
import Table from "@codegouvfr/react-dsfr/Table";
import { assetCsvColumns, assetCsvTemplate } from "@vigie/contracts";
import { type FormEvent, useId, useRef, useState } from "react";
import { api, isApiError } from "../../app/api.ts";
import { focusLater } from "../alerting/focus.ts";
import type { ImportReport } from "./api.ts";

const TEMPLATE_HREF = `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${assetCsvTemplate}`)}`;
const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/**
 * CSV import into one structure's inventory: every line is checked before anything is written;
 * the problems are listed with their line and column, and nothing is imported until they are
 * all corrected.
 */
export function ImportForm(props: {
  structure: string;
  structureName?: string;
  onImported: () => Promise<void>;
}) {
  const { structure, structureName, onImported } = props;
  const uid = useId();
  const inputId = `${uid}-file`;
  const errorId = `${uid}-error`;
  const resultId = `${uid}-result`;
  const fileRef = useRef<HTMLInputElement>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setReport(null);
    setFailure(null);
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setFileError("Choisissez le fichier CSV à importer.");
      fileRef.current?.focus();
      return;
    }
    if (file.size > 2_000_000) {
      setFileError("Le fichier dépasse 2 Mo : découpez-le.");
      fileRef.current?.focus();
      return;
    }
    setFileError(null);
    setBusy(true);
    try {
      const content = await file.text();
      const result = await api.post<ImportReport>("/api/assets/import", { structure, content });
      setReport(result);
      await onImported();
    } catch (error) {
      const rejected = isApiError(error, "IMPORT_REJECTED")
        ? ((error.details as { report?: ImportReport }).report ?? null)
        : null;
      if (rejected) setReport(rejected);
      else if (isApiError(error) && error.fields.length > 0)
        setFailure(error.fields.map((f) => f.message).join(" "));
      else setFailure(isApiError(error) ? error.message : "L'import a échoué.");
    } finally {
      setBusy(false);
      focusLater(resultId);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${uid}-title`} className={fr.cx("fr-mt-6w")}>
      <h2 id={`${uid}-title`}>Importer un fichier CSV{structureName ? ` — ${structureName}` : ""}</h2>
      <p>
        Une ligne par actif, colonnes <code>{assetCsvColumns.join(";")}</code> (séparateur « ; » ou « , »,
        encodage UTF-8). Le type vaut domaine, ip, plage, produit ou service. Un actif déjà présent est laissé
        tel quel : vous pouvez réimporter le même fichier.{" "}
        <a
          className={fr.cx("fr-link", "fr-icon-download-line", "fr-link--icon-left")}
          href={TEMPLATE_HREF}
          download="modele-actifs-exposes.csv"
        >
          Télécharger le modèle CSV
        </a>
      </p>
      <div className={fr.cx("fr-upload-group", fileError ? "fr-input-group--error" : undefined)}>
        <label className={fr.cx("fr-label")} htmlFor={inputId}>
          Fichier CSV
          <span className={fr.cx("fr-hint-text")}>2 Mo au maximum.</span>
        </label>
        <input
          ref={fileRef}
          id={inputId}
          className={fr.cx("fr-upload")}
          type="file"
          accept=".csv,text/csv"
          aria-invalid={fileError ? true : undefined}
          aria-describedby={fileError ? errorId : undefined}
          onChange={() => setFileError(null)}
        />
        {fileError ? (
          <p id={errorId} className={fr.cx("fr-error-text")}>
            {fileError}
          </p>
        ) : null}
      </div>
      <Button type="submit" iconId="fr-icon-upload-line" className={fr.cx("fr-mt-2w")} disabled={busy}>
        {busy ? "Import en cours…" : "Importer"}
      </Button>
      <div id={resultId} tabIndex={-1} className={fr.cx("fr-mt-3w")}>
        {failure ? (
          <Alert severity="error" title="Import impossible" description={failure} small={false} />
        ) : null}
        {report && report.rejected === 0 ? (
          <Alert
            severity="success"
            title="Import terminé"
            description={`${plural(report.lines, "ligne lue", "lignes lues")} : ${plural(report.added, "actif ajouté", "actifs ajoutés")}, ${plural(report.unchanged, "déjà présent", "déjà présents")}.`}
          />
        ) : null}
        {report && report.rejected > 0 ? (
          <>
            <Alert
              severity="error"
              title="Fichier refusé : rien n'a été importé"
              description={`${plural(report.rejected, "ligne rejetée", "lignes rejetées")} sur ${plural(report.lines, "ligne lue", "lignes lues")}. Corrigez-les puis importez à nouveau le fichier.`}
            />
            <Table
              className={fr.cx("fr-mt-2w")}
              caption="Problèmes relevés dans le fichier"
              headers={["Ligne", "Colonne", "Problème"]}
              data={report.problems.map((p) => [String(p.line), p.column ?? "—", p.message])}
            />
            {report.truncated ? (
              <p>D'autres problèmes n'ont pas été listés : corrigez d'abord ceux-ci.</p>
            ) : null}
          </>
        ) : null}
      </div>
    </form>
  );
}
