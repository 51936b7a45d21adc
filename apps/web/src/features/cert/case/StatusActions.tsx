import { fr } from "@codegouvfr/react-dsfr";
import type { ButtonProps } from "@codegouvfr/react-dsfr/Button";
import ButtonsGroup from "@codegouvfr/react-dsfr/ButtonsGroup";
import { zodResolver } from "@hookform/resolvers/zod";
import {
  ChangeStatusRequest,
  certStatusLabels,
  type DeclarationStatusCode,
  declarationTransitions,
} from "@vigie/contracts";
import { useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { api, isApiError } from "../../../app/api.ts";
import { ErrorSummary, fieldError, TextField, useFormFeedback } from "../../../app/forms.tsx";
import { type Case, casePath, declarationPath } from "./api.ts";
import { transitionLabel } from "./labels.ts";

const CommentForm = z.object({ comment: ChangeStatusRequest.shape.comment });
type CommentValues = z.input<typeof CommentForm>;

const ACKNOWLEDGE = "acknowledge";

/**
 * "Prendre en charge" while the case is new, then one button per status the state machine
 * allows, with an optional comment (seen by the declarant). A resolution refused for want of a
 * qualification calls `onQualificationRequired` with the server's explanation (the
 * qualification form shows it and takes the focus).
 */
export function StatusActions(props: {
  view: Case;
  onChanged: (next?: Case) => Promise<void>;
  onQualificationRequired: (message: string) => void;
}) {
  const { view, onChanged, onQualificationRequired } = props;
  const status = view.declaration.status;
  const id = view.declaration.id;
  const form = useForm<CommentValues>({ resolver: zodResolver(CommentForm), defaultValues: { comment: "" } });
  const feedback = useFormFeedback(form);
  const [done, setDone] = useState("");
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The state machine's table, so "Déclarer résolu" shows before the qualification too: the
  // server then explains what is missing (QUALIFICATION_REQUIRED).
  const transitions = [
    ...new Set([...(declarationTransitions[status] ?? []), ...view.allowedTransitions]),
  ].filter((to) => to !== status && !(status === "new" && to === "triage"));
  const fields = { comment: { id: "case-status-comment", label: "Commentaire" } };

  const submit = feedback.handle(
    async (values, event) => {
      const submitter = (event?.nativeEvent as SubmitEvent | undefined)
        ?.submitter as HTMLButtonElement | null;
      const choice = submitter?.value ?? "";
      setDone("");
      const comment = (values as CommentValues).comment?.trim() || undefined;
      if (choice === ACKNOWLEDGE) {
        const next = await api.post<Case>(casePath(id, "/acknowledge"));
        await onChanged(next);
        setDone(`Cas pris en charge : statut « ${certStatusLabels[next.declaration.status]} ».`);
      } else {
        const to = choice as DeclarationStatusCode;
        if (!transitions.includes(to)) return;
        await api.post(declarationPath(id, "/status"), { status: to, comment });
        await onChanged();
        setDone(`Statut changé : ${certStatusLabels[to]}.`);
      }
      form.reset({ comment: "" });
      // The button pressed may be gone with the new status: the focus goes back to the heading.
      requestAnimationFrame(() => headingRef.current?.focus());
    },
    (error) => {
      if (isApiError(error, "QUALIFICATION_REQUIRED")) {
        onQualificationRequired(error.fields[0]?.message ?? error.message);
        return true;
      }
      return false;
    },
  );

  const buttons: ButtonProps[] = [
    ...(status === "new"
      ? [
          {
            type: "submit" as const,
            priority: "primary" as const,
            children: "Prendre en charge",
            value: ACKNOWLEDGE,
            nativeButtonProps: { name: "action" },
          },
        ]
      : []),
    ...transitions.map((to, index) => ({
      type: "submit" as const,
      priority: status !== "new" && index === 0 ? ("primary" as const) : ("secondary" as const),
      children: transitionLabel(status, to),
      value: to,
      nativeButtonProps: { name: "action" },
    })),
  ].map((b) => ({ ...b, disabled: form.formState.isSubmitting }));

  return (
    <form onSubmit={submit} noValidate aria-labelledby="case-actions-title" className="vigie-case-actions">
      <h2 id="case-actions-title" ref={headingRef} tabIndex={-1} className={fr.cx("fr-h5")}>
        Statut et actions
      </h2>
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={form.formState.errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      {buttons.length > 0 ? (
        <>
          <TextField
            id={fields.comment.id}
            label="Commentaire du changement de statut"
            hint="Visible par le déclarant."
            optional
            error={fieldError(form.formState.errors, "comment")}
            inputProps={form.register("comment")}
          />
          <ButtonsGroup inlineLayoutWhen="md and up" buttons={buttons as [ButtonProps, ...ButtonProps[]]} />
        </>
      ) : (
        <p>Aucun changement de statut possible.</p>
      )}
      <p role="status" className={fr.cx("fr-text--sm", "fr-mb-0")}>
        {done}
      </p>
    </form>
  );
}
