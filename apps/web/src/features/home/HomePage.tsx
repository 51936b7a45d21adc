import { fr } from "@codegouvfr/react-dsfr";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Notice from "@codegouvfr/react-dsfr/Notice";
import Tile from "@codegouvfr/react-dsfr/Tile";
import { authorityLabels, type Permission, roleLabels } from "@vigie/contracts";
import { Link } from "react-router";
import { type SessionUser, useCurrentUser } from "../../app/auth.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { regionLabel, useRegions } from "../../app/regions.ts";
import { Loading, QueryError } from "../../app/ui.tsx";
import { DASHBOARD_LABEL, DASHBOARD_PATH } from "../ars/RegionalDashboardPage.tsx";
import { AuthorityHomeAlerts } from "../authority/AuthorityHome.tsx";
import { AUTHORITY_CASES_LABEL, AUTHORITY_CASES_PATH } from "../authority/api.tsx";
import { RECORD_LABEL, RECORD_PATH } from "../cert/CertDeclarationsPage.tsx";
import { DeclarationCards, DeclareButton, useDeclarationList } from "../declarations/DeclarationsPage.tsx";

interface Shortcut {
  permission: Permission | null;
  title: string;
  desc: string;
  to: string;
}

const shortcuts: Shortcut[] = [
  {
    permission: "declarations:handle",
    title: RECORD_LABEL,
    desc: "Enregistrer pour le déclarant une déclaration reçue à l'astreinte ou par courriel.",
    to: RECORD_PATH,
  },
  {
    permission: "alerts:read",
    title: AUTHORITY_CASES_LABEL,
    desc: "Les cas que le CERT Santé a signalés à votre organisme, les messages reçus et leur état actuel.",
    to: AUTHORITY_CASES_PATH,
  },
  {
    permission: "dashboards:read",
    title: DASHBOARD_LABEL,
    desc: "Les déclarations d'une région par mois, type de structure, origine et impact sur la prise en charge.",
    to: DASHBOARD_PATH,
  },
  {
    permission: "structures:read",
    title: "Annuaire des structures",
    desc: "Rechercher un établissement par nom, commune ou numéro FINESS et consulter sa fiche.",
    to: "/annuaire",
  },
  {
    permission: "users:read",
    title: "Utilisateurs",
    desc: "Consulter les comptes, leurs rôles et leurs périmètres.",
    to: "/admin/utilisateurs",
  },
  {
    permission: "audit:read",
    title: "Journal d'audit",
    desc: "Consulter les actions enregistrées et vérifier l'intégrité du journal.",
    to: "/admin/journal",
  },
  {
    permission: "outbox:read",
    title: "Courriels émis",
    desc: "Consulter les courriels envoyés par la plateforme.",
    to: "/admin/courriels",
  },
  {
    permission: null,
    title: "Mon compte",
    desc: "Profil, mot de passe, double authentification et jetons d'API.",
    to: "/compte",
  },
];

