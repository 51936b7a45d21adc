import { fr } from "@codegouvfr/react-dsfr";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Button from "@codegouvfr/react-dsfr/Button";
import Table from "@codegouvfr/react-dsfr/Table";
import { useForm } from "react-hook-form";
import { Link, useNavigate } from "react-router";
import { useCan } from "../../app/auth.tsx";
import { FormErrorSummary, FormTextField, RequiredNotice, useFormFeedback } from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, QueryError } from "../../app/ui.tsx";
import { usePerimeter } from "../exposure-audits/api.ts";
import { ChosenStructure } from "../exposure-audits/structures.tsx";
import { campaignPath, mailTestPath, useCampaigns, useMailActions, useMailTests } from "./api.ts";
import { CampaignStatusBadge, TestStatusBadge } from "./badges.tsx";

const TITLE = "Sécurité de la messagerie";

/** /messagerie — the posture test of a mail domain and the filtering test of a mailbox. */
export function MailSecurityPage() {
  usePageTitle(TITLE);
  return (
    <>
      <Breadcrumb currentPageLabel={TITLE} homeLinkProps={{ to: "/" }} segments={[]} />
      <h1>{TITLE}</h1>
      <p>
        Deux tests complémentaires : le <strong>test de configuration</strong> vérifie, depuis Internet, ce
        que votre domaine publie pour protéger vos courriels (SPF, DKIM, DMARC, MTA-STS, TLS-RPT, chiffrement
        des serveurs de messagerie, DANE, DNSSEC) ; le <strong>test de filtrage</strong> envoie à une boîte
        dédiée une série de messages inoffensifs imitant des attaques, pour savoir ce que votre filtrage
        laisse passer.
      </p>
      <ChosenStructure
        id="messagerie-structure"
        none="Votre compte n'est rattaché à aucune structure active : les tests ne sont pas disponibles."
      >
        {(structureId) => <StructureMail key={structureId} structureId={structureId} />}
      </ChosenStructure>
    </>
  );
}

function StructureMail({ structureId }: { structureId: string }) {
  const perimeter = usePerimeter(structureId);
  const canManage = useCan("watch:manage");
  if (perimeter.isPending) return <Loading />;
  const domain = perimeter.data?.domains[0] ?? "";
  const mailbox = perimeter.data?.filteringMailbox ?? "";
  return (
    <>
      {canManage ? <PostureForm structureId={structureId} defaultDomain={domain} /> : null}
      <TestList structureId={structureId} />
      {canManage ? <CampaignForm structureId={structureId} defaultMailbox={mailbox} /> : null}
      <CampaignList structureId={structureId} />
    </>
  );
}

function PostureForm({ structureId, defaultDomain }: { structureId: string; defaultDomain: string }) {
  const navigate = useNavigate();
  const actions = useMailActions();
  const form = useForm<{ domain: string }>({
    defaultValues: { domain: defaultDomain },
    shouldFocusError: false,
  });
  const feedback = useFormFeedback(form);
  const fields = { domain: { id: "messagerie-domaine", label: "Domaine de messagerie" } };
  const errors = form.formState.errors;
  const submit = feedback.handle(async (raw) => {
    const domain = String(raw.domain ?? "").trim();
    if (!domain) {
      form.setError("domain", { type: "required", message: "Indiquez le domaine de messagerie à tester." });
      feedback.focusSummary();
      return;
    }
    if (/[\s/@]/.test(domain)) {
      form.setError("domain", {
        type: "format",
        message: "Indiquez le domaine seul, sans « @ » ni « http:// », par exemple ch-exemple.fr.",
      });
      feedback.focusSummary();
      return;
    }
    const test = await actions.startTest(structureId, domain);
    navigate(mailTestPath(test.id));
  });
  return (
    <form onSubmit={submit} noValidate aria-labelledby="messagerie-test-titre" className={fr.cx("fr-mt-4w")}>
      <h2 id="messagerie-test-titre">Tester la configuration d'un domaine</h2>
      <RequiredNotice />
      <FormErrorSummary feedback={feedback} errors={errors} fields={fields} />
      <FormTextField
        form={form}
        fields={fields}
        name="domain"
        hint="La partie de vos adresses après « @ », par exemple ch-exemple.fr. Le test ne lit que des informations publiques et dure moins d'une minute."
        inputProps={{ autoComplete: "off", spellCheck: false }}
      />
      <Button type="submit" iconId="fr-icon-search-line" disabled={form.formState.isSubmitting}>
        {form.formState.isSubmitting ? "Test en cours…" : "Lancer le test de configuration"}
      </Button>
    </form>
  );
}

