import { fr } from "@codegouvfr/react-dsfr";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Button from "@codegouvfr/react-dsfr/Button";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { EventInput } from "@vigie/contracts";
import { useForm } from "react-hook-form";
import { useNavigate } from "react-router";
import type { z } from "zod";
import { api } from "../../app/api.ts";
import { ErrorSummary, RequiredNotice, useFormFeedback } from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { EVENTS_PATH, type EventViewData, eventPath } from "./api.ts";
import { EventFields, eventFieldSpecs } from "./fields.tsx";

type EventValues = z.input<typeof EventInput>;
const fields = eventFieldSpecs("event-new");

/** /cert/evenements/nouveau — a new event (its reference is given on creation). */
export function EventCreatePage() {
  usePageTitle("Créer un évènement");
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const form = useForm<EventValues>({
    shouldFocusError: false,
    resolver: zodResolver(EventInput),
    defaultValues: { title: "", analysis: "", tlp: "amber" },
  });
  const feedback = useFormFeedback(form);
  const submit = feedback.handle(async (values) => {
    const created = await api.post<EventViewData>("/api/events", values);
    await queryClient.invalidateQueries({ queryKey: ["events"] });
    navigate(eventPath(created.id), { state: { created: created.reference } });
  });
  return (
    <>
      <Breadcrumb
        currentPageLabel="Créer un évènement"
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Évènements", linkProps: { to: EVENTS_PATH } }]}
      />
      <h1>Créer un évènement</h1>
      <form onSubmit={submit} noValidate className={fr.cx("fr-col-12", "fr-col-md-10", "fr-col-lg-8")}>
        <RequiredNotice />
        <ErrorSummary
          summaryRef={feedback.summaryRef}
          errors={form.formState.errors}
          fields={fields}
          globalError={feedback.globalError}
          globalMessage={feedback.globalMessage}
        />
        <EventFields
          prefix="event-new"
          errors={form.formState.errors}
          register={(name) => form.register(name)}
        />
        <Button type="submit" disabled={form.formState.isSubmitting}>
          Créer l'évènement
        </Button>
      </form>
    </>
  );
}
