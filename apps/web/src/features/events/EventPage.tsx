import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Button from "@codegouvfr/react-dsfr/Button";
import RadioButtons from "@codegouvfr/react-dsfr/RadioButtons";
import Table from "@codegouvfr/react-dsfr/Table";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { EventMessageRequest, type EventMessageResult, tlp, UpdateEventRequest } from "@vigie/contracts";
import { useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { Link, useLocation, useParams } from "react-router";
import { z } from "zod";
import { api, isApiError } from "../../app/api.ts";
import { ErrorSummary, fieldError, SelectField, TextField, useFormFeedback } from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, QueryError } from "../../app/ui.tsx";
import { StatusBadge } from "../declarations/status.tsx";
import {
  declarationsCount,
  EVENTS_PATH,
  type EventViewData,
  eventStatusLabels,
  splitReferences,
} from "./api.ts";
import { EventStatusBadge, EventTlpBadge } from "./badges.tsx";
import { EventFields, eventFieldSpecs } from "./fields.tsx";

/** /cert/evenements/:id — an event: its analysis, its declarations, a message to all their declarants. */
export function EventPage() {
  const { id = "" } = useParams();
  const created = (useLocation().state as { created?: string } | null)?.created;
  const queryClient = useQueryClient();
  const queryKey = ["event", id];
  const view = useQuery({
    queryKey,
    queryFn: () => api.get<EventViewData>(`/api/events/${encodeURIComponent(id)}`),
  });
  usePageTitle(
    view.data ? `${view.data.reference} — évènement` : view.error ? "Évènement introuvable" : "Évènement",
  );
  const breadcrumb = (
    <Breadcrumb
      currentPageLabel={view.data?.reference ?? "Évènement"}
      homeLinkProps={{ to: "/" }}
      segments={[{ label: "Évènements", linkProps: { to: EVENTS_PATH } }]}
    />
  );
  if (view.isPending) {
    return (
      <>
        {breadcrumb}
        <h1>Évènement</h1>
        <Loading />
      </>
    );
  }
  if (view.error) {
    return (
      <>
        {breadcrumb}
        <h1>{isApiError(view.error, "NOT_FOUND") ? "Évènement introuvable" : "Évènement"}</h1>
        <QueryError error={view.error} />
        <p>
          <Link className={fr.cx("fr-link")} to={EVENTS_PATH}>
            Retour aux évènements
          </Link>
        </p>
      </>
    );
  }
  const event = view.data;
  const onChanged = (next: EventViewData) => {
    queryClient.setQueryData(queryKey, next);
    void queryClient.invalidateQueries({ queryKey: ["events"] });
    void queryClient.invalidateQueries({ queryKey: ["declarations"] });
  };
  return (
    <>
      {breadcrumb}
      {created ? (
        <Alert
          severity="success"
          small
          className={fr.cx("fr-mb-3w")}
          description={`Évènement créé sous la référence ${created}.`}
        />
      ) : null}
      <h1 className={fr.cx("fr-mb-2w")}>{event.title}</h1>
      <p className={fr.cx("fr-mb-1w")}>
        <span className="vigie-reference vigie-reference--inline">{event.reference}</span>
      </p>
      <p className={`vigie-badges ${fr.cx("fr-mb-1w")}`}>
        <EventStatusBadge status={event.status} />
        <EventTlpBadge value={event.tlp} />
      </p>
      <p className={fr.cx("fr-text--sm", "fr-mb-4w")}>
        Créé le {formatDateTime(event.createdAt)} — mis à jour le {formatDateTime(event.updatedAt)} —{" "}
        {declarationsCount(event.declarationCount)}
      </p>

      <section aria-labelledby="analyse" className={fr.cx("fr-mb-6w")}>
        <h2 id="analyse" className={fr.cx("fr-h4")}>
          Analyse partagée
        </h2>
        {event.analysis ? (
          <p className="vigie-multiline">{event.analysis}</p>
        ) : (
          <p>Aucune analyse pour l'instant.</p>
        )}
        <p className={fr.cx("fr-text--sm")}>
          {event.tlp === "red"
            ? "Évènement classé TLP:RED : cette analyse n'est montrée à aucun déclarant."
            : event.analysis
              ? "Les déclarants des déclarations rattachées voient cette analyse sur leur déclaration."
              : "Une fois rédigée, l'analyse est montrée aux déclarants des déclarations rattachées."}
        </p>
      </section>

      <LinkedDeclarations event={event} onChanged={onChanged} />
      <MessageForm event={event} />
      <EditForm event={event} onChanged={onChanged} />
    </>
  );
}

