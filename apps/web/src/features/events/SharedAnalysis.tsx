import { fr } from "@codegouvfr/react-dsfr";
import type { SharedEventAnalysis } from "@vigie/contracts";
import type { z } from "zod";

/**
 * The CERT's analysis of the event a declaration is linked to (never a TLP:RED one), shown on
 * the declaration's page: other structures declared the same incident.
 */
export function SharedAnalysis({ analysis }: { analysis: z.infer<typeof SharedEventAnalysis> | null }) {
  if (!analysis) return null;
  return (
    <section aria-labelledby="analyse-partagee" className={fr.cx("fr-callout", "fr-mb-4w")}>
      <h2 id="analyse-partagee" className={fr.cx("fr-callout__title", "fr-h5")}>
        Analyse du CERT Santé : {analysis.title}
      </h2>
      <p className={fr.cx("fr-text--sm")}>
        Votre déclaration est rattachée à l'évènement {analysis.reference}, qui regroupe les déclarations d'un
        même incident.
      </p>
      <p className={`${fr.cx("fr-callout__text")} vigie-multiline`}>{analysis.analysis}</p>
    </section>
  );
}
