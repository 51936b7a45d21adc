import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Button from "@codegouvfr/react-dsfr/Button";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ChangeStatusRequest, declarationTransitions } from "@vigie/contracts";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useLocation, useParams } from "react-router";
import type { z } from "zod";
import { api } from "../../app/api.ts";
import { ErrorSummary, fieldError, SelectField, TextField, useFormFeedback } from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";
import type { Message, View } from "../declarations/api.ts";
import { DeclarationDetail } from "../declarations/DeclarationDetail.tsx";
import { DeclarationLoadState } from "../declarations/DeclarationPages.tsx";
import { certStatusLabels } from "../declarations/status.tsx";

/** /cert/declarations/:id — a declaration for the CERT: thread, questions, recommendations, status. */
export function CertDeclarationPage() {
  const { id = "" } = useParams();
  // Just recorded by the analyst (DeclarePage mode="recorded"): its reference, to confirm.
  const recorded = (useLocation().state as { recorded?: string } | null)?.recorded;
  const queryClient = useQueryClient();
  const queryKey = ["declaration", id];
  const view = useQuery({
    queryKey,
    queryFn: () => api.get<View>(`/api/declarations/${encodeURIComponent(id)}`),
  });
  usePageTitle(
    view.data
      ? `${view.data.reference} — déclaration`
      : view.error
        ? "Déclaration introuvable"
        : "Déclaration",
  );
  const breadcrumb = (
    <Breadcrumb
      currentPageLabel={view.data?.reference ?? "Déclaration"}
      homeLinkProps={{ to: "/" }}
      segments={[{ label: "Déclarations reçues", linkProps: { to: "/cert/declarations" } }]}
    />
  );
  if (view.isPending || view.error) return <DeclarationLoadState view={view} breadcrumb={breadcrumb} />;
  return (
    <DeclarationDetail
      before={
        <>
          {breadcrumb}
          {recorded ? (
            <Alert
              severity="success"
              small
              className={fr.cx("fr-mb-3w")}
              description={`Déclaration enregistrée sous la référence ${recorded}.`}
            />
          ) : null}
        </>
      }
      view={view.data}
      audience="cert"
      canSend
      handling={
        <StatusForm
          view={view.data}
          onChanged={(next) => {
            queryClient.setQueryData(queryKey, next);
            void queryClient.invalidateQueries({ queryKey: ["declarations"] });
          }}
        />
      }
      onSend={async (request) => {
        await api.post<Message>(`/api/declarations/${encodeURIComponent(id)}/messages`, request);
        await queryClient.invalidateQueries({ queryKey });
        await queryClient.invalidateQueries({ queryKey: ["declarations"] });
      }}
    />
  );
}

type StatusValues = z.input<typeof ChangeStatusRequest>;

function StatusForm({ view, onChanged }: { view: View; onChanged: (view: View) => void }) {
  const options = declarationTransitions[view.status] ?? [];
  const form = useForm<StatusValues>({
    resolver: zodResolver(ChangeStatusRequest),
    defaultValues: { status: options[0] ?? view.status, comment: "" },
  });
  const feedback = useFormFeedback(form);
  const [done, setDone] = useState("");
  const fields = {
    status: { id: "cert-status", label: "Nouveau statut" },
    comment: { id: "cert-status-comment", label: "Commentaire" },
  };
  const submit = feedback.handle(async (values) => {
    setDone("");
    const next = await api.post<View>(`/api/declarations/${encodeURIComponent(view.id)}/status`, values);
    onChanged(next);
    form.reset({ status: declarationTransitions[next.status]?.[0] ?? next.status, comment: "" });
    setDone(`Statut changé : ${certStatusLabels[next.status]}.`);
  });
  return (
    <form onSubmit={submit} noValidate className={fr.cx("fr-mt-3w")} aria-labelledby="changer-statut">
      <h3 id="changer-statut" className={fr.cx("fr-h6")}>
        Changer le statut
      </h3>
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={form.formState.errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
          <SelectField
            id={fields.status.id}
            label={fields.status.label}
            error={fieldError(form.formState.errors, "status")}
            selectProps={form.register("status")}
          >
            {options.map((s) => (
              <option key={s} value={s}>
                {certStatusLabels[s]}
              </option>
            ))}
          </SelectField>
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-8")}>
          <TextField
            id={fields.comment.id}
            label={fields.comment.label}
            hint="Visible par le déclarant."
            optional
            error={fieldError(form.formState.errors, "comment")}
            inputProps={form.register("comment")}
          />
        </div>
      </div>
      <Button type="submit" priority="secondary" disabled={form.formState.isSubmitting}>
        Changer le statut
      </Button>
      <p role="status" className={fr.cx("fr-text--sm", "fr-mt-1w")}>
        {done}
      </p>
    </form>
  );
}
