import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Button from "@codegouvfr/react-dsfr/Button";
import { type FormEvent, useId, useState } from "react";
import { isApiError } from "../../app/api.ts";
import { FileInputField, useFileInput } from "../../app/upload.tsx";
import { focusLater } from "../alerting/focus.ts";
import { useAuditActions } from "./api.ts";

const MAX_BYTES = 20_000_000;

/** What the import kept and ignored (`CtImportReport` of the core), in words. */
function describeReport(answer: unknown): string {
  const report = (answer ?? {}) as { kept?: unknown; ignored?: unknown; read?: unknown };
  if (typeof report.kept !== "number")
    return "Les noms du fichier ont été ajoutés à la découverte des audits.";
  const kept = report.kept;
  const ignored = typeof report.ignored === "number" ? report.ignored : 0;
  const read = typeof report.read === "number" ? report.read : kept + ignored;
  return `${read} nom${read > 1 ? "s" : ""} lu${read > 1 ? "s" : ""} : ${kept} retenu${kept > 1 ? "s" : ""} pour la découverte des audits, ${ignored} ignoré${ignored > 1 ? "s" : ""} (hors de vos domaines ou invalides).`;
}

/**
 * Upload of a certificate transparency export (crt.sh JSON or CSV): the names found are added
 * to the audit's discovery of the structure's hosts, within the perimeter only.
 */
export function CtImportForm(props: { structureId: string; ctNames: number }) {
  const { structureId, ctNames } = props;
  const uid = useId();
  const resultId = `${uid}-result`;
  const fileInput = useFileInput({
    maxBytes: MAX_BYTES,
    missing: "Fichier d'export : choisissez le fichier à importer.",
    tooLarge: "Fichier d'export : le fichier dépasse 20 Mo.",
  });
  const actions = useAuditActions();
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setResult(null);
    const file = fileInput.pick();
    if (!file) return;
    setBusy(true);
    try {
      const answer = await actions.ctImport(structureId, file);
      setResult({ ok: true, text: describeReport(answer) });
    } catch (error) {
      if (isApiError(error) && error.fields.length > 0) {
        fileInput.fail(`Fichier d'export : ${error.fields.map((f) => f.message).join(" ")}`);
        return;
      }
      setResult({ ok: false, text: isApiError(error) ? error.message : "L'import a échoué." });
    } finally {
      setBusy(false);
    }
    focusLater(resultId);
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${uid}-title`}>
      <h3 id={`${uid}-title`}>Importer un export de transparence des certificats</h3>
      <p>
        Les journaux publics de transparence des certificats listent les noms pour lesquels un certificat a
        été émis. Exportez ceux de vos domaines (par exemple depuis crt.sh, au format JSON ou CSV) et importez
        le fichier : l'audit découvrira ainsi des sous-domaines oubliés. Seuls les noms de votre périmètre
        sont retenus.
      </p>
      <p>
        {ctNames > 0
          ? `${ctNames} nom${ctNames > 1 ? "s" : ""} déjà connu${ctNames > 1 ? "s" : ""} par ce moyen.`
          : "Aucun nom importé pour l'instant."}
      </p>
      <FileInputField
        input={fileInput}
        label="Fichier d'export"
        hint="JSON ou CSV, 20 Mo au maximum."
        accept=".json,.csv,.txt,application/json,text/csv,text/plain"
      />
      <Button type="submit" iconId="fr-icon-upload-line" className={fr.cx("fr-mt-2w")} disabled={busy}>
        {busy ? "Import en cours…" : "Importer l'export"}
      </Button>
      <div id={resultId} tabIndex={-1} className={fr.cx("fr-mt-3w")}>
        {result ? (
          <Alert
            small
            severity={result.ok ? "success" : "error"}
            title={result.ok ? "Import terminé" : "Import impossible"}
            description={result.text}
          />
        ) : null}
      </div>
    </form>
  );
}
