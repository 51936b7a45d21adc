import { fr } from "@codegouvfr/react-dsfr";
import { usePageTitle } from "../../app/page.tsx";

/** Legal notice (mentions légales). */
export function LegalNoticePage() {
  usePageTitle("Mentions légales");
  return (
    <div className={fr.cx("fr-col-12", "fr-col-lg-9")}>
      <h1>Mentions légales</h1>
      <h2>Éditeur</h2>
      <p>
        Vigie est la plateforme du CERT Santé, centre de réponse aux incidents de sécurité informatique du
        secteur de la santé. Elle reçoit les déclarations d'incidents de sécurité des systèmes d'information
        prévues par l'article L.1111-8-2 du code de la santé publique.
      </p>
      <h2>Hébergement</h2>
      <p>
        La plateforme est hébergée sur une infrastructure certifiée pour l'hébergement de données de santé.
      </p>
      <h2>Données personnelles</h2>
      <p>
        Les données des comptes (nom, fonction, coordonnées) et des déclarations sont traitées pour
        l'exécution de la mission de service public de traitement des incidents. Elles ne sont communiquées
        qu'aux autorités compétentes prévues par la réglementation. Vous disposez d'un droit d'accès et de
        rectification auprès du CERT Santé.
      </p>
      <h2>Cookies</h2>
      <p>
        La plateforme n'utilise qu'un cookie technique de session, indispensable à la connexion. Aucun cookie
        de mesure d'audience ni de publicité n'est déposé.
      </p>
      <h2>Sécurité</h2>
      <p>
        Toute tentative d'accès non autorisé est journalisée et peut faire l'objet de poursuites (articles
        323-1 et suivants du code pénal).
      </p>
    </div>
  );
}
