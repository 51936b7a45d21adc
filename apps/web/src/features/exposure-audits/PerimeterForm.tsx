import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Button from "@codegouvfr/react-dsfr/Button";
import type { PerimeterInput } from "@vigie/contracts";
import { useId, useRef, useState } from "react";
import { type FieldErrors, type UseFormReturn, useFieldArray, useForm } from "react-hook-form";
import {
  type FieldSpec,
  FormErrorSummary,
  fieldError,
  RequiredNotice,
  TextField,
  useFormFeedback,
} from "../../app/forms.tsx";
import { focusLater } from "../alerting/focus.ts";
import { type PerimeterView, useAuditActions } from "./api.ts";

interface PerimeterValues {
  domains: { value: string }[];
  networks: { value: string }[];
  defaultCredentialsOptIn: boolean;
  filteringMailbox: string;
}

type ListName = "domains" | "networks";

function valuesOf(perimeter: PerimeterView): PerimeterValues {
  const rows = (list: string[]) => (list.length > 0 ? list : [""]).map((value) => ({ value }));
  return {
    domains: rows(perimeter.domains),
    networks: rows(perimeter.networks),
    defaultCredentialsOptIn: perimeter.defaultCredentialsOptIn,
    filteringMailbox: perimeter.filteringMailbox ?? "",
  };
}

/**
 * The request (empty lines left out) and, for each list, the index in the form of each item
 * sent, so that the server's « domains.2 » lands on the line the user typed.
 */
function toRequest(values: PerimeterValues) {
  const compact = (list: { value: string }[]) => {
    const sent: string[] = [];
    const origin: number[] = [];
    list.forEach((item, index) => {
      const value = item.value.trim();
      if (value) {
        sent.push(value);
        origin.push(index);
      }
    });
    return { sent, origin };
  };
  const domains = compact(values.domains);
  const networks = compact(values.networks);
  const input: PerimeterInput = {
    domains: domains.sent,
    networks: networks.sent,
    defaultCredentialsOptIn: values.defaultCredentialsOptIn,
    filteringMailbox: values.filteringMailbox.trim() || null,
  };
  return { input, origin: { domains: domains.origin, networks: networks.origin } };
}

const itemLabel: Record<ListName, string> = { domains: "Nom de domaine", networks: "Plage d'adresses" };

/**
 * A structure's declaration of what the CERT may audit: its domain names and address ranges
 * (editable lists), the opt-in to default credential tests and the mailbox of the filtering
 * test. Saved as a draft, then submitted to the CERT; server errors name their line, and nothing
 * typed is lost.
 */
