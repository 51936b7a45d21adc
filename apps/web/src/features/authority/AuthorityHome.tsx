import { fr } from "@codegouvfr/react-dsfr";
import { Link } from "react-router";
import { formatDateTime, Loading, QueryError } from "../../app/ui.tsx";
import {
  AUTHORITY_CASES_LABEL,
  AUTHORITY_CASES_PATH,
  authorityCasePath,
  CaseStatusBadge,
  useAuthorityCases,
} from "./api.tsx";

/** On the authority's home page: the latest cases signalled to its body, and the way to all of them. */
export function AuthorityHomeAlerts() {
  const list = useAuthorityCases(1);
  return (
    <section aria-labelledby="alertes-recentes" className={fr.cx("fr-mt-4w")}>
      <h2 id="alertes-recentes">Dernières alertes reçues</h2>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <QueryError error={list.error} />
      ) : list.data.items.length === 0 ? (
        <p>Aucun cas ne vous a été signalé pour l'instant.</p>
      ) : (
        <ul>
          {list.data.items.slice(0, 5).map((c) => (
            <li key={c.incidentId} className={fr.cx("fr-mb-1w")}>
              <Link to={authorityCasePath(c.incidentId)}>{c.reference}</Link> — dernier message le{" "}
              {formatDateTime(c.lastSentAt)} <CaseStatusBadge status={c.status} />
            </li>
          ))}
        </ul>
      )}
      <p>
        <Link className={fr.cx("fr-btn")} to={AUTHORITY_CASES_PATH}>
          {AUTHORITY_CASES_LABEL}
        </Link>
      </p>
    </section>
  );
}
