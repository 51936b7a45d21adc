import { fr } from "@codegouvfr/react-dsfr";
import Badge from "@codegouvfr/react-dsfr/Badge";
import type { ButtonProps } from "@codegouvfr/react-dsfr/Button";
import ButtonsGroup from "@codegouvfr/react-dsfr/ButtonsGroup";
import { zodResolver } from "@hookform/resolvers/zod";
import { PostMessageRequest, tlp } from "@vigie/contracts";
import { type ReactNode, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ErrorSummary, fieldError, SelectField, TextField, useFormFeedback } from "../../app/forms.tsx";
import { formatDateTime } from "../../app/ui.tsx";
import { TlpBadge } from "../cert/case/TlpBadge.tsx";
import { parisInputToIso } from "../cert/case/time.ts";
import { AttachmentsField } from "./AttachmentsField.tsx";
import { formatSize, type Message, type MessageKind } from "./api.ts";
import type { Attachment } from "./draft.ts";

type Audience = "declarant" | "cert";

function kindBadge(message: Message, audience: Audience): ReactNode {
  switch (message.kind) {
    case "question":
      return (
        <Badge as="span" small severity="warning">
          {audience === "cert" ? "Question au déclarant" : "Question du CERT"}
        </Badge>
      );
    case "recommendation":
      return (
        <Badge as="span" small severity="info">
          Recommandation
        </Badge>
      );
    case "answer":
      return (
        <Badge as="span" small severity="success">
          Réponse du déclarant
        </Badge>
      );
    default:
      return null;
  }
}

function author(message: Message, audience: Audience): string {
  if (message.authorKind === "system") return "Vigie";
  if (message.authorKind === "cert")
    return audience === "cert" ? `${message.authorName} (CERT)` : "CERT Santé";
  return audience === "declarant" ? `${message.authorName} (vous)` : message.authorName;
}

/** Download links of attachments. */
export function AttachmentLinks({ items }: { items: Attachment[] }) {
  if (items.length === 0) return null;
  return (
    <ul className={fr.cx("fr-raw-list", "fr-mt-1w")}>
      {items.map((a) => (
        <li key={a.id} className="vigie-file">
          <span className="fr-icon-file-line" aria-hidden="true" />
          <a className={fr.cx("fr-link", "fr-link--sm")} href={a.downloadUrl} download={a.fileName}>
            <span className="vigie-filename">{a.fileName}</span>
            <span className={fr.cx("fr-sr-only")}> — télécharger</span> ({formatSize(a.size)})
          </a>
        </li>
      ))}
    </ul>
  );
}

/** The exchanges with the CERT, oldest first; questions and recommendations stand out. */
export function Thread({ messages, audience }: { messages: Message[]; audience: Audience }) {
  if (messages.length === 0) return <p>Aucun échange pour l'instant.</p>;
  return (
    <ol className={fr.cx("fr-raw-list")}>
      {messages.map((message) => (
        <li key={message.id} className={`vigie-message vigie-message--${message.kind}`}>
          <p className={fr.cx("fr-text--sm", "fr-mb-1w")}>
            <strong>{author(message, audience)}</strong> — {formatDateTime(message.createdAt)}{" "}
            {kindBadge(message, audience)} {audience === "cert" ? <TlpBadge value={message.tlp} /> : null}
            {message.eventReference ? (
              <span> — adressé aux déclarants de l'évènement {message.eventReference}</span>
            ) : null}
          </p>
          <p className={fr.cx("fr-mb-0")}>
            <span className="vigie-multiline">{message.body}</span>
          </p>
          <AttachmentLinks items={message.attachments} />
        </li>
      ))}
    </ol>
  );
}

const ReplyForm = z.object({
  body: PostMessageRequest.shape.body,
  tlp: z.string().optional(),
  dueAt: z
    .string()
    .optional()
    .refine((v) => !v || parisInputToIso(v) !== undefined, {
      error: "Date et heure invalides (jj/mm/aaaa hh:mm).",
    }),
});
type ReplyValues = z.infer<typeof ReplyForm>;

/** What a reply sends (the CERT's carry a TLP and, for a question, the answer's due date). */
export interface ReplyRequest {
  body: string;
  kind: MessageKind;
  attachmentIds: string[];
  tlp?: (typeof tlp.values)[number];
  dueAt?: string;
}

/** TLP markings a message to a declarant may carry (never TLP:RED: that is an internal note). */
const messageTlps = tlp.values.filter((v) => v !== "red");

