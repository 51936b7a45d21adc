import { fr } from "@codegouvfr/react-dsfr";
import Accordion from "@codegouvfr/react-dsfr/Accordion";
import Button from "@codegouvfr/react-dsfr/Button";
import Checkbox from "@codegouvfr/react-dsfr/Checkbox";
import Input from "@codegouvfr/react-dsfr/Input";
import Select from "@codegouvfr/react-dsfr/Select";
import {
  certOriginLabels,
  certStatusLabels,
  channel,
  declarationStatuses,
  maliciousType,
  nonMaliciousType,
  operationalImpact,
  origin,
  structureTypeLabels,
  structureTypes,
} from "@vigie/contracts";
import { type ReactNode, useEffect } from "react";
import { Controller, type UseFormReturn, useForm } from "react-hook-form";
import type { Region } from "../../../app/regions.ts";
import type { Analyst } from "./api.ts";
import { activeFilterCount, type ListKey, type QueueFilters, sortValues } from "./params.ts";

/** French names of the queue's orders; an order added to the contract shows its code until named. */
export const sortLabels: Record<string, string> = {
  declared_desc: "Les plus récentes d'abord",
  declared_asc: "Les plus anciennes d'abord",
  status: "Par statut",
  due: "Échéance la plus proche d'abord",
};

type Option = { value: string; label: ReactNode };
type Form = UseFormReturn<QueueFilters>;

const statusOptions: Option[] = declarationStatuses.map((s) => ({ value: s, label: certStatusLabels[s] }));
const structureTypeOptions: Option[] = structureTypes.map((s) => ({
  value: s,
  label: structureTypeLabels[s],
}));
const originOptions: Option[] = origin.values.map((o) => ({ value: o, label: certOriginLabels[o] }));
const maliciousOptions: Option[] = maliciousType.values
  .filter((t) => t !== "other")
  .map((t) => ({ value: t, label: maliciousType.labels[t] }));
// `other` is one code for both families: offered once, said so.
const nonMaliciousOptions: Option[] = [
  ...nonMaliciousType.values
    .filter((t) => t !== "other")
    .map((t) => ({ value: t, label: nonMaliciousType.labels[t] })),
  { value: "other", label: "Autre type, malveillant ou non" },
];
const impactOptions: Option[] = [
  { value: "care_affected", label: "Prise en charge des patients touchée (dégradée ou interrompue)" },
  ...operationalImpact.values.map((i) => ({ value: i, label: operationalImpact.labels[i] })),
];
const channelOptions: Option[] = channel.values.map((c) => ({ value: c, label: channel.labels[c] }));

/** A group of checkboxes bound to a list filter (a fieldset and its legend). */
function CheckboxList(props: {
  form: Form;
  name: ListKey;
  id: string;
  legend: ReactNode;
  options: Option[];
}) {
  const { form, name, id, legend, options } = props;
  return (
    <Controller
      control={form.control}
      name={name}
      render={({ field }) => {
        const value = field.value ?? [];
        return (
          <Checkbox
            id={id}
            legend={legend}
            small
            className="vigie-queue-checks"
            options={options.map((option) => ({
              label: option.label,
              nativeInputProps: {
                name: field.name,
                value: option.value,
                checked: value.includes(option.value),
                onChange: (event) =>
                  field.onChange(
                    event.target.checked
                      ? [...value, option.value]
                      : value.filter((v: string) => v !== option.value),
                  ),
                onBlur: field.onBlur,
              },
            }))}
          />
        );
      }}
    />
  );
}

/** A yes / no / either filter as a select. */
function TristateSelect(props: {
  form: Form;
  name: "overdue" | "qualified" | "supportRequested" | "outOfHours";
  id: string;
  label: string;
  any: string;
  yes: string;
  no: string;
}) {
  const { form, name, id, label, any, yes, no } = props;
  return (
    <Select label={label} nativeSelectProps={{ id, ...form.register(name) }}>
      <option value="">{any}</option>
      <option value="true">{yes}</option>
      <option value="false">{no}</option>
    </Select>
  );
}

