import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Notice from "@codegouvfr/react-dsfr/Notice";
import { useQuery } from "@tanstack/react-query";
import { Link, useLocation, useParams } from "react-router";
import { api } from "../../app/api.ts";
import { useCurrentUser, useSession } from "../../app/auth.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, QueryError } from "../../app/ui.tsx";
import { followPath, type Receipt, recallReceipt, type View } from "./api.ts";
import { BUSINESS_HOURS_TEXT } from "./hours.ts";
import { OncallPhone } from "./Oncall.tsx";

/**
 * /declarations/:id/accuse-reception — shown once the server has committed the declaration:
 * the reference, what happens next, the on-call number when relevant, where to follow it.
 */
export function ReceiptPage() {
  const { id = "" } = useParams();
  const location = useLocation();
  const state = location.state as { receipt?: Receipt; staleEdits?: boolean } | null;
  const stored = state?.receipt?.id === id ? state.receipt : recallReceipt(id);
  const session = useSession();
  const user = useCurrentUser();
  // Without the receipt at hand (another tab, a bookmark), a signed-in user reads the declaration.
  const view = useQuery({
    queryKey: ["declaration", id],
    queryFn: () => api.get<View>(`/api/declarations/${encodeURIComponent(id)}`),
    enabled: !stored && Boolean(user),
  });
  usePageTitle(stored || view.data ? "Déclaration envoyée" : "Accusé de réception");

  if (!stored) {
    if (session.isPending || view.isLoading) return <Loading />;
    if (!user || view.error) {
      return (
        <>
          <h1>Accusé de réception</h1>
          {view.error ? <QueryError error={view.error} /> : null}
          <p>
            L'accusé de réception n'est plus disponible sur cet appareil. Retrouvez votre déclaration grâce au
            lien de suivi qui vous a été donné, ou dans la liste de vos déclarations si vous avez un compte.
          </p>
        </>
      );
    }
  }

  const receipt: Receipt | null =
    stored ??
    (view.data
      ? {
          id: view.data.id,
          reference: view.data.reference,
          declaredAt: view.data.declaredAt,
          outOfHours: view.data.outOfHours,
          oncallPhone: null,
          oncallPaged: view.data.oncallPaged,
          followUrl: `/declarations/${view.data.id}`,
          replayed: false,
        }
      : null);
  if (!receipt) return <Loading />;

  const follow = followPath(receipt.followUrl);
  const secretLink = follow.startsWith("/suivi/");
  const absoluteFollow = new URL(follow, window.location.origin).toString();

  return (
    <div className={fr.cx("fr-grid-row", "fr-grid-row--center")}>
      <div className={fr.cx("fr-col-12", "fr-col-md-10", "fr-col-lg-8")}>
        <h1>Déclaration envoyée</h1>
        <Alert
          severity="success"
          as="h2"
          title="Le CERT Santé a bien reçu votre déclaration"
          description={`Reçue le ${formatDateTime(receipt.declaredAt)}.`}
          className={fr.cx("fr-mb-4w")}
        />
        {receipt.replayed ? (
          <Notice
            className={fr.cx("fr-mb-3w")}
            title="Votre déclaration était bien arrivée dès le premier envoi : elle n'a été enregistrée qu'une fois."
          />
        ) : null}
        {state?.staleEdits ? (
          <Alert
            severity="warning"
            small
            className={fr.cx("fr-mb-3w")}
            description="Vos dernières modifications sont arrivées après l'enregistrement de la déclaration. Ajoutez-les dans un message depuis la page de suivi."
          />
        ) : null}
        <p className={fr.cx("fr-mb-1w")} id="reference-label">
          Votre référence
        </p>
        <p className="vigie-reference" aria-describedby="reference-label">
          {receipt.reference}
        </p>
        <p className={fr.cx("fr-text--sm")}>Notez-la : elle vous sera demandée si vous appelez le CERT.</p>

        {receipt.outOfHours && receipt.oncallPhone ? (
          <Alert
            severity="warning"
            as="h2"
            className={fr.cx("fr-my-4w")}
            title="Vous déclarez en dehors des heures ouvrées"
            description={
              <>
                <p className={fr.cx("fr-mb-1w")}>
                  {receipt.oncallPaged
                    ? "L'analyste d'astreinte a été prévenu. Si la prise en charge des patients est menacée, appelez-le :"
                    : "En cas d'urgence pour la prise en charge des patients, appelez l'astreinte :"}
                </p>
                <OncallPhone phone={receipt.oncallPhone} />
              </>
            }
          />
        ) : null}

        <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>La suite</h2>
        <ul>
          <li>Un analyste du CERT Santé étudie votre déclaration.</li>
          <li>
            Il vous rappelle au numéro indiqué si vous avez demandé un accompagnement ou s'il a besoin de
            précisions. Le CERT répond {BUSINESS_HOURS_TEXT} ; en dehors de ces heures, l'astreinte traite les
            urgences.
          </li>
          <li>Ses questions et recommandations apparaissent sur la page de suivi de la déclaration.</li>
        </ul>

        <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Suivre la déclaration</h2>
        {secretLink ? (
          <>
            <p>
              Vous avez déclaré sans compte : <strong>conservez ce lien</strong>, il est le seul moyen de
              suivre la déclaration et de répondre au CERT. Il vous a aussi été envoyé par courriel. Ne le
              partagez qu'avec les personnes qui gèrent l'incident.
            </p>
            <p className="vigie-token">{absoluteFollow}</p>
          </>
        ) : null}
        <p>
          <Link className={fr.cx("fr-btn")} to={follow}>
            Suivre la déclaration {receipt.reference}
          </Link>
        </p>
        {user ? (
          <p>
            <Link className={fr.cx("fr-link")} to="/declarations">
              Toutes mes déclarations
            </Link>
          </p>
        ) : null}
      </div>
    </div>
  );
}
