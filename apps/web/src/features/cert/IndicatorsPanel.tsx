import { fr } from "@codegouvfr/react-dsfr";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Button from "@codegouvfr/react-dsfr/Button";
import Table from "@codegouvfr/react-dsfr/Table";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  AddIndicatorRequest,
  IndicatorKind,
  type IndicatorList,
  type IndicatorView,
  indicatorKindLabels,
  indicatorKinds,
} from "@vigie/contracts";
import { useId, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import { Link } from "react-router";
import { z } from "zod";
import { api } from "../../app/api.ts";
import { ErrorSummary, fieldError, SelectField, TextField, useFormFeedback } from "../../app/forms.tsx";
import { Loading, QueryError } from "../../app/ui.tsx";
import { ConfirmPanel } from "../oncall/ConfirmPanel.tsx";

type Indicator = z.infer<typeof IndicatorView>;

export const indicatorsQueryKey = (incidentId: string) => ["declaration-indicators", incidentId] as const;

const sourceLabels: Record<Indicator["source"], string> = {
  description: "Description de la déclaration",
  message: "Échanges avec le déclarant",
  attachment: "Pièce jointe",
  analyst: "Ajout manuel",
};

function kindText(indicator: Indicator): string {
  const label = indicatorKindLabels[indicator.kind];
  return indicator.hashType ? `${label} (${indicator.hashType.toUpperCase().replace("SHA", "SHA-")})` : label;
}

// The contract's schema, with a French message when no type is chosen yet.
const AddIndicatorSchema = AddIndicatorRequest.extend({
  kind: z.string().min(1, { error: "Choisissez le type d'indicateur." }).pipe(IndicatorKind),
});
type AddValues = z.input<typeof AddIndicatorSchema>;

/**
 * The indicators of compromise of a declaration (CERT): what was extracted or added, the other
 * declarations sharing each one, a manual addition and the dismissal of false positives.
 * Renders no heading of its own unless `headingLevel` is given: it sits in its host's section.
 */
export function IndicatorsPanel({ incidentId, headingLevel }: { incidentId: string; headingLevel?: 2 | 3 }) {
  const queryClient = useQueryClient();
  const uid = useId().replace(/[^a-zA-Z0-9_-]/g, "");
  const statusRef = useRef<HTMLParagraphElement>(null);
  const [status, setStatus] = useState("");
  const [dismissing, setDismissing] = useState<Indicator | null>(null);
  const queryKey = indicatorsQueryKey(incidentId);
  const list = useQuery({
    queryKey,
    queryFn: ({ signal }) =>
      api.get<z.infer<typeof IndicatorList>>(
        `/api/declarations/${encodeURIComponent(incidentId)}/indicators`,
        undefined,
        signal,
      ),
    // Extraction runs every minute in the background: new indicators show up on their own.
    refetchInterval: 60_000,
  });
  const announce = (message: string) => {
    setStatus(message);
    requestAnimationFrame(() => statusRef.current?.focus());
  };
  const items = list.data?.items ?? [];
  const Heading = headingLevel === 3 ? "h3" : "h2";

  return (
    <div className="vigie-indicators">
      {headingLevel ? <Heading id={`${uid}-title`}>Indicateurs de compromission</Heading> : null}
      <p className={fr.cx("fr-text--sm")}>
        Adresses IP, domaines, URL, adresses électroniques et empreintes relevés automatiquement dans la
        déclaration et ses échanges, ou ajoutés par un analyste. Un indicateur écarté n'est plus affiché ni
        relevé à nouveau.
      </p>
      <p ref={statusRef} tabIndex={-1} role="status" className={fr.cx("fr-text--bold")}>
        {status}
      </p>
      {dismissing ? (
        <ConfirmPanel
          id={`${uid}-dismiss`}
          title="Écarter cet indicateur ?"
          confirmLabel="Écarter l'indicateur"
          onCancel={() => {
            const id = dismissing.id;
            setDismissing(null);
            requestAnimationFrame(() => document.getElementById(`${uid}-dismiss-${id}`)?.focus());
          }}
          onConfirm={async () => {
            await api.delete(
              `/api/declarations/${encodeURIComponent(incidentId)}/indicators/${encodeURIComponent(dismissing.id)}`,
            );
            await queryClient.invalidateQueries({ queryKey });
            setDismissing(null);
            announce(
              `Indicateur écarté : ${dismissing.value}. Il est conservé, mais ne sera plus affiché ni relevé à nouveau.`,
            );
          }}
        >
          <p>
            {kindText(dismissing)} : <code className="vigie-filename">{dismissing.value}</code>. À faire pour
            un faux positif : il est conservé, mais ne sera plus affiché ni relevé à nouveau.
          </p>
        </ConfirmPanel>
      ) : null}
      {list.isPending ? (
        <Loading label="Chargement des indicateurs…" />
      ) : list.error ? (
        <QueryError error={list.error} title="Indicateurs indisponibles" />
      ) : items.length === 0 ? (
        <p>Aucun indicateur relevé pour l'instant. L'extraction automatique passe chaque minute.</p>
      ) : (
        <Table
          caption={`Indicateurs de compromission (${items.length})`}
          noCaption={!headingLevel}
          headers={["Type", "Valeur", "Source", "Autres dossiers", <span key="actions">Action</span>]}
          data={items.map((indicator) => [
            kindText(indicator),
            <span key="value">
              <code className="vigie-filename">{indicator.value}</code>
              {indicator.internal ? (
                <>
                  {" "}
                  <Badge small noIcon>
                    Interne
                  </Badge>
                </>
              ) : null}
            </span>,
            <span key="source">
              {sourceLabels[indicator.source]}
              {indicator.source === "analyst" && indicator.addedBy ? ` par ${indicator.addedBy}` : ""}
              <br />
              <span className={fr.cx("fr-text--xs")}>
                depuis le{" "}
                {new Intl.DateTimeFormat("fr-FR", {
                  dateStyle: "short",
                  timeStyle: "short",
                  timeZone: "Europe/Paris",
                }).format(new Date(indicator.firstSeenAt))}
              </span>
            </span>,
            <Correlation key="correlation" indicator={indicator} />,
            <Button
              key="dismiss"
              id={`${uid}-dismiss-${indicator.id}`}
              size="small"
              priority="tertiary"
              iconId="fr-icon-close-circle-line"
              aria-label={`Écarter l'indicateur ${indicator.value}`}
              onClick={() => setDismissing(indicator)}
            >
              Écarter
            </Button>,
          ])}
        />
      )}
      <AddIndicatorSection incidentId={incidentId} uid={uid} onAdded={announce} />
    </div>
  );
}

function Correlation({ indicator }: { indicator: Indicator }) {
  const { correlation } = indicator;
  if (correlation.count === 0) return <span>Aucun autre dossier</span>;
  const label =
    correlation.label ??
    `vu dans ${correlation.count} autre${correlation.count > 1 ? "s" : ""} dossier${correlation.count > 1 ? "s" : ""}`;
  return (
    <div>
      <Badge small noIcon severity="new">
        {label}
      </Badge>
      {correlation.incidents.length > 0 ? (
        <ul className={fr.cx("fr-mt-1w", "fr-mb-0")}>
          {correlation.incidents.map((incident) => (
            <li key={incident.id}>
              <Link to={`/cert/declarations/${incident.id}`}>{incident.reference}</Link>
              <span className={fr.cx("fr-text--sm")}> — {incident.title}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function AddIndicatorSection({
  incidentId,
  uid,
  onAdded,
}: {
  incidentId: string;
  uid: string;
  onAdded: (message: string) => void;
}) {
  const queryClient = useQueryClient();
  const form = useForm<AddValues>({
    resolver: zodResolver(AddIndicatorSchema),
    // The error summary takes the focus (it links to each field), not the first field.
    shouldFocusError: false,
    defaultValues: { kind: "", value: "" },
  });
  const feedback = useFormFeedback(form);
  const errors = form.formState.errors;
  const fields = {
    kind: { id: `${uid}-kind`, label: "Type d'indicateur" },
    value: { id: `${uid}-value`, label: "Valeur" },
  };
  const submit = feedback.handle(async (raw) => {
    const values = raw as z.output<typeof AddIndicatorSchema>;
    const added = await api.post<Indicator>(
      `/api/declarations/${encodeURIComponent(incidentId)}/indicators`,
      values,
    );
    await queryClient.invalidateQueries({ queryKey: indicatorsQueryKey(incidentId) });
    form.reset({ kind: values.kind, value: "" });
    onAdded(`Indicateur ajouté : ${kindText(added)} ${added.value}.`);
  });

  return (
    <form onSubmit={submit} noValidate className={fr.cx("fr-mt-3w")}>
      <fieldset className={fr.cx("fr-fieldset")}>
        <legend className={fr.cx("fr-fieldset__legend")}>Ajouter un indicateur</legend>
        <div className={fr.cx("fr-fieldset__element")}>
          <ErrorSummary
            summaryRef={feedback.summaryRef}
            errors={errors}
            fields={fields}
            globalError={feedback.globalError}
            globalMessage={feedback.globalMessage}
          />
        </div>
        <div className={fr.cx("fr-fieldset__element")}>
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <SelectField
                id={fields.kind.id}
                label={fields.kind.label}
                error={fieldError(errors, "kind")}
                selectProps={{ ...form.register("kind"), "aria-required": true }}
              >
                <option value="">Choisissez un type</option>
                {indicatorKinds.map((k) => (
                  <option key={k} value={k}>
                    {indicatorKindLabels[k]}
                  </option>
                ))}
              </SelectField>
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-8")}>
              <TextField
                id={fields.value.id}
                label={fields.value.label}
                hint="Les formes neutralisées sont acceptées : hxxp://exemple[.]fr, 198.51.100[.]7."
                error={fieldError(errors, "value")}
                inputProps={{ ...form.register("value"), autoComplete: "off", spellCheck: false }}
              />
            </div>
          </div>
        </div>
        <div className={fr.cx("fr-fieldset__element")}>
          <Button
            type="submit"
            priority="secondary"
            iconId="fr-icon-add-line"
            disabled={form.formState.isSubmitting}
          >
            Ajouter l'indicateur
          </Button>
        </div>
      </fieldset>
    </form>
  );
}
