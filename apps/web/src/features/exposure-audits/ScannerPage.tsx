import { fr } from "@codegouvfr/react-dsfr";
import { Link } from "react-router";
import { usePageTitle } from "../../app/page.tsx";

/**
 * The page the scanner's User-Agent points to (`VigieScanner/1.0 (+<address>/audits/scanner)`):
 * whoever finds the scanner in their logs learns who scans, on what authority, and how to tell.
 * Public: an administrator reading a log has no account.
 */
export function ScannerPage() {
  usePageTitle("Le scanner de cybersurveillance");
  const userAgent = `VigieScanner/1.0 (+${window.location.origin}/audits/scanner)`;
  return (
    <div className={fr.cx("fr-col-12", "fr-col-lg-9")}>
      <h1>Le scanner de cybersurveillance de Vigie</h1>
      <p>
        Vous lisez cette page parce que l'agent <code>{userAgent}</code> apparaît dans les journaux d'un de
        vos services. Il s'agit du service national de cybersurveillance du CERT Santé, qui audite
        l'exposition sur Internet des structures de santé.
      </p>

      <h2>Sur quel fondement</h2>
      <p>
        Le scanner n'analyse que le périmètre qu'une structure de santé a déclaré (noms de domaine et plages
        d'adresses) et que le CERT Santé a validé par une autorisation écrite, datée et limitée dans le temps.
        Un nom de ce périmètre qui pointe vers une adresse hors des plages déclarées (un hébergeur, un
        prestataire) est signalé à la structure mais n'est jamais analysé. Les audits ont lieu tous les deux
        mois environ.
      </p>

      <h2>Ce qu'il fait</h2>
      <ul>
        <li>Il recense les noms et enregistrements DNS publics du périmètre.</li>
        <li>Il cartographie les ports ouverts et identifie les services d'après leurs bannières.</li>
        <li>
          Il vérifie la configuration TLS, les en-têtes de sécurité des sites web, la présence de fichiers
          sensibles ou d'interfaces d'administration exposées, et les services sensibles (bureau à distance,
          partage de fichiers, bases de données, imagerie médicale DICOM).
        </li>
        <li>
          Il n'essaie des identifiants par défaut que si la structure l'a expressément demandé, sur une courte
          liste documentée.
        </li>
      </ul>
      <p>
        Il n'exploite aucune vulnérabilité, ne modifie rien et ne télécharge aucune donnée au-delà de ce qui
        permet de constater un problème. Son débit est limité pour chaque adresse et une seule analyse à la
        fois vise une même cible.
      </p>

      <h2>Comment le reconnaître</h2>
      <ul>
        <li>
          Requêtes web : l'agent utilisateur <code>{userAgent}</code>.
        </li>
        <li>
          Associations DICOM : le titre AE appelant <code>VIGIE-AUDIT</code>.
        </li>
      </ul>

      <h2>Une analyse que vous n'attendiez pas ?</h2>
      <p>
        Si vous êtes une structure de santé, votre espace Vigie (rubrique « Audits d'exposition ») indique
        votre périmètre, l'autorisation en vigueur et les audits réalisés. Sinon, ou pour toute question,
        signalez-le au CERT Santé en indiquant l'adresse analysée et l'heure : vous pouvez le faire par le
        formulaire de <Link to="/declarer">déclaration</Link>.
      </p>
    </div>
  );
}