function TestList({ structureId }: { structureId: string }) {
  const tests = useMailTests(structureId);
  const items = tests.data ?? [];
  return (
    <section aria-labelledby="messagerie-tests" className={fr.cx("fr-mt-4w")}>
      <h2 id="messagerie-tests">Tests de configuration réalisés</h2>
      {tests.isPending ? (
        <Loading />
      ) : tests.error ? (
        <QueryError error={tests.error} />
      ) : items.length === 0 ? (
        <p>Aucun test de configuration pour l'instant.</p>
      ) : (
        <Table
          caption="Tests de configuration, du plus récent au plus ancien"
          headers={["Domaine", "Date", "Statut", "Résultats", "Détail"]}
          data={items.map((t) => [
            t.domain,
            formatDateTime(t.startedAt),
            <TestStatusBadge key="s" status={t.status} />,
            `${t.counts.pass} conforme${t.counts.pass > 1 ? "s" : ""}, ${t.counts.warn} à améliorer, ${t.counts.fail} non conforme${t.counts.fail > 1 ? "s" : ""}`,
            <Link key="l" className={fr.cx("fr-link")} to={mailTestPath(t.id)}>
              Voir le résultat
              <span className={fr.cx("fr-sr-only")}>
                {" "}
                du test de {t.domain} du {formatDateTime(t.startedAt)}
              </span>
            </Link>,
          ])}
        />
      )}
    </section>
  );
}

function CampaignForm({ structureId, defaultMailbox }: { structureId: string; defaultMailbox: string }) {
  const navigate = useNavigate();
  const actions = useMailActions();
  const form = useForm<{ mailbox: string }>({
    defaultValues: { mailbox: defaultMailbox },
    shouldFocusError: false,
  });
  const feedback = useFormFeedback(form);
  const fields = { mailbox: { id: "messagerie-boite", label: "Boîte aux lettres de test" } };
  const errors = form.formState.errors;
  const submit = feedback.handle(async (raw) => {
    const mailbox = String(raw.mailbox ?? "").trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(mailbox)) {
      form.setError("mailbox", {
        type: "format",
        message:
          "Indiquez l'adresse de la boîte aux lettres de test, par exemple test-filtrage@ch-exemple.fr.",
      });
      feedback.focusSummary();
      return;
    }
    const campaign = await actions.startCampaign(structureId, mailbox);
    navigate(campaignPath(campaign.id));
  });
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-labelledby="messagerie-filtrage-titre"
      className={fr.cx("fr-mt-6w")}
    >
      <h2 id="messagerie-filtrage-titre">Tester le filtrage des messages</h2>
      <p>
        Vigie envoie à cette adresse une série de messages de test, chacun portant un code : expéditeurs
        usurpés, en-têtes malformés, pièces jointes et archives dangereuses, fichier de test antivirus EICAR,
        documents à macros inoffensives, liens vers des adresses IP. Aucun n'est nuisible. Vous indiquerez
        ensuite ceux qui sont arrivés dans la boîte, ou Vigie les cherchera lui-même par IMAP.
      </p>
      <RequiredNotice />
      <FormErrorSummary feedback={feedback} errors={errors} fields={fields} />
      <FormTextField
        form={form}
        fields={fields}
        name="mailbox"
        hint="Une boîte dédiée au test, celle déclarée dans votre périmètre d'audit par défaut."
        inputProps={{ type: "email", autoComplete: "off", spellCheck: false }}
      />
      <Button type="submit" iconId="fr-icon-mail-line" disabled={form.formState.isSubmitting}>
        {form.formState.isSubmitting ? "Envoi en cours…" : "Envoyer les messages de test"}
      </Button>
    </form>
  );
}

function CampaignList({ structureId }: { structureId: string }) {
  const campaigns = useCampaigns(structureId);
  const items = campaigns.data ?? [];
  return (
    <section aria-labelledby="messagerie-campagnes" className={fr.cx("fr-mt-4w")}>
      <h2 id="messagerie-campagnes">Tests de filtrage réalisés</h2>
      {campaigns.isPending ? (
        <Loading />
      ) : campaigns.error ? (
        <QueryError error={campaigns.error} />
      ) : items.length === 0 ? (
        <p>Aucun test de filtrage pour l'instant.</p>
      ) : (
        <Table
          caption="Tests de filtrage, du plus récent au plus ancien"
          headers={["Boîte", "Date", "Statut", "Messages arrivés", "Détail"]}
          data={items.map((c) => {
            const arrived = c.messages.filter((m) => m.arrived).length;
            return [
              c.mailbox,
              formatDateTime(c.createdAt),
              <CampaignStatusBadge key="s" status={c.status} />,
              c.reportedAt ? `${arrived} sur ${c.messages.length}` : "non encore indiqués",
              <Link key="l" className={fr.cx("fr-link")} to={campaignPath(c.id)}>
                Voir le test
                <span className={fr.cx("fr-sr-only")}> de filtrage du {formatDateTime(c.createdAt)}</span>
              </Link>,
            ];
          })}
        />
      )}
    </section>
  );
}
