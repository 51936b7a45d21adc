import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Button from "@codegouvfr/react-dsfr/Button";
import Input from "@codegouvfr/react-dsfr/Input";
import Table from "@codegouvfr/react-dsfr/Table";
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import type { AuditPageView, AuditVerificationView } from "@vigie/contracts";
import { type FormEvent, useState } from "react";
import { api } from "../../app/api.ts";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, QueryError } from "../../app/ui.tsx";

/** French names of the audited actions; an unknown action shows its code. */
const actionLabels: Record<string, string> = {
  "auth.login": "Connexion",
  "auth.login_failed": "Échec de connexion",
  "auth.locked": "Compte verrouillé",
  "auth.logout": "Déconnexion",
  "auth.totp_setup": "Double authentification : nouveau secret",
  "auth.totp_enabled": "Double authentification activée",
  "auth.totp_enable_failed": "Échec d'activation de la double authentification",
  "auth.totp_verified": "Code de double authentification accepté",
  "auth.totp_failed": "Code de double authentification refusé",
  "auth.totp_disabled": "Double authentification désactivée",
  "auth.totp_disable_failed": "Échec de désactivation de la double authentification",
  "account.registered": "Inscription d'un déclarant",
  "account.email_verified": "Adresse électronique confirmée",
  "account.verification_resent": "Lien de confirmation renvoyé",
  "account.updated": "Profil modifié",
  "account.password_changed": "Mot de passe changé",
  "account.password_change_failed": "Échec du changement de mot de passe",
  "account.password_reset_requested": "Réinitialisation du mot de passe demandée",
  "account.password_reset": "Mot de passe réinitialisé",
  "account.oidc_linked": "Compte relié au fournisseur d'identité",
  "user.created": "Compte créé",
  "user.updated": "Compte modifié",
  "user.mfa_reset": "Double authentification réinitialisée",
  "token.created": "Jeton d'API créé",
  "token.revoked": "Jeton d'API révoqué",
  "structure.updated": "Fiche structure modifiée",
  "structure.read": "Fiche structure consultée",
  "directory.import": "Import de l'annuaire",
  "outbox.read": "Consultation des courriels émis",
  "permission.denied": "Accès refusé",
};

const outcomeBadge = {
  success: { label: "Succès", severity: "success" },
  failure: { label: "Échec", severity: "error" },
  denied: { label: "Refusé", severity: "warning" },
} as const;

