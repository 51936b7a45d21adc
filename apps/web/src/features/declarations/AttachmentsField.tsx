import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Button from "@codegouvfr/react-dsfr/Button";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { attachmentLimits } from "@vigie/contracts";
import { type ChangeEvent, useRef, useState } from "react";
import { ApiError, isApiError } from "../../app/api.ts";
import { deleteAttachment, formatSize, limitsText, uploadFiles } from "./api.ts";
import type { Attachment } from "./draft.ts";

interface Refused {
  fileName: string;
  reason: string;
}

/** The reason without the file name the server may repeat (« a.pdf » : …), capitalised. */
function reasonText(refused: Refused): string {
  const prefix = `« ${refused.fileName} » : `;
  const text = refused.reason.startsWith(prefix) ? refused.reason.slice(prefix.length) : refused.reason;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * File picker that uploads each chosen file at once under `pendingKey`. Refused files are listed
 * with their reason; the accepted ones stay. A file that could not be sent (network) can be
 * sent again.
 */
export function AttachmentsField(props: {
  id: string;
  pendingKey: string;
  value: Attachment[];
  onChange: (value: Attachment[]) => void;
  label?: string;
  /** What to attach, before the limits. */
  hint?: string;
}) {
  const { id, pendingKey, value, onChange, label = "Ajouter des fichiers", hint } = props;
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState("");
  const [refused, setRefused] = useState<Refused[]>([]);
  const [unsent, setUnsent] = useState<File[]>([]);
  const current = useRef(value);
  current.current = value;

  const send = async (files: File[]) => {
    const accepted: File[] = [];
    const refusedNow: Refused[] = [];
    let count = current.current.length;
    let total = current.current.reduce((sum, a) => sum + a.size, 0);
    for (const file of files) {
      if (file.size === 0) refusedNow.push({ fileName: file.name, reason: "Le fichier est vide." });
      else if (file.size > attachmentLimits.maxFileBytes)
        refusedNow.push({
          fileName: file.name,
          reason: `Fichier trop volumineux (${formatSize(attachmentLimits.maxFileBytes)} au maximum par fichier).`,
        });
      else if (count + 1 > attachmentLimits.maxFiles || total + file.size > attachmentLimits.maxTotalBytes)
        refusedNow.push({
          fileName: file.name,
          reason: `Limite atteinte (${limitsText.split(",")[0]}).`,
        });
      else {
        accepted.push(file);
        count += 1;
        total += file.size;
      }
    }
    setRefused(refusedNow);
    if (accepted.length === 0) {
      setStatus(refusedNow.length > 0 ? "Aucun fichier ajouté." : "");
      return;
    }
    setBusy(true);
    setStatus(
      accepted.length > 1 ? `Envoi de ${accepted.length} fichiers…` : `Envoi de ${accepted[0]?.name}…`,
    );
    try {
      const result = await uploadFiles(pendingKey, accepted);
      const all = [
        ...refusedNow,
        ...result.rejected.map((r) => ({ fileName: r.fileName, reason: r.reason })),
      ];
      setRefused(all);
      setUnsent((list) => list.filter((f) => !accepted.includes(f)));
      if (result.items.length > 0) onChange([...current.current, ...result.items]);
      const n = result.items.length;
      setStatus(
        `${n === 0 ? "Aucun fichier ajouté" : n === 1 ? "1 fichier ajouté" : `${n} fichiers ajoutés`}${all.length > 0 ? ` ; ${all.length} refusé${all.length > 1 ? "s" : ""}` : ""}.`,
      );
    } catch (error) {
      if (error instanceof ApiError && error.code !== "NETWORK" && error.status < 500) {
        // Every file was refused: the answer names each one with its reason.
        const named = Array.isArray(error.details.rejected)
          ? (error.details.rejected as Partial<Refused>[]).filter((r) => r.fileName && r.reason)
          : [];
        setRefused([
          ...refusedNow,
          ...(named.length > 0
            ? (named as Refused[])
            : accepted.map((f) => ({ fileName: f.name, reason: error.message }))),
        ]);
        setStatus("Fichiers refusés.");
      } else {
        setUnsent((list) => [...list.filter((f) => !accepted.includes(f)), ...accepted]);
        setStatus(
          "L'envoi des fichiers a échoué. Vos réponses sont conservées ; réessayez l'envoi des fichiers.",
        );
      }
    } finally {
      setBusy(false);
    }
  };

  const onPick = (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    // Let the same file be picked again later (after a removal, say).
    event.target.value = "";
    if (files.length > 0) void send(files);
  };

  const remove = async (attachment: Attachment) => {
    setStatus(`Suppression de ${attachment.fileName}…`);
    try {
      await deleteAttachment(attachment.id, pendingKey);
    } catch (error) {
      if (!isApiError(error, "NOT_FOUND")) {
        setStatus(`${attachment.fileName} n'a pas pu être supprimé. Réessayez.`);
        return;
      }
    }
    onChange(current.current.filter((a) => a.id !== attachment.id));
    setStatus(`${attachment.fileName} supprimé.`);
  };

  return (
    <div className={fr.cx("fr-mb-3w")}>
      <Upload
        label={
          <>
            {label} <span className="vigie-optional">(facultatif)</span>
          </>
        }
        hint={hint ? `${hint} ${limitsText}` : limitsText}
        multiple
        nativeInputProps={{ id, onChange: onPick, disabled: busy }}
      />
      <p role="status" className={fr.cx("fr-text--sm", "fr-mt-1w", "fr-mb-1w")}>
        {status}
      </p>
      {refused.length > 0 ? (
        <Alert
          severity="error"
          small
          className={fr.cx("fr-mb-2w")}
          description={
            <>
              <p className={fr.cx("fr-mb-1w")}>
                {refused.length === 1
                  ? "Ce fichier n'a pas été ajouté :"
                  : "Ces fichiers n'ont pas été ajoutés :"}
              </p>
              <ul>
                {refused.map((r) => (
                  <li key={`${r.fileName}-${r.reason}`}>
                    <span className="vigie-filename">{r.fileName}</span> : {reasonText(r)}
                  </li>
                ))}
              </ul>
            </>
          }
        />
      ) : null}
      {unsent.length > 0 ? (
        <Alert
          severity="warning"
          small
          className={fr.cx("fr-mb-2w")}
          description={
            <>
              <p className={fr.cx("fr-mb-1w")}>
                Non envoyé{unsent.length > 1 ? "s" : ""} (connexion) : {unsent.map((f) => f.name).join(", ")}
              </p>
              <Button
                type="button"
                size="small"
                priority="secondary"
                disabled={busy}
                onClick={() => send(unsent)}
              >
                Réessayer l'envoi des fichiers
              </Button>
            </>
          }
        />
      ) : null}
      {value.length > 0 ? (
        <>
          <p className={fr.cx("fr-text--sm", "fr-mb-1w")} id={`${id}-liste`}>
            Fichiers joints ({value.length}) :
          </p>
          <ul className={fr.cx("fr-raw-list")} aria-labelledby={`${id}-liste`}>
            {value.map((attachment) => (
              <li key={attachment.id} className="vigie-file">
                <span className="fr-icon-file-line" aria-hidden="true" />
                <span className="vigie-file__name">
                  <span className="vigie-filename">{attachment.fileName}</span>{" "}
                  <span className={fr.cx("fr-text--xs")}>({formatSize(attachment.size)})</span>
                </span>
                <Button
                  type="button"
                  priority="tertiary no outline"
                  size="small"
                  iconId="fr-icon-delete-line"
                  title={`Supprimer ${attachment.fileName}`}
                  onClick={() => remove(attachment)}
                  nativeButtonProps={{ "aria-label": `Supprimer ${attachment.fileName}` }}
                />
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
