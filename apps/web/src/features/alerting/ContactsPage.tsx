import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Button from "@codegouvfr/react-dsfr/Button";
import Table from "@codegouvfr/react-dsfr/Table";
import { useQueryClient } from "@tanstack/react-query";
import {
  type AlertTarget,
  AuthorityContactInput,
  alertTargetLabels,
  alertTargets,
  authorities,
} from "@vigie/contracts";
import { useState } from "react";
import { type Resolver, useForm } from "react-hook-form";
import { Link } from "react-router";
import { api } from "../../app/api.ts";
import { useCurrentUser } from "../../app/auth.tsx";
import { contractResolver } from "../../app/choice-fields.tsx";
import {
  ErrorSummary,
  fieldError,
  RequiredNotice,
  SelectField,
  TextField,
  useFormFeedback,
} from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { useRegions } from "../../app/regions.ts";
import { Loading, QueryError } from "../../app/ui.tsx";
import { alertingKeys, type Contact, RULES_PATH, targetName, useContacts } from "./api.ts";
import { focusLater } from "./focus.ts";
import "./alerting.css";

interface ContactValues {
  target: string;
  regionCode: string;
  email: string;
  label: string;
}
const empty: ContactValues = { target: "", regionCode: "", email: "", label: "" };

const toRequest = (v: ContactValues) => ({
  target: v.target || undefined,
  regionCode: v.target === "ars" ? v.regionCode || null : null,
  email: v.email.trim(),
  label: v.label,
});
const contractCheck = contractResolver<ContactValues>(AuthorityContactInput, toRequest, {
  target: "Choisissez le destinataire.",
  email: "Indiquez l'adresse électronique.",
});
/** The contract's checks, and the region an ARS's address needs. */
const resolver: Resolver<ContactValues> = async (values, context, options) => {
  const result = await contractCheck(values, context, options);
  if (values.target === "ars" && !values.regionCode) {
    const errors = {
      ...result.errors,
      regionCode: { type: "validate", message: "Choisissez la région de l'ARS." },
    };
    return { values: {}, errors };
  }
  return result;
};

const order = (c: Contact) => alertTargets.indexOf(c.target);

/**
 * /cert/alertes/destinataires — the addresses alerts are sent to: one or more per national
 * authority, per region for the ARS. The CERT lead adds and removes them.
 */
export function ContactsPage() {
  usePageTitle("Destinataires des alertes");
  const user = useCurrentUser();
  const canManage = user?.permissions.includes("alert_rules:manage") ?? false;
  const contacts = useContacts();
  const regions = useRegions();
  const queryClient = useQueryClient();
  const [message, setMessage] = useState("");
  const [removing, setRemoving] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<unknown>(null);

  const sorted = [...(contacts.data ?? [])].sort(
    (a, b) =>
      order(a) - order(b) ||
      (a.regionCode ?? "").localeCompare(b.regionCode ?? "") ||
      a.email.localeCompare(b.email),
  );
  const missing = authorities.filter((t) => !sorted.some((c) => c.target === t));
  const refresh = () => queryClient.invalidateQueries({ queryKey: alertingKeys.contacts });

  const remove = async (contact: Contact) => {
    setRemoving(contact.id);
    setRemoveError(null);
    setMessage("");
    try {
      await api.delete(`/api/alerting/contacts/${encodeURIComponent(contact.id)}`);
      await refresh();
      await queryClient.invalidateQueries({ queryKey: ["case"] });
      setMessage(
        `Adresse ${contact.email} (${targetName(contact.target, contact.regionCode, regions.data)}) supprimée.`,
      );
      focusLater("contacts-list-title");
    } catch (error) {
      setRemoveError(error);
      focusLater("contacts-remove-error");
    } finally {
      setRemoving(null);
    }
  };

  return (
    <>
      <Breadcrumb
        currentPageLabel="Destinataires des alertes"
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Règles d'alerte", linkProps: { to: RULES_PATH } }]}
      />
      <h1>Destinataires des alertes</h1>
      <p>
        Les alertes aux autorités partent à ces adresses, selon les{" "}
        <Link className={fr.cx("fr-link")} to={RULES_PATH}>
          règles d'alerte
        </Link>
        . L'ARS alertée est celle de la région de la structure.
      </p>
      <p role="status" aria-live="polite" className={fr.cx("fr-text--bold")}>
        {message}
      </p>

      <section aria-labelledby="contacts-list-title">
        <h2 id="contacts-list-title" tabIndex={-1}>
          Adresses enregistrées
        </h2>
        {removeError ? (
          <div id="contacts-remove-error" tabIndex={-1}>
            <QueryError error={removeError} title="Suppression impossible" />
          </div>
        ) : null}
        {contacts.isPending ? (
          <Loading />
        ) : contacts.error ? (
          <QueryError error={contacts.error} />
        ) : (
          <>
            {missing.length > 0 ? (
              <Alert
                severity="warning"
                small
                className={fr.cx("fr-mb-3w")}
                description={`Aucune adresse pour : ${missing.map((t) => alertTargetLabels[t]).join(", ")}. Les alertes proposées pour ces destinataires ne peuvent pas partir.`}
              />
            ) : null}
            {sorted.length === 0 ? (
              <p>Aucune adresse enregistrée.</p>
            ) : (
              <Table
                caption="Adresses des destinataires des alertes"
                noCaption
                headers={
                  canManage
                    ? ["Destinataire", "Libellé", "Adresse", "Action"]
                    : ["Destinataire", "Libellé", "Adresse"]
                }
                data={sorted.map((c) => [
                  targetName(c.target, c.regionCode, regions.data),
                  c.label,
                  c.email,
                  ...(canManage
                    ? [
                        <Button
                          key="remove"
                          size="small"
                          priority="tertiary"
                          iconId="fr-icon-delete-line"
                          disabled={removing === c.id}
                          onClick={() => void remove(c)}
                        >
                          Supprimer<span className={fr.cx("fr-sr-only")}> l'adresse {c.email}</span>
                        </Button>,
                      ]
                    : []),
                ])}
              />
            )}
          </>
        )}
      </section>

      {canManage ? (
        <ContactForm
          onAdded={async () => {
            await refresh();
            await queryClient.invalidateQueries({ queryKey: ["case"] });
            setMessage("");
          }}
        />
      ) : (
        <p className={fr.cx("fr-text--sm")}>Seul le responsable du CERT ajoute ou supprime des adresses.</p>
      )}
    </>
  );
}

