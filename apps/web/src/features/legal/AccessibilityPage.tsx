import { fr } from "@codegouvfr/react-dsfr";
import { usePageTitle } from "../../app/page.tsx";

/** The accessibility statement required by article 47 of law 2005-102 (RGAA 4.1). */
export function AccessibilityPage() {
  usePageTitle("Déclaration d'accessibilité");
  return (
    <div className={fr.cx("fr-col-12", "fr-col-lg-9")}>
      <h1>Déclaration d'accessibilité</h1>
      <p>
        Le CERT Santé s'engage à rendre ses services numériques accessibles, conformément à l'article 47 de la
        loi n° 2005-102 du 11 février 2005.
      </p>
      <p>Cette déclaration d'accessibilité s'applique à la plateforme Vigie.</p>

      <h2>État de conformité</h2>
      <p>
        La plateforme Vigie est <strong>non conforme</strong> avec le référentiel général d'amélioration de
        l'accessibilité (RGAA), version 4.1, en raison de l'absence d'audit de conformité à ce jour.
      </p>

      <h2>Résultats des tests</h2>
      <p>
        Aucun audit de conformité n'a encore été réalisé. Les pages sont vérifiées automatiquement à chaque
        évolution (outil axe-core) et conçues avec le système de design de l'État (DSFR) : titres de page,
        liens d'évitement, libellés de formulaires, messages d'erreur reliés aux champs, navigation au
        clavier.
      </p>

      <h2>Contenus non accessibles</h2>
      <h3>Non-conformités connues</h3>
      <ul>
        <li>
          L'activation de la double authentification repose sur un code QR ; la clé est toujours proposée en
          texte pour une saisie manuelle.
        </li>
        <li>
          Certains tableaux longs (journal d'audit, courriels émis) n'ont pas encore été testés avec les
          lecteurs d'écran.
        </li>
      </ul>

      <h2>Établissement de cette déclaration</h2>
      <p>Cette déclaration a été établie le 28 novembre 2026.</p>
      <h3>Technologies utilisées</h3>
      <ul>
        <li>HTML5</li>
        <li>CSS</li>
        <li>JavaScript (React)</li>
      </ul>
      <h3>Environnement de test</h3>
      <p>Vérifications automatiques avec axe-core dans le navigateur Chromium.</p>

      <h2>Retour d'information et contact</h2>
      <p>
        Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter le CERT Santé pour
        être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme.
      </p>

      <h2>Voies de recours</h2>
      <p>
        Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou une
        fonctionnalité du site, que vous nous le signalez et que vous ne parvenez pas à obtenir une réponse de
        notre part, vous êtes en droit de faire parvenir vos doléances ou une demande de saisine au Défenseur
        des droits :
      </p>
      <ul>
        <li>
          écrire un message au Défenseur des droits (formulaire de contact sur le site defenseurdesdroits.fr)
          ;
        </li>
        <li>contacter le délégué du Défenseur des droits dans votre région ;</li>
        <li>
          envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre
          réponse 71120, 75342 Paris CEDEX 07.
        </li>
      </ul>
    </div>
  );
}
