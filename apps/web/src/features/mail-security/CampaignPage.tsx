import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Button from "@codegouvfr/react-dsfr/Button";
import Table from "@codegouvfr/react-dsfr/Table";
import { filteringCategories, filteringCategoryLabels } from "@vigie/contracts";
import { type FormEvent, useState } from "react";
import { useForm } from "react-hook-form";
import { useParams } from "react-router";
import { useCan } from "../../app/auth.tsx";
import {
  FormErrorSummary,
  FormTextField,
  fieldError,
  PasswordField,
  RequiredNotice,
  useFormFeedback,
} from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, QueryError } from "../../app/ui.tsx";
import { focusLater } from "../alerting/focus.ts";
import { type FilteringCampaignView, MAIL_PATH, useCampaign, useMailActions } from "./api.ts";
import { CampaignStatusBadge } from "./badges.tsx";

const TITLE = "Test de filtrage des messages";

/** /messagerie/campagnes/:id — a filtering campaign: what arrived, and what the filtering let through. */
export function CampaignPage() {
  const { id = "" } = useParams();
  const campaign = useCampaign(id);
  usePageTitle(TITLE);
  return (
    <>
      <Breadcrumb
        currentPageLabel={TITLE}
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Sécurité de la messagerie", linkProps: { to: MAIL_PATH } }]}
      />
      <h1>{TITLE}</h1>
      {campaign.isPending ? (
        <Loading />
      ) : campaign.error ? (
        <QueryError error={campaign.error} />
      ) : campaign.data ? (
        <Campaign campaign={campaign.data} />
      ) : null}
    </>
  );
}

function Campaign({ campaign }: { campaign: FilteringCampaignView }) {
  const canManage = useCan("watch:manage");
  const [message, setMessage] = useState("");
  const ready = campaign.status === "sent" || campaign.status === "reported";
  const done = (text: string) => {
    setMessage(text);
    focusLater("campagne-resultats");
  };
  return (
    <>
      <p>
        <CampaignStatusBadge status={campaign.status} /> {campaign.structureName} — {campaign.messages.length}{" "}
        messages vers <strong>{campaign.mailbox}</strong>
        {campaign.sentAt ? `, envoyés le ${formatDateTime(campaign.sentAt)}` : ""}.
      </p>
      {campaign.status === "sending" ? (
        <p role="status">Envoi des messages en cours : cette page se met à jour toute seule.</p>
      ) : null}
      {campaign.status === "failed" ? (
        <Alert
          severity="error"
          title="L'envoi des messages a échoué"
          description={campaign.error ?? "Réessayez dans quelques minutes."}
          className={fr.cx("fr-mb-3w")}
        />
      ) : null}
      <Results campaign={campaign} message={message} />
      {ready && canManage ? (
        <>
          <ArrivalsForm campaign={campaign} onDone={done} />
          <ImapForm campaign={campaign} onDone={done} />
        </>
      ) : null}
    </>
  );
}

function Results({ campaign, message }: { campaign: FilteringCampaignView; message: string }) {
  const through = campaign.messages.filter((m) => m.arrived);
  return (
    <section aria-labelledby="campagne-resultats-titre">
      <h2 id="campagne-resultats-titre">Ce que le filtrage a laissé passer</h2>
      <div id="campagne-resultats" tabIndex={-1}>
        {message ? (
          <p role="status" className={fr.cx("fr-text--bold")}>
            {message}
          </p>
        ) : null}
      </div>
      {campaign.reportedAt ? (
        <>
          <p>
            Résultats indiqués le {formatDateTime(campaign.reportedAt)}
            {campaign.reportedVia === "imap" ? " par la vérification IMAP" : " par la structure"} :{" "}
            {through.length} message{through.length > 1 ? "s" : ""} sur {campaign.messages.length} arrivé
            {through.length > 1 ? "s" : ""} dans la boîte.
          </p>
          <Table
            caption="Messages arrivés par catégorie"
            headers={["Catégorie", "Envoyés", "Arrivés (laissés passer)", "Verdict"]}
            data={campaign.byCategory.map((c) => [
              c.label || filteringCategoryLabels[c.category],
              String(c.sent),
              String(c.arrived),
              c.arrived === 0
                ? "Tout a été bloqué"
                : c.arrived === c.sent
                  ? "Rien n'a été bloqué"
                  : "Filtrage partiel",
            ])}
          />
          {through.length > 0 ? (
            <Table
              caption="Messages laissés passer"
              headers={["Code", "Catégorie", "Message"]}
              data={through.map((m) => [m.code, filteringCategoryLabels[m.category], m.title])}
            />
          ) : null}
        </>
      ) : (
        <p>Indiquez ci-dessous les messages arrivés dans la boîte pour voir les résultats.</p>
      )}
    </section>
  );
}