function LinkedDeclarations({
  event,
  onChanged,
}: {
  event: EventViewData;
  onChanged: (next: EventViewData) => void;
}) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [done, setDone] = useState("");
  const [failure, setFailure] = useState<unknown>(null);
  const detach = async (declarationId: string, reference: string) => {
    setDone("");
    setFailure(null);
    try {
      const next = await api.delete<EventViewData>(
        `/api/events/${encodeURIComponent(event.id)}/declarations/${encodeURIComponent(declarationId)}`,
      );
      onChanged(next);
      setDone(`Déclaration ${reference} détachée de l'évènement.`);
      // The button is gone: keep the focus in the section.
      requestAnimationFrame(() => headingRef.current?.focus());
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <section aria-labelledby="declarations-rattachees" className={fr.cx("fr-mb-6w")}>
      <h2 id="declarations-rattachees" ref={headingRef} tabIndex={-1} className={fr.cx("fr-h4")}>
        Déclarations rattachées ({event.declarations.length})
      </h2>
      {failure ? <QueryError error={failure} title="Détachement impossible" /> : null}
      {event.declarations.length === 0 ? (
        <p>Aucune déclaration n'est rattachée à cet évènement.</p>
      ) : (
        <Table
          caption="Déclarations rattachées"
          noCaption
          fixed={false}
          headers={["Référence", "Reçue le", "Structure", "Titre", "Statut", "Action"]}
          data={event.declarations.map((d) => [
            <Link key="ref" className="vigie-nowrap" to={`/cert/declarations/${d.id}`}>
              {d.reference}
            </Link>,
            formatDateTime(d.declaredAt),
            d.structure.name,
            d.title,
            <StatusBadge key="status" status={d.status} audience="cert" />,
            <Button
              key="detach"
              type="button"
              priority="tertiary"
              size="small"
              onClick={() => void detach(d.id, d.reference)}
            >
              Détacher<span className={fr.cx("fr-sr-only")}> {d.reference}</span>
            </Button>,
          ])}
        />
      )}
      <p role="status" className={fr.cx("fr-text--sm")}>
        {done}
      </p>
      {event.status === "closed" ? (
        <p>L'évènement est clos : rouvrez-le pour y rattacher d'autres déclarations.</p>
      ) : (
        <LinkForm event={event} onChanged={onChanged} />
      )}
    </section>
  );
}

const LinkSchema = z.object({
  declarations: z
    .string()
    .trim()
    .min(1, { error: "Indiquez au moins une référence de déclaration." })
    .max(20_000, { error: "20000 caractères au maximum." }),
});
type LinkValues = z.infer<typeof LinkSchema>;