/** "Structure", or "Structure — 2 filtres actifs". */
function sectionLabel(title: string, count: number): string {
  if (count === 0) return title;
  return `${title} — ${count} filtre${count > 1 ? "s" : ""} actif${count > 1 ? "s" : ""}`;
}

/**
 * The queue's filters, applied together with « Appliquer les filtres » (nothing moves while the
 * analyst ticks). The sections fold away, so the panel fits a phone.
 */
export function QueueFilterForm(props: {
  filters: QueueFilters;
  onApply: (filters: QueueFilters) => void;
  onReset: () => void;
  analysts: { data: Analyst[] | undefined; failed: boolean };
  regions: Region[] | undefined;
}) {
  const { filters, onApply, onReset, analysts, regions } = props;
  const form = useForm<QueueFilters>({ defaultValues: filters });
  const filtersKey = JSON.stringify(filters);
  // The URL is the truth: back/forward, quick filters and saved views update the form.
  // biome-ignore lint/correctness/useExhaustiveDependencies: filtersKey stands for filters
  useEffect(() => {
    form.reset(filters);
  }, [filtersKey]);

  const submit = form.handleSubmit((values) => {
    if (values.declaredFrom && values.declaredTo && values.declaredFrom > values.declaredTo) {
      form.setError(
        "declaredTo",
        { type: "order", message: "La date de fin est antérieure à la date de début." },
        { shouldFocus: true },
      );
      return;
    }
    onApply(values);
  });

  const known = analysts.data ?? [];
  const unknownAssignee =
    filters.assignee &&
    !["me", "none"].includes(filters.assignee) &&
    !known.some((a) => a.id === filters.assignee);
  const toError = form.formState.errors.declaredTo?.message;

  const handlingCount = activeFilterCount(filters, ["status", "assignee", "overdue", "qualified"]);
  const structureCount = activeFilterCount(filters, ["structureType", "region"]);
  const incidentCount = activeFilterCount(filters, ["origin", "type", "impact", "supportRequested"]);
  const receptionCount = activeFilterCount(filters, ["channel", "outOfHours", "declaredFrom", "declaredTo"]);

  return (
    <search aria-labelledby="queue-filters-title">
      <h2 id="queue-filters-title" className={fr.cx("fr-h4")}>
        Filtrer les déclarations
      </h2>
      <form onSubmit={submit} noValidate>
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-7")}>
            <Input
              label="Rechercher"
              hintText="Référence, titre, description, structure, FINESS ou échanges ; accents et majuscules ignorés."
              nativeInputProps={{ id: "queue-q", type: "search", maxLength: 200, ...form.register("q") }}
            />
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-5")}>
            <Select label="Trier" nativeSelectProps={{ id: "queue-sort", ...form.register("sort") }}>
              {sortValues.map((s) => (
                <option key={s} value={s === "declared_desc" ? "" : s}>
                  {sortLabels[s] ?? s}
                </option>
              ))}
            </Select>
          </div>
        </div>

        <div className={fr.cx("fr-accordions-group", "fr-mb-3w")}>
          <Accordion
            id="queue-section-handling"
            titleAs="h3"
            label={sectionLabel("Statut et traitement", handlingCount)}
          >
            <CheckboxList
              form={form}
              name="status"
              id="queue-status"
              legend="Statut"
              options={statusOptions}
            />
            <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
              <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                <Select
                  label="Assignation"
                  hint={analysts.failed ? "La liste des analystes est indisponible." : undefined}
                  nativeSelectProps={{ id: "queue-assignee", ...form.register("assignee") }}
                >
                  <option value="">Toutes les déclarations</option>
                  <option value="me">Mes cas</option>
                  <option value="none">Non assignées</option>
                  {known.map((a) => (
                    <option key={a.id} value={a.id}>
                      {a.fullName}
                    </option>
                  ))}
                  {unknownAssignee ? <option value={filters.assignee}>Analyste sélectionné</option> : null}
                </Select>
              </div>
              <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                <TristateSelect
                  form={form}
                  name="overdue"
                  id="queue-overdue"
                  label="Délais"
                  any="Toutes"
                  yes="En retard"
                  no="Dans les délais"
                />
              </div>
              <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                <TristateSelect
                  form={form}
                  name="qualified"
                  id="queue-qualified"
                  label="Qualification"
                  any="Toutes"
                  yes="Qualifiées"
                  no="À qualifier"
                />
              </div>
            </div>
          </Accordion>
          <Accordion
            id="queue-section-structure"
            titleAs="h3"
            label={sectionLabel("Structure", structureCount)}
          >
            <CheckboxList
              form={form}
              name="structureType"
              id="queue-structure-type"
              legend="Type de structure"
              options={structureTypeOptions}
            />
            <CheckboxList
              form={form}
              name="region"
              id="queue-region"
              legend="Région"
              options={(regions ?? []).map((r) => ({ value: r.code, label: r.name }))}
            />
          </Accordion>
          <Accordion id="queue-section-incident" titleAs="h3" label={sectionLabel("Incident", incidentCount)}>
            <CheckboxList
              form={form}
              name="origin"
              id="queue-origin"
              legend="Origine"
              options={originOptions}
            />
            <CheckboxList
              form={form}
              name="type"
              id="queue-type-malicious"
              legend="Types malveillants"
              options={maliciousOptions}
            />
            <CheckboxList
              form={form}
              name="type"
              id="queue-type-non-malicious"
              legend="Types non malveillants"
              options={nonMaliciousOptions}
            />
            <CheckboxList
              form={form}
              name="impact"
              id="queue-impact"
              legend="Effet sur le fonctionnement"
              options={impactOptions}
            />
            <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
              <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
                <TristateSelect
                  form={form}
                  name="supportRequested"
                  id="queue-support"
                  label="Accompagnement"
                  any="Toutes"
                  yes="Accompagnement demandé"
                  no="Sans demande d'accompagnement"
                />
              </div>
            </div>
          </Accordion>
          <Accordion
            id="queue-section-reception"
            titleAs="h3"
            label={sectionLabel("Réception", receptionCount)}
          >
            <CheckboxList
              form={form}
              name="channel"
              id="queue-channel"
              legend="Canal"
              options={channelOptions}
            />
            <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
              <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                <TristateSelect
                  form={form}
                  name="outOfHours"
                  id="queue-out-of-hours"
                  label="Moment de la déclaration"
                  any="À toute heure"
                  yes="Hors heures ouvrées"
                  no="Aux heures ouvrées"
                />
              </div>
              <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                <Input
                  label="Reçues à partir du"
                  nativeInputProps={{ id: "queue-from", type: "date", ...form.register("declaredFrom") }}
                />
              </div>
              <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                <Input
                  label="Reçues jusqu'au"
                  state={toError ? "error" : "default"}
                  stateRelatedMessage={toError}
                  nativeInputProps={{ id: "queue-to", type: "date", ...form.register("declaredTo") }}
                />
              </div>
            </div>
          </Accordion>
        </div>

        <ul
          className={fr.cx(
            "fr-btns-group",
            "fr-btns-group--inline-sm",
            "fr-btns-group--icon-left",
            "fr-mb-0",
          )}
        >
          <li>
            <Button type="submit" iconId="fr-icon-filter-line">
              Appliquer les filtres
            </Button>
          </li>
          <li>
            <Button type="button" priority="secondary" iconId="fr-icon-refresh-line" onClick={onReset}>
              Réinitialiser
            </Button>
          </li>
        </ul>
      </form>
    </search>
  );
}