export interface ReplyAction {
  kind: MessageKind;
  label: string;
  primary?: boolean;
}

/**
 * The reply box: a text and attachments (uploaded under a key of their own), sent with one of
 * the actions (a declarant answers or writes; the CERT writes, asks or recommends). With
 * `marking` (the CERT), the message's TLP and, for a question, when the answer is expected.
 */
export function ReplyBox(props: {
  id: string;
  label: string;
  hint?: string;
  actions: ReplyAction[];
  marking?: boolean;
  onSend: (request: ReplyRequest) => Promise<void>;
}) {
  const { id, label, hint, actions, marking = false, onSend } = props;
  const empty = { body: "", tlp: "amber", dueAt: "" };
  const form = useForm<ReplyValues>({ resolver: zodResolver(ReplyForm), defaultValues: empty });
  const feedback = useFormFeedback(form);
  const [pendingKey, setPendingKey] = useState(() => crypto.randomUUID());
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [sent, setSent] = useState("");
  const fields = {
    body: { id: `${id}-body`, label },
    ...(marking
      ? {
          tlp: { id: `${id}-tlp`, label: "Diffusion (TLP)" },
          dueAt: { id: `${id}-due`, label: "Réponse attendue avant le" },
        }
      : {}),
  };

  const submit = feedback.handle(async (values, event) => {
    const submitter = (event?.nativeEvent as SubmitEvent | undefined)?.submitter as HTMLButtonElement | null;
    const action = actions.find((a) => a.kind === submitter?.value) ?? actions[0];
    if (!action) return;
    setSent("");
    const reply = values as ReplyValues;
    const dueAt = marking && action.kind === "question" ? parisInputToIso(reply.dueAt ?? "") : null;
    await onSend({
      body: reply.body,
      kind: action.kind,
      attachmentIds: attachments.map((a) => a.id),
      ...(marking ? { tlp: (reply.tlp || "amber") as ReplyRequest["tlp"] } : {}),
      ...(dueAt ? { dueAt } : {}),
    });
    form.reset({ ...empty, tlp: reply.tlp || "amber" });
    setAttachments([]);
    setPendingKey(crypto.randomUUID());
    setSent(
      action.kind === "question"
        ? "Question envoyée."
        : action.kind === "recommendation"
          ? "Recommandation envoyée."
          : action.kind === "answer"
            ? "Réponse envoyée."
            : "Message envoyé.",
    );
  });

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={form.formState.errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <TextField
        id={fields.body.id}
        label={label}
        hint={hint}
        textArea
        error={fieldError(form.formState.errors, "body")}
        textAreaProps={{ ...form.register("body"), rows: 5 }}
      />
      {marking ? (
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
            <SelectField
              id={`${id}-tlp`}
              label="Diffusion (TLP)"
              hint="Jamais TLP:RED vers le déclarant : écrivez plutôt une note interne."
              error={fieldError(form.formState.errors, "tlp")}
              selectProps={form.register("tlp")}
            >
              {messageTlps.map((value) => (
                <option key={value} value={value}>
                  {tlp.labels[value]}
                </option>
              ))}
            </SelectField>
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
            <TextField
              id={`${id}-due`}
              label="Réponse attendue avant le"
              hint="Pour une question, heure de Paris. À défaut, le délai habituel du CERT."
              optional
              error={fieldError(form.formState.errors, "dueAt")}
              inputProps={{ ...form.register("dueAt"), type: "datetime-local" }}
            />
          </div>
        </div>
      ) : null}
      <AttachmentsField
        key={pendingKey}
        id={`${id}-files`}
        pendingKey={pendingKey}
        value={attachments}
        onChange={setAttachments}
        label="Joindre des fichiers"
      />
      <ButtonsGroup
        inlineLayoutWhen="md and up"
        buttons={
          actions.map((action, index) => ({
            type: "submit" as const,
            priority: action.primary || index === 0 ? ("primary" as const) : ("secondary" as const),
            children: action.label,
            disabled: form.formState.isSubmitting,
            // The DSFR button sets `value` itself (a value in nativeButtonProps is lost).
            value: action.kind,
            nativeButtonProps: { name: "kind" },
          })) as [ButtonProps, ...ButtonProps[]]
        }
      />
      <p role="status" className={fr.cx("fr-text--sm")}>
        {sent}
      </p>
    </form>
  );
}