function ArrivalsForm(props: { campaign: FilteringCampaignView; onDone: (message: string) => void }) {
  const { campaign, onDone } = props;
  const actions = useMailActions();
  const [checked, setChecked] = useState<Set<string>>(
    () => new Set(campaign.messages.filter((m) => m.arrived).map((m) => m.token)),
  );
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const toggle = (token: string) =>
    setChecked((current) => {
      const next = new Set(current);
      if (next.has(token)) next.delete(token);
      else next.add(token);
      return next;
    });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const result = await actions.reportArrivals(campaign.id, [...checked]);
      const arrived = result.messages.filter((m) => m.arrived).length;
      onDone(
        `Résultats enregistrés : ${arrived} message${arrived > 1 ? "s" : ""} arrivé${arrived > 1 ? "s" : ""}.`,
      );
    } catch (cause) {
      setError(cause);
      focusLater("campagne-arrivees-erreur");
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-labelledby="campagne-arrivees-titre"
      className={fr.cx("fr-mt-6w")}
    >
      <h2 id="campagne-arrivees-titre">Indiquer les messages arrivés</h2>
      <p>
        Ouvrez la boîte {campaign.mailbox} (courrier indésirable compris) et cochez chaque message que vous y
        trouvez : son objet commence par « [Test Vigie » suivi du numéro indiqué ici. Un message absent a été
        bloqué par votre filtrage.
      </p>
      <div id="campagne-arrivees-erreur" tabIndex={-1}>
        {error ? <QueryError error={error} title="Enregistrement impossible" /> : null}
      </div>
      {filteringCategories.map((category) => {
        const messages = campaign.messages.filter((m) => m.category === category);
        if (messages.length === 0) return null;
        return (
          <fieldset
            key={category}
            className={fr.cx("fr-fieldset")}
            aria-labelledby={`arrivees-${category}-legende`}
          >
            <legend
              className={fr.cx("fr-fieldset__legend", "fr-text--regular")}
              id={`arrivees-${category}-legende`}
            >
              {filteringCategoryLabels[category]}
            </legend>
            {messages.map((m) => (
              <div key={m.token} className={fr.cx("fr-fieldset__element")}>
                <div className={fr.cx("fr-checkbox-group", "fr-checkbox-group--sm")}>
                  <input
                    type="checkbox"
                    id={`arrivee-${m.token}`}
                    checked={checked.has(m.token)}
                    onChange={() => toggle(m.token)}
                  />
                  <label className={fr.cx("fr-label")} htmlFor={`arrivee-${m.token}`}>
                    {m.code} — {m.title}
                    <span className={fr.cx("fr-hint-text")}>Numéro dans l'objet : {m.token}</span>
                  </label>
                </div>
              </div>
            ))}
          </fieldset>
        );
      })}
      <Button type="submit" iconId="fr-icon-save-line" disabled={busy}>
        {busy ? "Enregistrement…" : "Enregistrer les messages arrivés"}
      </Button>
    </form>
  );
}

interface ImapValues {
  host: string;
  port: string;
  secure: boolean;
  user: string;
  password: string;
}

