import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import { AUDIT_PERIOD_DAYS } from "@vigie/contracts";
import { useSearchParams } from "react-router";
import { useCan } from "../../app/auth.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { formatDate, formatDateTime, Loading, pageHref, QueryError } from "../../app/ui.tsx";
import { AuditPagination, AuditTable } from "./AuditTable.tsx";
import { AUDITS_PATH, type PerimeterView, useAudits, usePerimeter } from "./api.ts";
import { PerimeterStatusBadge } from "./badges.tsx";
import { CtImportForm } from "./CtImportForm.tsx";
import { PerimeterForm } from "./PerimeterForm.tsx";
import { ChosenStructure } from "./structures.tsx";

const TITLE = "Audits d'exposition sur Internet";

/** /audits — a structure's perimeter, its authorisation, and its audits' reports. */
export function AuditsPage() {
  usePageTitle(TITLE);
  const [params] = useSearchParams();
  return (
    <>
      <Breadcrumb currentPageLabel={TITLE} homeLinkProps={{ to: "/" }} segments={[]} />
      <h1>{TITLE}</h1>
      <p>
        Tous les {Math.round(AUDIT_PERIOD_DAYS / 30)} mois, le CERT Santé analyse depuis Internet ce que votre
        structure y expose : noms de domaine, services ouverts, certificats, configuration des sites web et de
        la messagerie. Il ne le fait que sur le périmètre que vous déclarez et qu'il a autorisé, et vous remet
        un rapport avec les constats et les corrections à apporter. Les constats importants deviennent des
        tickets de veille.
      </p>
      <ChosenStructure
        id="audits-structure"
        none="Votre compte n'est rattaché à aucune structure active : les audits ne sont pas disponibles."
      >
        {(structureId) => <StructureAudits key={structureId} structureId={structureId} params={params} />}
      </ChosenStructure>
    </>
  );
}

function StructureAudits({ structureId, params }: { structureId: string; params: URLSearchParams }) {
  const perimeter = usePerimeter(structureId);
  const page = Math.max(1, Number(params.get("page")) || 1);
  const audits = useAudits({ structureId, page: page > 1 ? page : undefined });
  const canManage = useCan("watch:manage");
  return (
    <>
      <section aria-labelledby="perimetre-titre" className={fr.cx("fr-mt-4w")}>
        <h2 id="perimetre-titre">Périmètre d'audit</h2>
        {perimeter.isPending ? (
          <Loading />
        ) : perimeter.error ? (
          <QueryError error={perimeter.error} />
        ) : perimeter.data ? (
          <>
            <PerimeterState perimeter={perimeter.data} />
            {canManage ? <PerimeterForm perimeter={perimeter.data} /> : null}
            {canManage ? (
              <div className={fr.cx("fr-mt-6w")}>
                <CtImportForm structureId={structureId} ctNames={perimeter.data.ctNames} />
              </div>
            ) : null}
          </>
        ) : null}
      </section>
      <section aria-labelledby="audits-titre" className={fr.cx("fr-mt-6w")}>
        <h2 id="audits-titre">Audits réalisés{audits.data ? ` (${audits.data.total})` : ""}</h2>
        {audits.isPending ? (
          <Loading />
        ) : audits.error ? (
          <QueryError error={audits.error} />
        ) : audits.data && audits.data.items.length > 0 ? (
          <>
            <AuditTable
              caption="Audits de la structure, du plus récent au plus ancien"
              audits={audits.data.items}
            />
            <AuditPagination data={audits.data} page={page} href={(n) => pageHref(AUDITS_PATH, params, n)} />
          </>
        ) : (
          <p>
            Aucun audit pour l'instant : le premier aura lieu une fois le périmètre autorisé par le CERT
            Santé.
          </p>
        )}
      </section>
    </>
  );
}

/** Where the perimeter stands: status, the CERT's note, the authorisation in force. */
function PerimeterState({ perimeter }: { perimeter: PerimeterView }) {
  const auth = perimeter.authorisation;
  return (
    <div className={fr.cx("fr-mb-4w")}>
      <p>
        État du périmètre : <PerimeterStatusBadge status={perimeter.status} />
        {perimeter.submittedAt ? ` — soumis le ${formatDateTime(perimeter.submittedAt)}` : ""}
      </p>
      {perimeter.status === "rejected" && perimeter.reviewNote ? (
        <Alert
          severity="error"
          title="Le CERT Santé a refusé ce périmètre"
          description={`Motif : ${perimeter.reviewNote}. Corrigez le périmètre puis soumettez-le de nouveau.`}
          className={fr.cx("fr-mb-3w")}
        />
      ) : perimeter.reviewNote ? (
        <p>
          Note du CERT Santé : <em>{perimeter.reviewNote}</em>
        </p>
      ) : null}
      {auth ? (
        auth.inForce ? (
          <Alert
            severity="success"
            title={`Audits autorisés jusqu'au ${formatDate(auth.validUntil)}`}
            description={`Autorisation ${auth.reference}, accordée le ${formatDate(auth.grantedAt)} pour ${auth.domains.length} nom${auth.domains.length > 1 ? "s" : ""} de domaine et ${auth.networks.length} plage${auth.networks.length > 1 ? "s" : ""} d'adresses${auth.defaultCredentials ? ", test des identifiants par défaut compris" : ", sans test des identifiants par défaut"}.`}
            className={fr.cx("fr-mb-3w")}
          />
        ) : (
          <Alert
            severity="warning"
            title="Aucune autorisation en vigueur"
            description={
              auth.revokedAt
                ? `L'autorisation ${auth.reference} a été révoquée le ${formatDate(auth.revokedAt)} : aucun audit n'est mené.`
                : `L'autorisation ${auth.reference} a pris fin le ${formatDate(auth.validUntil)} : soumettez de nouveau le périmètre pour la renouveler.`
            }
            className={fr.cx("fr-mb-3w")}
          />
        )
      ) : (
        <p>Aucune autorisation pour l'instant : les audits commenceront après la validation du CERT Santé.</p>
      )}
    </div>
  );
}
