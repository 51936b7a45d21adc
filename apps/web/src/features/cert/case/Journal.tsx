import { fr } from "@codegouvfr/react-dsfr";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Button from "@codegouvfr/react-dsfr/Button";
import { zodResolver } from "@hookform/resolvers/zod";
import { NoteRequest, tlp } from "@vigie/contracts";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { api } from "../../../app/api.ts";
import { ErrorSummary, fieldError, SelectField, TextField, useFormFeedback } from "../../../app/forms.tsx";
import { formatDateTime, Loading, QueryError } from "../../../app/ui.tsx";
import { AttachmentLinks } from "../../declarations/Thread.tsx";
import { casePath, type Journal, useJournal } from "./api.ts";
import { fieldLabel, formatValue, journalKindLabels, messageKindLabel, technicalKeys } from "./labels.ts";
import { TlpBadge } from "./TlpBadge.tsx";

const changeKinds = new Set(["field_change", "qualification", "status_change"]);
const EXCERPT = 400;

const isChange = (entry: Journal) => changeKinds.has(entry.kind) || entry.field !== null;

/** One field old → new (only the new value when there was none before). */
function ChangeLine({ entry }: { entry: Journal }) {
  const field = entry.field ?? (entry.kind === "status_change" ? "status" : null);
  const empty =
    entry.oldValue === null ||
    entry.oldValue === undefined ||
    entry.oldValue === "" ||
    (Array.isArray(entry.oldValue) && entry.oldValue.length === 0);
  return (
    <>
      {field ? <strong>{fieldLabel(field)} : </strong> : null}
      {empty ? null : (
        <>
          <span>{formatValue(field, entry.oldValue)}</span>
          <span aria-hidden="true"> → </span>
          <span className={fr.cx("fr-sr-only")}> devient </span>
        </>
      )}
      <span>{formatValue(field, entry.newValue)}</span>
    </>
  );
}

/** What a journal line carried besides its text: the facts of its value. */
function Facts({ entry }: { entry: Journal }) {
  if (entry.kind === "message" || entry.kind === "reflex_sheet" || entry.newValue == null) return null;
  if (typeof entry.newValue !== "object" || Array.isArray(entry.newValue)) {
    return <p className={fr.cx("fr-text--sm", "fr-mb-0")}>{formatValue(null, entry.newValue)}</p>;
  }
  const facts = Object.entries(entry.newValue as Record<string, unknown>).filter(
    ([key, value]) => !technicalKeys.has(key) && value !== null && value !== undefined,
  );
  if (facts.length === 0) return null;
  return (
    <ul className={`vigie-journal__facts ${fr.cx("fr-text--sm", "fr-mb-0")}`}>
      {facts.map(([key, value]) => (
        <li key={key}>
          {fieldLabel(key)} : {formatValue(key, value)}
        </li>
      ))}
    </ul>
  );
}

/** A text of the journal; a long one (a reflex sheet, a long message) shows its beginning first. */
function Body({ text }: { text: string }) {
  if (text.length <= EXCERPT)
    return (
      <p className={fr.cx("fr-mb-0", "fr-mt-1v")}>
        <span className="vigie-multiline">{text}</span>
      </p>
    );
  return (
    <details className="vigie-journal__more fr-mt-1v">
      <summary>
        <span className="vigie-multiline vigie-journal__excerpt">{`${text.slice(0, EXCERPT).trimEnd()}…`}</span>{" "}
        <span className="vigie-journal__toggle vigie-journal__toggle--closed">Afficher le texte entier</span>
        <span className="vigie-journal__toggle vigie-journal__toggle--open">Replier le texte</span>
      </summary>
      <p className={fr.cx("fr-mb-0")}>
        <span className="vigie-multiline">{text}</span>
      </p>
    </details>
  );
}

/**
 * Lines of a journal as shown: the field changes one person made at one instant (a
 * qualification, an update of the deadlines) are grouped into one item.
 */
function group(entries: Journal[]): Journal[][] {
  const groups: Journal[][] = [];
  for (const entry of entries) {
    const last = groups.at(-1);
    const head = last?.[0];
    if (
      head &&
      (entry.kind === "qualification" || entry.kind === "field_change") &&
      head.kind === entry.kind &&
      head.at === entry.at &&
      head.actor === entry.actor
    ) {
      last.push(entry);
    } else groups.push([entry]);
  }
  return groups;
}