function ImapForm(props: { campaign: FilteringCampaignView; onDone: (message: string) => void }) {
  const { campaign, onDone } = props;
  const actions = useMailActions();
  const domain = campaign.mailbox.split("@")[1] ?? "";
  const form = useForm<ImapValues>({
    defaultValues: {
      host: domain ? `imap.${domain}` : "",
      port: "993",
      secure: true,
      user: campaign.mailbox,
      password: "",
    },
    shouldFocusError: false,
  });
  const feedback = useFormFeedback(form);
  const fields = {
    host: { id: "imap-serveur", label: "Serveur IMAP" },
    port: { id: "imap-port", label: "Port" },
    secure: { id: "imap-tls", label: "Connexion chiffrée (TLS)" },
    user: { id: "imap-identifiant", label: "Identifiant" },
    password: { id: "imap-mot-de-passe", label: "Mot de passe" },
  };
  const errors = form.formState.errors;
  const submit = feedback.handle(async (raw) => {
    const v = raw as ImapValues;
    let ok = true;
    const need = (name: keyof ImapValues, message: string) => {
      if (!String(v[name]).trim()) {
        form.setError(name, { type: "required", message });
        ok = false;
      }
    };
    need("host", "Indiquez le serveur IMAP.");
    need("user", "Indiquez l'identifiant IMAP.");
    need("password", "Indiquez le mot de passe IMAP.");
    const port = Number(v.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      form.setError("port", { type: "format", message: "Le port est compris entre 1 et 65535." });
      ok = false;
    }
    if (!ok) {
      feedback.focusSummary();
      return;
    }
    const result = await actions.imapCheck(campaign.id, {
      host: v.host.trim(),
      port,
      secure: v.secure,
      user: v.user,
      password: v.password,
    });
    form.setValue("password", "");
    const arrived = result.messages.filter((m) => m.arrived).length;
    onDone(
      `Vérification IMAP terminée : ${arrived} message${arrived > 1 ? "s" : ""} trouvé${arrived > 1 ? "s" : ""} dans la boîte.`,
    );
  });
  return (
    <form onSubmit={submit} noValidate aria-labelledby="imap-titre" className={fr.cx("fr-mt-6w")}>
      <h2 id="imap-titre">Ou laisser Vigie vérifier la boîte par IMAP</h2>
      <p>
        Vigie se connecte une fois à la boîte, cherche les messages du test par leur code, puis se déconnecte.
        Le mot de passe ne sert qu'à cette vérification : il n'est jamais enregistré.
      </p>
      <RequiredNotice />
      <FormErrorSummary feedback={feedback} errors={errors} fields={fields} />
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        <div className={fr.cx("fr-col-12", "fr-col-md-8")}>
          <FormTextField
            form={form}
            fields={fields}
            name="host"
            hint="Par exemple imap.ch-exemple.fr"
            inputProps={{ autoComplete: "off", spellCheck: false }}
          />
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
          <FormTextField
            form={form}
            fields={fields}
            name="port"
            hint="993 en général"
            inputProps={{ inputMode: "numeric", autoComplete: "off" }}
          />
        </div>
      </div>
      <div className={fr.cx("fr-checkbox-group", "fr-mb-3w")}>
        <input type="checkbox" id={fields.secure.id} {...form.register("secure")} />
        <label className={fr.cx("fr-label")} htmlFor={fields.secure.id}>
          {fields.secure.label}
        </label>
      </div>
      <FormTextField
        form={form}
        fields={fields}
        name="user"
        inputProps={{ autoComplete: "off", spellCheck: false }}
      />
      <PasswordField
        id={fields.password.id}
        label={fields.password.label}
        error={fieldError(errors, "password")}
        inputProps={{ ...form.register("password"), autoComplete: "off" }}
      />
      <Button
        type="submit"
        iconId="fr-icon-search-line"
        className={fr.cx("fr-mt-2w")}
        disabled={form.formState.isSubmitting}
      >
        {form.formState.isSubmitting ? "Vérification en cours…" : "Vérifier la boîte"}
      </Button>
    </form>
  );
}