export function PerimeterForm({ perimeter }: { perimeter: PerimeterView }) {
  const uid = useId();
  const actions = useAuditActions();
  const form = useForm<PerimeterValues>({ defaultValues: valuesOf(perimeter), shouldFocusError: false });
  const origin = useRef<Record<ListName, number[]>>({ domains: [], networks: [] });
  const [done, setDone] = useState("");
  const feedback = useFormFeedback(form, {
    mapField: (field) => {
      const [head, index] = field.split(".");
      if (head === "domains" || head === "networks") {
        const line = index === undefined ? undefined : origin.current[head][Number(index)];
        return line === undefined ? null : `${head}.${line}.value`;
      }
      if (head === "defaultCredentialsOptIn" || head === "filteringMailbox") return head;
      return null;
    },
  });
  const domains = useFieldArray({ control: form.control, name: "domains" });
  const networks = useFieldArray({ control: form.control, name: "networks" });
  const values = form.watch();

  const id = (name: string) => `perimetre-${name}`;
  const fields: Record<string, FieldSpec> = {};
  values.domains.forEach((_, i) => {
    fields[`domains.${i}.value`] = { id: id(`domaine-${i}`), label: `${itemLabel.domains} n° ${i + 1}` };
  });
  values.networks.forEach((_, i) => {
    fields[`networks.${i}.value`] = { id: id(`plage-${i}`), label: `${itemLabel.networks} n° ${i + 1}` };
  });
  fields.filteringMailbox = { id: id("boite"), label: "Boîte aux lettres du test de filtrage" };
  fields.defaultCredentialsOptIn = { id: id("identifiants"), label: "Test des identifiants par défaut" };

  /** Checks on the browser side what the server would refuse anyway, naming the line. */
  const checkLocally = (v: PerimeterValues): boolean => {
    let ok = true;
    v.domains.forEach((item, i) => {
      const value = item.value.trim();
      if (value && (/\s|\//.test(value) || value.length > 253)) {
        form.setError(`domains.${i}.value`, {
          type: "format",
          message: "Indiquez un nom de domaine seul, sans « http:// » ni chemin, par exemple ch-exemple.fr.",
        });
        ok = false;
      }
    });
    v.networks.forEach((item, i) => {
      const value = item.value.trim();
      if (value && !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(value)) {
        form.setError(`networks.${i}.value`, {
          type: "format",
          message: "Indiquez une adresse IP ou une plage CIDR, par exemple 198.51.100.0/24.",
        });
        ok = false;
      }
    });
    const mailbox = v.filteringMailbox.trim();
    if (mailbox && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(mailbox)) {
      form.setError("filteringMailbox", {
        type: "format",
        message: "Indiquez une adresse électronique complète, par exemple test-filtrage@ch-exemple.fr.",
      });
      ok = false;
    }
    return ok;
  };

  const save = async (raw: PerimeterValues, thenSubmit: boolean) => {
    setDone("");
    if (!checkLocally(raw)) {
      feedback.focusSummary();
      return;
    }
    const { input, origin: sentFrom } = toRequest(raw);
    origin.current = sentFrom;
    if (thenSubmit && input.domains.length === 0 && input.networks.length === 0) {
      form.setError("domains.0.value", {
        type: "required",
        message: "Indiquez au moins un nom de domaine ou une plage d'adresses avant de soumettre.",
      });
      feedback.focusSummary();
      return;
    }
    const saved = await actions.save(perimeter.structureId, input);
    if (thenSubmit) {
      if (saved.status === "validated") {
        // Nothing changed since the CERT validated it: there is nothing new to submit.
        feedback.setGlobal(
          "Ce périmètre est déjà validé par le CERT Santé : modifiez-le pour le soumettre de nouveau.",
        );
        return;
      }
      // A change to a validated perimeter is submitted by the save itself.
      if (saved.status !== "submitted") await actions.submit(perimeter.structureId);
      setDone("Périmètre soumis au CERT Santé : il l'examinera avant d'autoriser les audits.");
    } else {
      setDone("Brouillon enregistré.");
    }
    focusLater(`${uid}-done`);
  };

  const submitDraft = feedback.handle((raw) => save(raw as PerimeterValues, false));
  const submitToCert = feedback.handle((raw) => save(raw as PerimeterValues, true));
  const errors = form.formState.errors;
  const titleId = `${uid}-title`;

  return (
    <form onSubmit={submitDraft} noValidate aria-labelledby={titleId}>
      <h3 id={titleId}>Déclarer le périmètre</h3>
      <RequiredNotice />
      <FormErrorSummary feedback={feedback} errors={errors} fields={fields} />
      {perimeter.status === "validated" ? (
        <Alert
          small
          severity="info"
          className={fr.cx("fr-mb-3w")}
          description="Ce périmètre est validé. Une modification devra être soumise à nouveau au CERT Santé : les audits continuent sur le périmètre autorisé jusqu'à sa nouvelle validation."
        />
      ) : null}
      <EditableList
        form={form}
        name="domains"
        legend="Noms de domaine"
        hint="Un nom par ligne, sans « http:// » ni chemin, par exemple ch-exemple.fr : ses sous-domaines en font partie. Les accents sont acceptés."
        addLabel="Ajouter un nom de domaine"
        idOf={(i) => id(`domaine-${i}`)}
        array={domains}
        errors={errors}
      />
      <EditableList
        form={form}
        name="networks"
        legend="Plages d'adresses IP"
        hint="Une adresse ou une plage CIDR par ligne, par exemple 198.51.100.0/24 ou 2001:db8:12::/48 : seules ces adresses sont analysées, même si un nom de domaine pointe ailleurs."
        addLabel="Ajouter une plage d'adresses"
        idOf={(i) => id(`plage-${i}`)}
        array={networks}
        errors={errors}
      />
      <fieldset
        className={fr.cx("fr-fieldset", "fr-mt-3w")}
        aria-labelledby={`${uid}-credentials-legend`}
        id={`${uid}-credentials`}
      >
        <legend className={fr.cx("fr-fieldset__legend")} id={`${uid}-credentials-legend`}>
          Identifiants par défaut
        </legend>
        <div className={fr.cx("fr-fieldset__element")}>
          <div className={fr.cx("fr-checkbox-group")}>
            <input
              type="checkbox"
              id={fields.defaultCredentialsOptIn?.id}
              aria-describedby={`${uid}-credentials-hint`}
              {...form.register("defaultCredentialsOptIn")}
            />
            <label className={fr.cx("fr-label")} htmlFor={fields.defaultCredentialsOptIn?.id}>
              J'autorise le CERT Santé à essayer les identifiants par défaut des équipements exposés
              <span className={fr.cx("fr-hint-text")} id={`${uid}-credentials-hint`}>
                Facultatif. Le scanner tente alors de se connecter aux interfaces d'administration trouvées
                (caméras, routeurs, imprimantes, automates, serveurs DICOM…) avec les identifiants livrés
                d'usine, comme « admin / admin ». Il ne fait qu'une tentative par identifiant, ne modifie rien
                et se déconnecte aussitôt ; une réussite est signalée comme un constat critique. Prévenez vos
                équipes : ces connexions apparaîtront dans les journaux des équipements. Sans cette
                autorisation, aucun identifiant n'est essayé.
              </span>
            </label>
          </div>
        </div>
      </fieldset>
      <TextField
        id={fields.filteringMailbox?.id ?? id("boite")}
        label={fields.filteringMailbox?.label}
        optional
        hint="L'adresse d'une boîte dédiée qui recevra la batterie de messages du test de filtrage (pièces jointes dangereuses, fichier de test antivirus, liens piégés inoffensifs). N'indiquez pas la boîte d'une personne."
        error={fieldError(errors, "filteringMailbox")}
        inputProps={{
          ...form.register("filteringMailbox"),
          type: "email",
          autoComplete: "off",
          spellCheck: false,
        }}
      />
      <div className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-mt-2w")}>
        <Button
          type="submit"
          priority="secondary"
          iconId="fr-icon-save-line"
          disabled={form.formState.isSubmitting}
        >
          Enregistrer le brouillon
        </Button>
        <Button
          type="button"
          iconId="fr-icon-send-plane-line"
          disabled={form.formState.isSubmitting}
          onClick={() => void submitToCert()}
        >
          Soumettre au CERT
        </Button>
      </div>
      <p id={`${uid}-done`} tabIndex={-1} role="status" className={fr.cx("fr-text--bold", "fr-mt-1w")}>
        {done}
      </p>
    </form>
  );
}

function EditableList(props: {
  form: UseFormReturn<PerimeterValues>;
  name: ListName;
  legend: string;
  hint: string;
  addLabel: string;
  idOf: (index: number) => string;
  array: { fields: { id: string }[]; append: (v: { value: string }) => void; remove: (i: number) => void };
  errors: FieldErrors<PerimeterValues>;
}) {
  const { form, name, legend, hint, addLabel, idOf, array, errors } = props;
  const uid = useId();
  return (
    <fieldset className={fr.cx("fr-fieldset", "fr-mt-3w")} aria-labelledby={`${uid}-legend`}>
      <legend className={fr.cx("fr-fieldset__legend")} id={`${uid}-legend`}>
        {legend} <span className="vigie-optional">(facultatif)</span>
        <span className={fr.cx("fr-hint-text")}>{hint}</span>
      </legend>
      {array.fields.map((item, index) => {
        const value = form.getValues(`${name}.${index}.value`) ?? "";
        return (
          <div key={item.id} className={fr.cx("fr-fieldset__element")}>
            <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")}>
              <div className={fr.cx("fr-col-12", "fr-col-md-8")}>
                <TextField
                  id={idOf(index)}
                  label={`${itemLabel[name]} n° ${index + 1}`}
                  optional
                  error={fieldError(errors, `${name}.${index}.value`)}
                  inputProps={{
                    ...form.register(`${name}.${index}.value`),
                    autoComplete: "off",
                    spellCheck: false,
                  }}
                />
              </div>
              <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                <Button
                  type="button"
                  priority="tertiary"
                  size="small"
                  iconId="fr-icon-delete-line"
                  className={fr.cx("fr-mb-3w")}
                  onClick={() => {
                    array.remove(index);
                    if (array.fields.length <= 1) array.append({ value: "" });
                  }}
                >
                  Retirer
                  <span className={fr.cx("fr-sr-only")}>
                    {" "}
                    {itemLabel[name].toLowerCase()} n° {index + 1}
                    {value ? ` (${value})` : ""}
                  </span>
                </Button>
              </div>
            </div>
          </div>
        );
      })}
      <div className={fr.cx("fr-fieldset__element")}>
        <Button
          type="button"
          priority="secondary"
          size="small"
          iconId="fr-icon-add-line"
          onClick={() => {
            array.append({ value: "" });
            focusLater(idOf(array.fields.length));
          }}
        >
          {addLabel}
        </Button>
      </div>
    </fieldset>
  );
}