function ContactForm({ onAdded }: { onAdded: (contact: Contact) => Promise<void> }) {
  const regions = useRegions();
  const form = useForm<ContactValues>({ resolver, defaultValues: empty, shouldFocusError: false });
  const feedback = useFormFeedback(form);
  const [done, setDone] = useState("");
  const target = form.watch("target") as AlertTarget | "";
  const fields = {
    target: { id: "contact-target", label: "Destinataire" },
    regionCode: { id: "contact-region", label: "Région de l'ARS" },
    email: { id: "contact-email", label: "Adresse électronique" },
    label: { id: "contact-label", label: "Libellé" },
  };
  const submit = feedback.handle(async (values) => {
    setDone("");
    const contact = await api.post<Contact>("/api/alerting/contacts", toRequest(values as ContactValues));
    await onAdded(contact);
    form.reset({
      ...empty,
      target: (values as ContactValues).target,
      regionCode: (values as ContactValues).regionCode,
    });
    setDone(
      `Adresse ${contact.email} ajoutée pour ${targetName(contact.target, contact.regionCode, regions.data)}.`,
    );
  });
  const errorOf = (name: keyof ContactValues) => fieldError(form.formState.errors, name);
  return (
    <form onSubmit={submit} noValidate aria-labelledby="contact-form-title" className={fr.cx("fr-mt-6w")}>
      <h2 id="contact-form-title">Ajouter une adresse</h2>
      <RequiredNotice />
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={form.formState.errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
          <SelectField
            id={fields.target.id}
            label={fields.target.label}
            error={errorOf("target")}
            selectProps={form.register("target")}
          >
            <option value="" disabled>
              Choisir
            </option>
            {alertTargets.map((t) => (
              <option key={t} value={t}>
                {alertTargetLabels[t]}
              </option>
            ))}
          </SelectField>
        </div>
        {target === "ars" ? (
          <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
            <SelectField
              id={fields.regionCode.id}
              label={fields.regionCode.label}
              hint={regions.error ? "La liste des régions n'a pas pu être chargée." : undefined}
              error={errorOf("regionCode")}
              selectProps={form.register("regionCode")}
            >
              <option value="" disabled>
                Choisir
              </option>
              {(regions.data ?? []).map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name} — {r.arsName}
                </option>
              ))}
            </SelectField>
          </div>
        ) : null}
      </div>
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
          <TextField
            id={fields.email.id}
            label={fields.email.label}
            hint="Une boîte de service plutôt qu'une personne : veille-ssi@ars-idf.example"
            error={errorOf("email")}
            inputProps={{ ...form.register("email"), type: "email", autoComplete: "off", spellCheck: false }}
          />
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
          <TextField
            id={fields.label.id}
            label={fields.label.label}
            hint="Par exemple : Cellule de veille SSI"
            error={errorOf("label")}
            inputProps={form.register("label")}
          />
        </div>
      </div>
      <Button
        type="submit"
        iconId="fr-icon-add-line"
        className={fr.cx("fr-mt-2w")}
        disabled={form.formState.isSubmitting}
      >
        Ajouter l'adresse
      </Button>
      <p role="status" className={fr.cx("fr-text--sm", "fr-mb-0", "fr-mt-1w")}>
        {done}
      </p>
    </form>
  );
}
