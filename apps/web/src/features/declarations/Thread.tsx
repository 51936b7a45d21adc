import { fr } from "@codegouvfr/react-dsfr";
import Badge from "@codegouvfr/react-dsfr/Badge";
import type { ButtonProps } from "@codegouvfr/react-dsfr/Button";
import ButtonsGroup from "@codegouvfr/react-dsfr/ButtonsGroup";
import { zodResolver } from "@hookform/resolvers/zod";
import { PostMessageRequest } from "@vigie/contracts";
import { type ReactNode, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { ErrorSummary, fieldError, TextField, useFormFeedback } from "../../app/forms.tsx";
import { formatDateTime } from "../../app/ui.tsx";
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
            {kindBadge(message, audience)}
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

const ReplyForm = z.object({ body: PostMessageRequest.shape.body });
type ReplyValues = z.infer<typeof ReplyForm>;

export interface ReplyAction {
  kind: MessageKind;
  label: string;
  primary?: boolean;
}

/**
 * The reply box: a text and attachments (uploaded under a key of their own), sent with one of
 * the actions (a declarant answers or writes; the CERT writes, asks or recommends).
 */
export function ReplyBox(props: {
  id: string;
  label: string;
  hint?: string;
  actions: ReplyAction[];
  onSend: (request: { body: string; kind: MessageKind; attachmentIds: string[] }) => Promise<void>;
}) {
  const { id, label, hint, actions, onSend } = props;
  const form = useForm<ReplyValues>({ resolver: zodResolver(ReplyForm), defaultValues: { body: "" } });
  const feedback = useFormFeedback(form);
  const [pendingKey, setPendingKey] = useState(() => crypto.randomUUID());
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [sent, setSent] = useState("");
  const fields = { body: { id: `${id}-body`, label } };

  const submit = feedback.handle(async (values, event) => {
    const submitter = (event?.nativeEvent as SubmitEvent | undefined)?.submitter as HTMLButtonElement | null;
    const action = actions.find((a) => a.kind === submitter?.value) ?? actions[0];
    if (!action) return;
    setSent("");
    await onSend({
      body: (values as ReplyValues).body,
      kind: action.kind,
      attachmentIds: attachments.map((a) => a.id),
    });
    form.reset({ body: "" });
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
            nativeButtonProps: { name: "kind", value: action.kind },
          })) as [ButtonProps, ...ButtonProps[]]
        }
      />
      <p role="status" className={fr.cx("fr-text--sm")}>
        {sent}
      </p>
    </form>
  );
}
