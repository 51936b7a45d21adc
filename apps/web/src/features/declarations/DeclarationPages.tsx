import { fr } from "@codegouvfr/react-dsfr";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useParams } from "react-router";
import { api } from "../../app/api.ts";
import { useCan } from "../../app/auth.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { Loading, QueryError } from "../../app/ui.tsx";
import type { Message, View } from "./api.ts";
import { DeclarationDetail } from "./DeclarationDetail.tsx";

/** While a declaration page loads, or when it cannot: its breadcrumb, a title, and the state. */
export function DeclarationLoadState({
  view,
  breadcrumb,
}: {
  view: { error: unknown };
  breadcrumb: ReactNode;
}) {
  return (
    <>
      {breadcrumb}
      <h1>{view.error ? "Déclaration introuvable" : "Déclaration"}</h1>
      {view.error ? <QueryError error={view.error} /> : <Loading />}
    </>
  );
}

/** /declarations/:id — a signed-in declarant's declaration, its thread and history. */
export function DeclarationPage() {
  const { id = "" } = useParams();
  const canMessage = useCan("declarations:message");
  const queryClient = useQueryClient();
  const queryKey = ["declaration", id];
  const view = useQuery({
    queryKey,
    queryFn: () => api.get<View>(`/api/declarations/${encodeURIComponent(id)}`),
  });
  usePageTitle(
    view.data
      ? `${view.data.reference} — ${view.data.title}`
      : view.error
        ? "Déclaration introuvable"
        : "Déclaration",
  );
  const breadcrumb = (
    <Breadcrumb
      currentPageLabel={view.data?.reference ?? "Déclaration"}
      homeLinkProps={{ to: "/" }}
      segments={[{ label: "Mes déclarations", linkProps: { to: "/declarations" } }]}
    />
  );
  if (view.isPending || view.error) return <DeclarationLoadState view={view} breadcrumb={breadcrumb} />;
  return (
    <DeclarationDetail
      before={breadcrumb}
      view={view.data}
      audience="declarant"
      canSend={canMessage}
      onSend={async (request) => {
        await api.post<Message>(`/api/declarations/${encodeURIComponent(id)}/messages`, request);
        await queryClient.invalidateQueries({ queryKey });
        await queryClient.invalidateQueries({ queryKey: ["declarations"] });
      }}
    />
  );
}

/** /suivi/:token — the same page for a declarant without an account, through the secret link. */
export function FollowPage() {
  const { token = "" } = useParams();
  const queryClient = useQueryClient();
  const queryKey = ["follow", token];
  const view = useQuery({
    queryKey,
    queryFn: () => api.get<View>(`/api/follow/${encodeURIComponent(token)}`),
  });
  usePageTitle(
    view.data
      ? `${view.data.reference} — suivi de la déclaration`
      : view.error
        ? "Lien de suivi invalide"
        : "Suivi de la déclaration",
  );
  if (view.isPending)
    return (
      <>
        <h1>Suivi de la déclaration</h1>
        <Loading />
      </>
    );
  if (view.error)
    return (
      <>
        <h1>Lien de suivi invalide</h1>
        <QueryError error={view.error} title="Déclaration introuvable" />
        <p>Vérifiez que le lien est complet : il vous a été donné à l'envoi de la déclaration.</p>
      </>
    );
  return (
    <DeclarationDetail
      before={
        <p className={fr.cx("fr-text--sm")}>
          Page de suivi par lien secret : ne la partagez qu'avec les personnes qui gèrent l'incident.
        </p>
      }
      view={view.data}
      audience="declarant"
      canSend
      onSend={async (request) => {
        await api.post<Message>(`/api/follow/${encodeURIComponent(token)}/messages`, request);
        await queryClient.invalidateQueries({ queryKey });
      }}
    />
  );
}