/** The home page: what the signed-in user is responsible for, then shortcuts by permission. */
export function HomePage() {
  const user = useCurrentUser();
  usePageTitle("Accueil");
  if (!user) return null;
  const visible = shortcuts.filter((s) => s.permission === null || user.permissions.includes(s.permission));
  return (
    <>
      <h1>Bonjour {user.fullName}</h1>
      <p className={fr.cx("fr-text--lead")} id="role-courant">
        Vous êtes connecté en tant que <strong>{roleLabels[user.role]}</strong>
        {user.role === "authority" && user.authority ? ` — ${authorityLabels[user.authority]}` : ""}.
      </p>
      <RoleSection user={user} />
      <section aria-labelledby="raccourcis" className={fr.cx("fr-mt-6w")}>
        <h2 id="raccourcis">Raccourcis</h2>
        <ul className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-raw-list")}>
          {visible.map((shortcut) => (
            <li key={shortcut.to} className={fr.cx("fr-col-12", "fr-col-md-6", "fr-col-lg-4")}>
              <Tile
                title={shortcut.title}
                titleAs="h3"
                desc={shortcut.desc}
                linkProps={{ to: shortcut.to }}
              />
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function RoleSection({ user }: { user: SessionUser }) {
  switch (user.role) {
    case "declarant":
      return <DeclarantSection user={user} />;
    case "ars":
      return <ArsSection user={user} />;
    case "authority":
      return (
        <>
          <section aria-labelledby="votre-organisme">
            <h2 id="votre-organisme">Votre organisme</h2>
            <p>{user.authority ? authorityLabels[user.authority] : "Autorité nationale"}</p>
            <Notice title="Vous ne voyez que ce qui est transmis à votre organisme : les alertes et les incidents que le CERT Santé vous adresse au titre de la réglementation." />
          </section>
          <AuthorityHomeAlerts />
        </>
      );
    case "cert_analyst":
    case "cert_lead":
      return (
        <section aria-labelledby="votre-activite">
          <h2 id="votre-activite">Votre activité</h2>
          <p>
            {user.role === "cert_lead"
              ? "En tant que responsable du CERT, vous pilotez l'équipe, consultez les comptes et le journal d'audit."
              : "En tant qu'analyste du CERT, vous traitez les déclarations et complétez l'annuaire des structures."}
          </p>
          <p>
            <Link className={fr.cx("fr-btn")} to="/cert/declarations">
              Déclarations reçues
            </Link>
          </p>
        </section>
      );
    case "admin":
      return (
        <section aria-labelledby="administration">
          <h2 id="administration">Administration de la plateforme</h2>
          <p>Gérez les comptes, consultez le journal d'audit et les courriels émis par la plateforme.</p>
        </section>
      );
  }
}

/** The declarant's recent declarations (the first page of their list). */
function RecentDeclarations() {
  const list = useDeclarationList({});
  return (
    <section aria-labelledby="vos-declarations" className={fr.cx("fr-mb-6w")}>
      <h2 id="vos-declarations">Vos déclarations récentes</h2>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <QueryError error={list.error} />
      ) : list.data.items.length === 0 ? (
        <p>Aucune déclaration pour l'instant.</p>
      ) : (
        <>
          <DeclarationCards items={list.data.items.slice(0, 5)} headingLevel={3} />
          <p>
            <Link className={fr.cx("fr-link")} to="/declarations">
              Toutes mes déclarations
            </Link>
          </p>
        </>
      )}
    </section>
  );
}

function DeclarantSection({ user }: { user: SessionUser }) {
  return (
    <>
      <DeclareButton className={fr.cx("fr-mb-4w")} />
      <RecentDeclarations />
      {!user.mfaEnabled ? (
        <Notice
          className={fr.cx("fr-mb-4w")}
          title="Renforcez la sécurité de votre compte : activez la double authentification depuis la page Mon compte."
          link={{
            linkProps: { to: "/compte#double-authentification", target: "_self", rel: undefined },
            text: "Activer la double authentification",
          }}
        />
      ) : null}
      <section aria-labelledby="vos-structures">
        <h2 id="vos-structures">Vos structures</h2>
        {user.structures.length === 0 ? (
          <p>
            Votre compte n'est rattaché à aucune structure. Contactez le CERT Santé pour demander un
            rattachement.
          </p>
        ) : (
          <ul className={fr.cx("fr-raw-list")}>
            {user.structures.map((membership) => (
              <li key={membership.structureId} className={fr.cx("fr-mb-2w")}>
                <div className={fr.cx("fr-card", "fr-card--horizontal", "fr-card--sm", "fr-card--no-arrow")}>
                  <div className={fr.cx("fr-card__body")}>
                    <div className={fr.cx("fr-card__content")}>
                      <h3 className={fr.cx("fr-card__title")}>
                        {membership.status === "active" ? (
                          <Link to={`/annuaire/${membership.structureId}`}>{membership.name}</Link>
                        ) : (
                          membership.name
                        )}
                      </h3>
                      <p className={fr.cx("fr-card__desc")}>FINESS {membership.finessEt}</p>
                      <div className={fr.cx("fr-card__start")}>
                        {membership.status === "active" ? (
                          <Badge severity="success" small>
                            Rattachement actif
                          </Badge>
                        ) : (
                          <Badge severity="warning" small>
                            En attente de validation
                          </Badge>
                        )}
                      </div>
                    </div>
                  </div>
                </div>
              </li>
            ))}
          </ul>
        )}
        {user.structures.some((s) => s.status === "pending") ? (
          <p className={fr.cx("fr-text--sm")}>
            Les rattachements en attente sont validés par le CERT Santé ; vous serez prévenu par courriel.
          </p>
        ) : null}
      </section>
    </>
  );
}

function ArsSection({ user }: { user: SessionUser }) {
  const regions = useRegions();
  const name = regionLabel(regions.data, user.regionCode);
  const ars = regions.data?.find((r) => r.code === user.regionCode)?.arsName;
  return (
    <section aria-labelledby="votre-region">
      <h2 id="votre-region">Votre région : {name}</h2>
      {ars ? <p>{ars}</p> : null}
      <p>Vous voyez les structures et les déclarations de votre région.</p>
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
        <li>
          <Link className={fr.cx("fr-btn")} to={DASHBOARD_PATH}>
            {DASHBOARD_LABEL}
          </Link>
        </li>
        <li>
          <Link className={fr.cx("fr-btn", "fr-btn--secondary")} to="/declarations">
            Déclarations de la région
          </Link>
        </li>
        {user.regionCode ? (
          <li>
            <Link className={fr.cx("fr-btn", "fr-btn--secondary")} to={`/annuaire?region=${user.regionCode}`}>
              Structures de la région
            </Link>
          </li>
        ) : null}
      </ul>
    </section>
  );
}
