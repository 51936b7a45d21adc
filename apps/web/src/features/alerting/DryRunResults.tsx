import { fr } from "@codegouvfr/react-dsfr";
import Table from "@codegouvfr/react-dsfr/Table";
import { type AlertTarget, alertTargetLabels, alertTargets } from "@vigie/contracts";
import { Link } from "react-router";
import type { DryRun } from "./api.ts";

const names = (targets: AlertTarget[]) =>
  targets.length === 0 ? "Aucun" : targets.map((t) => alertTargetLabels[t]).join(", ");

/** What a dry run found: per target, cases alerted under the tried rules and the current ones; the cases that change. */
export function DryRunResults({ result, headingId }: { result: DryRun; headingId: string }) {
  const rows = alertTargets.map((target) => {
    const counts = result.byTarget[target] ?? { tried: 0, current: 0 };
    const delta = counts.tried - counts.current;
    return [
      alertTargetLabels[target],
      counts.tried.toLocaleString("fr-FR"),
      counts.current.toLocaleString("fr-FR"),
      delta === 0 ? "=" : delta > 0 ? `+${delta}` : String(delta),
    ];
  });
  return (
    <div className="vigie-dry-run">
      <h3 id={headingId} className={fr.cx("fr-h6", "fr-mt-3w")} tabIndex={-1}>
        Résultat de l'essai sur {result.cases.toLocaleString("fr-FR")} cas
      </h3>
      <Table
        caption="Cas alertés par destinataire"
        headers={["Destinataire", "Avec ces règles", "Avec les règles en vigueur", "Écart"]}
        data={rows}
      />
      {result.differences.length === 0 ? (
        <p>Aucun cas ne change de destinataires.</p>
      ) : (
        <Table
          caption={`Cas dont les destinataires changent (${result.differences.length}${
            result.differences.length >= 200 ? ", les 200 premiers" : ""
          })`}
          headers={["Cas", "Avec ces règles", "Avec les règles en vigueur"]}
          data={result.differences.map((d) => [
            <span key="case">
              <Link className={fr.cx("fr-link")} to={`/cert/declarations/${encodeURIComponent(d.id)}`}>
                {d.reference}
              </Link>
              <span className={fr.cx("fr-text--sm")} style={{ display: "block" }}>
                {d.title}
              </span>
            </span>,
            names(d.tried),
            names(d.current),
          ])}
        />
      )}
    </div>
  );
}
