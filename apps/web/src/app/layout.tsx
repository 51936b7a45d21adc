import { fr } from "@codegouvfr/react-dsfr";
import Footer from "@codegouvfr/react-dsfr/Footer";
import Header, { type HeaderProps } from "@codegouvfr/react-dsfr/Header";
import type { MainNavigationProps } from "@codegouvfr/react-dsfr/MainNavigation";
import SkipLinks from "@codegouvfr/react-dsfr/SkipLinks";
import { useEffect, useRef } from "react";
import { Outlet, useLocation, useNavigate } from "react-router";
import { useCurrentUser, useLogout } from "./auth.tsx";

const brandTop = (
  <>
    République
    <br />
    Française
  </>
);

/** The page frame: skip links, DSFR header and footer, and focus management between routes. */
export function Layout() {
  const user = useCurrentUser();
  const logout = useLogout();
  const navigate = useNavigate();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // RGAA 12.x: after a client-side navigation, move focus to the new page's heading so
  // screen readers announce it, as a full page load would.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on each new location
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const timer = window.setTimeout(() => {
      // A link to a section (/compte#jetons) lands on that section; otherwise on the h1.
      const anchor = location.hash
        ? document.getElementById(decodeURIComponent(location.hash.slice(1)))
        : null;
      const heading = mainRef.current?.querySelector<HTMLElement>("h1");
      const target = anchor ?? heading ?? mainRef.current;
      if (!target) return;
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: true });
      if (anchor) anchor.scrollIntoView();
      else window.scrollTo({ top: 0 });
    }, 50);
    return () => window.clearTimeout(timer);
  }, [location.pathname, location.hash]);

  const path = location.pathname;
  const navigation: MainNavigationProps.Item[] = [];
  const publicationsActive =
    path.startsWith("/publications") ||
    path.startsWith("/cert/publications") ||
    path.startsWith("/cert/fiches-reflexes");
  // The CERT's publications are public (TLP:CLEAR): the link is there for everyone. The CERT's
  // writers find there too their reflex sheets, so that their menu fits one line.
  const publicationsItem: MainNavigationProps.Item = user?.permissions.includes("publications:write")
    ? {
        text: "Publications",
        menuLinks: [
          { text: "Alertes et publications en ligne", linkProps: { to: "/publications" } },
          { text: "Rédaction des publications", linkProps: { to: "/cert/publications" } },
          ...(user.permissions.includes("declarations:handle")
            ? [{ text: "Fiches réflexes", linkProps: { to: "/cert/fiches-reflexes" } }]
            : []),
        ],
        isActive: publicationsActive,
      }
    : { text: "Alertes et publications", linkProps: { to: "/publications" }, isActive: publicationsActive };
  if (user) {
    // Home is the brand link and the account the header's own link (the user's name): the menu
    // keeps the places of work.
    if (user.permissions.includes("declarations:handle")) {
      navigation.push({
        text: "Déclarations reçues",
        linkProps: { to: "/cert/declarations" },
        isActive: path.startsWith("/cert/declarations"),
      });
      navigation.push({
        text: "Évènements",
        linkProps: { to: "/cert/evenements" },
        isActive: path.startsWith("/cert/evenements"),
      });
      navigation.push({
        text: "Astreinte",
        linkProps: { to: "/cert/astreinte" },
        isActive: path.startsWith("/cert/astreinte"),
      });
      navigation.push({
        text: "Alertes",
        menuLinks: [
          { text: "Règles d'alerte", linkProps: { to: "/cert/alertes/regles" } },
          { text: "Destinataires des alertes", linkProps: { to: "/cert/alertes/destinataires" } },
          { text: "Échéances réglementaires", linkProps: { to: "/cert/echeances" } },
        ],
        isActive: path.startsWith("/cert/alertes") || path.startsWith("/cert/echeances"),
      });
      if (user.permissions.includes("watch:handle")) {
        navigation.push({
          text: "Veille",
          menuLinks: [
            { text: "Tickets et notifications", linkProps: { to: "/cert/veille" } },
            { text: "Actifs exposés", linkProps: { to: "/cert/veille/actifs" } },
            { text: "Flux de vulnérabilités", linkProps: { to: "/cert/veille/flux" } },
            { text: "Comptes compromis", linkProps: { to: "/cert/veille/comptes-compromis" } },
            { text: "Audits d'exposition", linkProps: { to: "/cert/audits" } },
            { text: "Sécurité de la messagerie", linkProps: { to: "/messagerie" } },
          ],
          isActive:
            path.startsWith("/cert/veille") ||
            path.startsWith("/cert/audits") ||
            path.startsWith("/messagerie"),
        });
      }
    } else if (user.permissions.includes("declarations:read")) {
      navigation.push({
        text: user.permissions.includes("declarations:create") ? "Mes déclarations" : "Déclarations",
        linkProps: { to: "/declarations" },
        isActive:
          path === "/declarations" ||
          (path.startsWith("/declarations/") && !path.endsWith("/accuse-reception")),
      });
    }
    if (user.permissions.includes("watch:manage") && !user.permissions.includes("watch:handle")) {
      navigation.push({
        text: "Ma veille",
        menuLinks: [
          { text: "Tickets de veille", linkProps: { to: "/veille" } },
          { text: "Actifs exposés", linkProps: { to: "/veille/actifs" } },
          { text: "Audits d'exposition", linkProps: { to: "/audits" } },
          { text: "Sécurité de la messagerie", linkProps: { to: "/messagerie" } },
        ],
        isActive: path.startsWith("/veille") || path.startsWith("/audits") || path.startsWith("/messagerie"),
      });
    }
    // The CERT reaches the regional dashboard from its home page; the ARS from its menu.
    if (user.permissions.includes("dashboards:read") && !user.permissions.includes("declarations:handle")) {
      navigation.push({
        text: "Tableau de bord régional",
        linkProps: { to: "/ars/tableau-de-bord" },
        isActive: path.startsWith("/ars/tableau-de-bord"),
      });
    }
    if (user.permissions.includes("observatory:read")) {
      navigation.push({
        text: "Observatoire",
        linkProps: { to: "/observatoire" },
        isActive: path.startsWith("/observatoire"),
      });
    }
    if (user.permissions.includes("alerts:read")) {
      navigation.push({
        text: "Alertes reçues",
        linkProps: { to: "/autorite/alertes" },
        isActive: path.startsWith("/autorite/alertes"),
      });
    }
    if (user.permissions.includes("structures:read")) {
      navigation.push({
        text: "Annuaire",
        linkProps: { to: "/annuaire" },
        isActive: path.startsWith("/annuaire"),
      });
    }
    const admin: { text: string; linkProps: { to: string } }[] = [];
    if (user.permissions.includes("users:read"))
      admin.push({ text: "Utilisateurs", linkProps: { to: "/admin/utilisateurs" } });
    if (user.permissions.includes("audit:read"))
      admin.push({ text: "Journal d'audit", linkProps: { to: "/admin/journal" } });
    if (user.permissions.includes("outbox:read"))
      admin.push({ text: "Courriels émis", linkProps: { to: "/admin/courriels" } });
    if (admin.length > 0) {
      navigation.push({
        text: "Administration",
        menuLinks: admin,
        isActive: path.startsWith("/admin"),
      });
    }
    navigation.push(publicationsItem);
  } else {
    navigation.push(publicationsItem);
  }

  const declareItem: HeaderProps.QuickAccessItem = {
    iconId: "fr-icon-alarm-warning-line",
    text: user ? "Déclarer un incident" : "Déclarer un incident sans compte",
    linkProps: { to: "/declarer" },
  };
  const quickAccessItems: HeaderProps.QuickAccessItem[] = user
    ? [
        ...(user.permissions.includes("declarations:create") &&
        !user.permissions.includes("declarations:handle")
          ? [declareItem]
          : []),
        {
          iconId: "fr-icon-account-circle-line",
          text: user.fullName,
          linkProps: { to: "/compte" },
        },
        {
          iconId: "fr-icon-logout-box-r-line",
          text: "Se déconnecter",
          buttonProps: {
            type: "button",
            onClick: async () => {
              await logout();
              navigate("/connexion", { state: { loggedOut: true } });
            },
          },
        },
      ]
    : [declareItem, { iconId: "fr-icon-lock-line", text: "Se connecter", linkProps: { to: "/connexion" } }];

  return (
    <>
      <SkipLinks
        links={[
          { label: "Contenu", anchor: "#contenu" },
          ...(navigation.length > 0 ? [{ label: "Menu", anchor: "#en-tete-main-navigation" }] : []),
          { label: "Pied de page", anchor: "#pied-de-page" },
        ]}
      />
      <Header
        brandTop={brandTop}
        serviceTitle="Vigie"
        serviceTagline="Plateforme du CERT Santé"
        homeLinkProps={{ to: "/", title: "Accueil — Vigie, plateforme du CERT Santé" }}
        quickAccessItems={quickAccessItems}
        navigation={navigation.length > 0 ? navigation : undefined}
        classes={{ navbar: "vigie-navbar" }}
        id="en-tete"
      />
      <main id="contenu" ref={mainRef} tabIndex={-1} className={fr.cx("fr-container", "fr-py-6w")}>
        <Outlet />
      </main>
      <Footer
        id="pied-de-page"
        accessibility="non compliant"
        accessibilityLinkProps={{ to: "/accessibilite" }}
        termsLinkProps={{ to: "/mentions-legales" }}
        bottomItems={[{ text: "Alertes et publications", linkProps: { to: "/publications" } }]}
        brandTop={brandTop}
        homeLinkProps={{ to: "/", title: "Accueil — Vigie, plateforme du CERT Santé" }}
        contentDescription="Vigie est la plateforme du CERT Santé : les structures de santé y déclarent leurs incidents de sécurité des systèmes d'information, le CERT les traite et alerte les autorités compétentes."
      />
    </>
  );
}
