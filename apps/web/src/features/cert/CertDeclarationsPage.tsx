import { fr } from "@codegouvfr/react-dsfr";
import Pagination from "@codegouvfr/react-dsfr/Pagination";
import Table from "@codegouvfr/react-dsfr/Table";
import { channel, operationalImpact } from "@vigie/contracts";
import { Link } from "react-router";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, QueryError } from "../../app/ui.tsx";
import {
  DeclareButton,
  ListCount,
  ListFilters,
  useDeclarationList,
  useListParams,
} from "../declarations/DeclarationsPage.tsx";
import { AwaitingBadge, StatusBadge } from "../declarations/status.tsx";

/** The analyst's form for a declaration received by phone or e-mail (`DeclarePage mode="recorded"`). */
export const RECORD_PATH = "/cert/declarations/saisir";
export const RECORD_LABEL = "Saisir une déclaration reçue par téléphone ou courriel";

/** /cert/declarations — every declaration, newest first (the full case queue comes later). */
export function CertDeclarationsPage() {
  const list = useListParams("/cert/declarations");
  usePageTitle(list.page > 1 ? `Déclarations reçues — page ${list.page}` : "Déclarations reçues");
  const query = useDeclarationList({ status: list.status, q: list.q, page: list.page });
  const pages = query.data ? Math.max(1, Math.ceil(query.data.total / query.data.pageSize)) : 1;
  return (
    <>
      <h1>Déclarations reçues</h1>
      <DeclareButton className={fr.cx("fr-mb-4w")} to={RECORD_PATH}>
        {RECORD_LABEL}
      </DeclareButton>
      <ListFilters idPrefix="cert-declarations" audience="cert" {...list} />
      <ListCount data={query.data} />
      {query.isPending ? (
        <Loading />
      ) : query.error ? (
        <QueryError error={query.error} />
      ) : query.data.items.length > 0 ? (
        <>
          <Table
            caption="Déclarations reçues"
            noCaption
            fixed={false}
            headers={[
              "Référence",
              "Reçue le",
              "Canal",
              "Structure",
              "Titre",
              "Fonctionnement",
              "Aide",
              "Statut",
            ]}
            data={query.data.items.map((d) => [
              <Link key="ref" className="vigie-nowrap" to={`/cert/declarations/${d.id}`}>
                {d.reference}
              </Link>,
              formatDateTime(d.declaredAt),
              channel.labels[d.channel],
              d.structure.name,
              d.title,
              operationalImpact.labels[d.operationalImpact],
              d.supportRequested ? "Demandée" : "Non",
              <span key="status" className="vigie-badges">
                <StatusBadge status={d.status} audience="cert" />
                {d.awaitingAnswer ? <AwaitingBadge audience="cert" /> : null}
              </span>,
            ])}
          />
          {pages > 1 ? (
            <Pagination
              count={pages}
              defaultPage={list.page}
              getPageLinkProps={list.pageLink}
              showFirstLast
            />
          ) : null}
        </>
      ) : null}
      <p className={fr.cx("fr-text--sm", "fr-mt-2w")}>Les plus récentes d'abord.</p>
    </>
  );
}