/** The tamper-evident audit log, newest first, with the integrity check. */
export function AuditPage() {
  usePageTitle("Journal d'audit");
  const [filters, setFilters] = useState({ actor: "", action: "" });
  const [draft, setDraft] = useState(filters);
  // Cursor pagination: the stack of cursors lets the user go back to newer entries.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];

  const page = useQuery({
    queryKey: ["audit", filters, cursor ?? null],
    queryFn: ({ signal }) =>
      api.get<AuditPageView>(
        "/api/audit",
        { actor: filters.actor || undefined, action: filters.action || undefined, cursor, limit: 50 },
        signal,
      ),
    placeholderData: keepPreviousData,
  });
  const verify = useMutation({ mutationFn: () => api.get<AuditVerificationView>("/api/audit/verify") });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFilters({ actor: draft.actor.trim(), action: draft.action.trim() });
    setCursors([]);
  };

  return (
    <>
      <h1>Journal d'audit</h1>
      <p>
        Chaque action sensible est enregistrée dans un journal chaîné : chaque entrée contient l'empreinte de
        la précédente, si bien qu'une modification ou une suppression est détectée par la vérification
        d'intégrité.
      </p>
      <section aria-labelledby="integrite" className={fr.cx("fr-mb-5w")}>
        <h2 id="integrite" className={fr.cx("fr-h4")}>
          Intégrité du journal
        </h2>
        <Button
          type="button"
          iconId="fr-icon-shield-line"
          onClick={() => verify.mutate()}
          disabled={verify.isPending}
        >
          Vérifier l'intégrité
        </Button>
        <div role="status" aria-live="polite" className={fr.cx("fr-mt-2w")}>
          {verify.isPending ? <p>Vérification en cours…</p> : null}
          {verify.data ? (
            verify.data.ok ? (
              <Alert
                severity="success"
                title="Journal intègre"
                description={`${verify.data.checked.toLocaleString("fr-FR")} entrées vérifiées : aucune modification ni suppression détectée.`}
              />
            ) : (
              <Alert
                severity="error"
                title="Intégrité compromise"
                description={
                  <>
                    {`${verify.data.checked.toLocaleString("fr-FR")} entrées vérifiées, ${verify.data.problems.length} anomalie(s) :`}
                    <ul>
                      {verify.data.problems.slice(0, 50).map((p) => (
                        <li key={`${p.id}-${p.kind}`}>{p.message}</li>
                      ))}
                    </ul>
                  </>
                }
              />
            )
          ) : null}
        </div>
        {verify.error ? <QueryError error={verify.error} title="Vérification impossible" /> : null}
      </section>

      <section aria-labelledby="entrees">
        <h2 id="entrees" className={fr.cx("fr-h4")}>
          Entrées
        </h2>
        <search aria-label="Filtrer le journal">
          <form onSubmit={submit} className={fr.cx("fr-mb-3w")}>
            <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
              <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
                <Input
                  label="Acteur"
                  hintText="Adresse électronique ou identifiant du compte"
                  nativeInputProps={{
                    id: "audit-actor",
                    value: draft.actor,
                    onChange: (e) => setDraft({ ...draft, actor: e.target.value }),
                  }}
                />
              </div>
              <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
                <Input
                  label="Action"
                  hintText="Code exact, par exemple auth.login"
                  nativeInputProps={{
                    id: "audit-action",
                    value: draft.action,
                    list: "audit-actions",
                    onChange: (e) => setDraft({ ...draft, action: e.target.value }),
                  }}
                />
                <datalist id="audit-actions">
                  {Object.entries(actionLabels).map(([code, label]) => (
                    <option key={code} value={code}>
                      {label}
                    </option>
                  ))}
                </datalist>
              </div>
            </div>
            <Button type="submit" iconId="fr-icon-filter-line">
              Filtrer
            </Button>
          </form>
        </search>
        {page.isPending ? (
          <Loading />
        ) : page.error ? (
          <QueryError error={page.error} />
        ) : page.data.entries.length === 0 ? (
          <p role="status">Aucune entrée.</p>
        ) : (
          <>
            <Table
              caption="Entrées du journal d'audit, de la plus récente à la plus ancienne"
              noCaption
              headers={["Date", "Acteur", "Action", "Résultat", "Objet", "Adresse IP", "Détails"]}
              data={page.data.entries.map((entry) => {
                const outcome = outcomeBadge[entry.outcome];
                const hasDetails = Object.keys(entry.details).length > 0;
                return [
                  formatDateTime(entry.occurredAt),
                  entry.actorLabel,
                  <span key="action">
                    {actionLabels[entry.action] ?? entry.action}
                    <br />
                    <code className={fr.cx("fr-text--xs")}>{entry.action}</code>
                  </span>,
                  <Badge key="outcome" severity={outcome.severity} small>
                    {outcome.label}
                  </Badge>,
                  entry.objectType ? `${entry.objectType}${entry.objectId ? ` ${entry.objectId}` : ""}` : "—",
                  entry.ip ?? "—",
                  hasDetails ? (
                    <details key="details">
                      <summary>Voir</summary>
                      <pre className="vigie-pre">{JSON.stringify(entry.details, null, 2)}</pre>
                    </details>
                  ) : (
                    "—"
                  ),
                ];
              })}
            />
            <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
              {cursors.length > 0 ? (
                <li>
                  <Button type="button" priority="secondary" onClick={() => setCursors(cursors.slice(0, -1))}>
                    Entrées plus récentes
                  </Button>
                </li>
              ) : null}
              {page.data.nextCursor ? (
                <li>
                  <Button
                    type="button"
                    priority="secondary"
                    onClick={() => page.data.nextCursor && setCursors([...cursors, page.data.nextCursor])}
                  >
                    Entrées plus anciennes
                  </Button>
                </li>
              ) : null}
            </ul>
          </>
        )}
      </section>
    </>
  );
}