/** A case's journal: everything that happened to it, oldest first. */
export function JournalTimeline({ incidentId }: { incidentId: string }) {
  const journal = useJournal(incidentId);
  if (journal.isPending) return <Loading label="Chargement du journal…" />;
  if (journal.error) return <QueryError error={journal.error} title="Journal indisponible" />;
  const entries = journal.data;
  if (entries.length === 0) return <p>Le journal est vide.</p>;
  return (
    <ol className="vigie-journal">
      {group(entries).map((lines) => {
        const entry = lines[0] as Journal;
        const note = entry.kind === "note";
        const label =
          entry.kind === "message"
            ? (messageKindLabel(entry.newValue) ?? journalKindLabels.message)
            : (journalKindLabels[entry.kind] ?? entry.kind);
        return (
          <li key={entry.id} className={`vigie-journal__entry vigie-journal__entry--${entry.kind}`}>
            <p className={fr.cx("fr-text--sm", "fr-mb-1v")}>
              <time dateTime={entry.at}>{formatDateTime(entry.at)}</time> — {entry.actor}
            </p>
            <p className={`vigie-badges ${fr.cx("fr-mb-1v")}`}>
              <Badge as="span" small severity={note ? "warning" : undefined} noIcon>
                {label}
              </Badge>
              {note ? (
                <Badge as="span" small severity="info" noIcon>
                  Interne au CERT
                </Badge>
              ) : null}
              {entry.tlp ? <TlpBadge value={entry.tlp} /> : null}
            </p>
            {isChange(entry) ? (
              lines.length > 1 ? (
                <ul className={`vigie-journal__facts ${fr.cx("fr-text--sm", "fr-mb-0")}`}>
                  {lines.map((line) => (
                    <li key={line.id}>
                      <ChangeLine entry={line} />
                    </li>
                  ))}
                </ul>
              ) : (
                <p className={fr.cx("fr-text--sm", "fr-mb-0")}>
                  <ChangeLine entry={entry} />
                </p>
              )
            ) : (
              <Facts entry={entry} />
            )}
            {entry.body ? <Body text={entry.body} /> : null}
            <AttachmentLinks items={entry.attachments ?? []} />
          </li>
        );
      })}
    </ol>
  );
}

type NoteValues = z.input<typeof NoteRequest>;

/** An internal note of the CERT (never shown to the declarant), TLP:RED allowed. */
export function NoteForm({ incidentId, onSaved }: { incidentId: string; onSaved: () => Promise<void> }) {
  const form = useForm<NoteValues>({
    resolver: zodResolver(NoteRequest),
    defaultValues: { body: "", tlp: "amber" },
  });
  const feedback = useFormFeedback(form);
  const [done, setDone] = useState("");
  const fields = {
    body: { id: "case-note-body", label: "Note" },
    tlp: { id: "case-note-tlp", label: "Diffusion (TLP) de la note" },
  };
  const submit = feedback.handle(async (values) => {
    setDone("");
    await api.post(casePath(incidentId, "/notes"), values);
    await onSaved();
    form.reset({ body: "", tlp: (values as NoteValues).tlp });
    setDone("Note interne ajoutée au journal.");
  });
  return (
    <form onSubmit={submit} noValidate aria-labelledby="case-note-title">
      <h3 id="case-note-title" className={fr.cx("fr-h6")}>
        Ajouter une note interne
      </h3>
      <p className={fr.cx("fr-text--sm")}>Réservée au CERT : le déclarant ne la voit jamais.</p>
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={form.formState.errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <TextField
        id={fields.body.id}
        label={fields.body.label}
        textArea
        error={fieldError(form.formState.errors, "body")}
        textAreaProps={{ ...form.register("body"), rows: 4 }}
      />
      <SelectField
        id={fields.tlp.id}
        label={fields.tlp.label}
        error={fieldError(form.formState.errors, "tlp")}
        selectProps={form.register("tlp")}
      >
        {tlp.values.map((value) => (
          <option key={value} value={value}>
            {tlp.labels[value]}
          </option>
        ))}
      </SelectField>
      <Button type="submit" priority="secondary" disabled={form.formState.isSubmitting}>
        Ajouter la note
      </Button>
      <p role="status" className={fr.cx("fr-text--sm", "fr-mb-0")}>
        {done}
      </p>
    </form>
  );
}
