import { fr } from "@codegouvfr/react-dsfr";
import { useRouteError } from "react-router";
import { usePageTitle } from "./page.tsx";

/** Shown when a page crashes: a plain message instead of a blank screen. */
export function RouteError() {
  const error = useRouteError();
  usePageTitle("Erreur inattendue");
  // Logged for the developer console; users only see the French message.
  console.error(error);
  return (
    <main id="contenu" className={fr.cx("fr-container", "fr-py-6w")}>
      <h1>Erreur inattendue</h1>
      <p>
        La page n'a pas pu s'afficher. Rechargez la page ; si le problème persiste, contactez le CERT Santé.
      </p>
      <p>
        <a className={fr.cx("fr-link")} href="/">
          Retour à l'accueil
        </a>
      </p>
    </main>
  );
}