function LinkForm({ event, onChanged }: { event: EventViewData; onChanged: (next: EventViewData) => void }) {
  const form = useForm<LinkValues>({
    shouldFocusError: false,
    resolver: zodResolver(LinkSchema),
    defaultValues: { declarations: "" },
  });
  const feedback = useFormFeedback(form);
  const [done, setDone] = useState("");
  const fields = { declarations: { id: "event-link", label: "Références des déclarations" } };
  const submit = feedback.handle(async (values) => {
    setDone("");
    const before = event.declarations.length;
    const next = await api.post<EventViewData>(`/api/events/${encodeURIComponent(event.id)}/declarations`, {
      declarations: splitReferences(values.declarations),
    });
    onChanged(next);
    form.reset({ declarations: "" });
    const added = next.declarations.length - before;
    setDone(
      added === 0
        ? "Ces déclarations étaient déjà rattachées à l'évènement."
        : `${declarationsCount(added)} rattachée${added > 1 ? "s" : ""} à l'évènement.`,
    );
  });
  return (
    <form onSubmit={submit} noValidate aria-labelledby="rattacher" className={fr.cx("fr-mt-3w")}>
      <h3 id="rattacher" className={fr.cx("fr-h6")}>
        Rattacher des déclarations
      </h3>
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={form.formState.errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <TextField
        id={fields.declarations.id}
        label={fields.declarations.label}
        hint="Une ou plusieurs références, par exemple CS-2026-000123, séparées par des virgules ou des retours à la ligne. Une déclaration rattachée à un autre évènement doit d'abord en être détachée."
        textArea
        error={fieldError(form.formState.errors, "declarations")}
        textAreaProps={{ ...form.register("declarations"), rows: 3 }}
      />
      <Button type="submit" priority="secondary" disabled={form.formState.isSubmitting}>
        Rattacher
      </Button>
      <p role="status" className={fr.cx("fr-text--sm", "fr-mt-1w")}>
        {done}
      </p>
    </form>
  );
}

/** Every marking but TLP:RED: nothing red leaves the CERT. */
const messageTlps = tlp.values.filter((value) => value !== "red");
type MessageValues = z.input<typeof EventMessageRequest>;

function MessageForm({ event }: { event: EventViewData }) {
  const queryClient = useQueryClient();
  const form = useForm<MessageValues>({
    shouldFocusError: false,
    resolver: zodResolver(EventMessageRequest),
    defaultValues: { body: "", kind: "message", tlp: "amber" },
  });
  const feedback = useFormFeedback(form);
  const [done, setDone] = useState("");
  const fields = {
    kind: { id: "event-message-kind-0", label: "Nature" },
    body: { id: "event-message-body", label: "Message" },
    tlp: { id: "event-message-tlp", label: "Diffusion (TLP)" },
  };
  const kindError = fieldError(form.formState.errors, "kind");
  const submit = feedback.handle(async (values) => {
    setDone("");
    const result = await api.post<z.infer<typeof EventMessageResult>>(
      `/api/events/${encodeURIComponent(event.id)}/messages`,
      values,
    );
    form.reset({ body: "", kind: values.kind, tlp: values.tlp });
    setDone(
      `${values.kind === "recommendation" ? "Recommandation envoyée" : "Message envoyé"} à ${result.sent} déclarant${result.sent > 1 ? "s" : ""}.`,
    );
    await queryClient.invalidateQueries({ queryKey: ["declaration"] });
  });
  const count = event.declarations.length;
  return (
    <section aria-labelledby="ecrire-a-tous" className={fr.cx("fr-mb-6w")}>
      <h2 id="ecrire-a-tous" className={fr.cx("fr-h4")}>
        Écrire à tous les déclarants
      </h2>
      {count === 0 ? (
        <p>Rattachez d'abord des déclarations : le message est posté sur le fil de chacune.</p>
      ) : (
        <form onSubmit={submit} noValidate aria-labelledby="ecrire-a-tous">
          <p className={fr.cx("fr-text--sm")}>
            Le message est posté sur le fil de chacune des {declarationsCount(count)} rattachées, et chaque
            déclarant en est prévenu par courriel.
          </p>
          <ErrorSummary
            summaryRef={feedback.summaryRef}
            errors={form.formState.errors}
            fields={fields}
            globalError={feedback.globalError}
            globalMessage={feedback.globalMessage}
          />
          <RadioButtons
            id="event-message-kind"
            legend="Nature"
            orientation="horizontal"
            state={kindError ? "error" : "default"}
            stateRelatedMessage={kindError}
            options={[
              {
                label: "Message",
                nativeInputProps: { ...form.register("kind"), value: "message" },
              },
              {
                label: "Recommandation",
                nativeInputProps: { ...form.register("kind"), value: "recommendation" },
              },
            ]}
          />
          <TextField
            id={fields.body.id}
            label={fields.body.label}
            textArea
            error={fieldError(form.formState.errors, "body")}
            textAreaProps={{ ...form.register("body"), rows: 6 }}
          />
          <SelectField
            id={fields.tlp.id}
            label={fields.tlp.label}
            hint="Un message aux déclarants n'est jamais classé TLP:RED."
            error={fieldError(form.formState.errors, "tlp")}
            selectProps={form.register("tlp")}
          >
            {messageTlps.map((value) => (
              <option key={value} value={value}>
                {tlp.labels[value]}
              </option>
            ))}
          </SelectField>
          <Button type="submit" disabled={form.formState.isSubmitting}>
            Envoyer à tous les déclarants
          </Button>
          <p role="status" className={fr.cx("fr-text--sm", "fr-mt-1w")}>
            {done}
          </p>
        </form>
      )}
    </section>
  );
}

const EditSchema = UpdateEventRequest;
type EditValues = z.input<typeof EditSchema>;
const editFields = {
  ...eventFieldSpecs("event-edit"),
  status: { id: "event-edit-status", label: "Statut" },
};

function EditForm({ event, onChanged }: { event: EventViewData; onChanged: (next: EventViewData) => void }) {
  const valuesOf = (e: EventViewData): EditValues => ({
    title: e.title,
    analysis: e.analysis,
    tlp: e.tlp,
    status: e.status,
  });
  const form = useForm<EditValues>({
    shouldFocusError: false,
    resolver: zodResolver(EditSchema),
    defaultValues: valuesOf(event),
  });
  const feedback = useFormFeedback(form);
  const [done, setDone] = useState("");
  const submit = feedback.handle(async (values) => {
    setDone("");
    const next = await api.patch<EventViewData>(`/api/events/${encodeURIComponent(event.id)}`, values);
    onChanged(next);
    form.reset(valuesOf(next));
    setDone("Évènement enregistré.");
  });
  return (
    <section aria-labelledby="modifier" className={fr.cx("fr-mb-6w")}>
      <h2 id="modifier" className={fr.cx("fr-h4")}>
        Modifier l'évènement
      </h2>
      <form
        onSubmit={submit}
        noValidate
        aria-labelledby="modifier"
        className={fr.cx("fr-col-12", "fr-col-lg-8")}
      >
        <ErrorSummary
          summaryRef={feedback.summaryRef}
          errors={form.formState.errors}
          fields={editFields}
          globalError={feedback.globalError}
          globalMessage={feedback.globalMessage}
        />
        <EventFields
          prefix="event-edit"
          errors={form.formState.errors}
          register={(name) => form.register(name)}
        />
        <SelectField
          id={editFields.status.id}
          label={editFields.status.label}
          hint="Un évènement clos ne reçoit plus de nouvelles déclarations."
          error={fieldError(form.formState.errors, "status")}
          selectProps={form.register("status")}
        >
          <option value="open">{eventStatusLabels.open}</option>
          <option value="closed">{eventStatusLabels.closed}</option>
        </SelectField>
        <Button type="submit" priority="secondary" disabled={form.formState.isSubmitting}>
          Enregistrer les modifications
        </Button>
        <p role="status" className={fr.cx("fr-text--sm", "fr-mt-1w")}>
          {done}
        </p>
      </form>
    </section>
  );
}
