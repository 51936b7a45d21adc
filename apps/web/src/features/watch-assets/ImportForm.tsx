import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Button from "@codegouvfr/react-dsfr/Button";
import Table from "@codegouvfr/react-dsfr/Table";
import { assetCsvColumns, assetCsvTemplate } from "@vigie/contracts";
import { type FormEvent, useId, useState } from "react";
import { api, isApiError } from "../../app/api.ts";
import { FileInputField, useFileInput } from "../../app/upload.tsx";
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
  const resultId = `${uid}-result`;
  const fileInput = useFileInput({
    maxBytes: 2_000_000,
    missing: "Choisissez le fichier CSV à importer.",
    tooLarge: "Le fichier dépasse 2 Mo : découpez-le.",
  });
  const [report, setReport] = useState<ImportReport | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setReport(null);
    setFailure(null);
    const file = fileInput.pick();
    if (!file) return;
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
      <FileInputField input={fileInput} label="Fichier CSV" hint="2 Mo au maximum." accept=".csv,text/csv" />
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
