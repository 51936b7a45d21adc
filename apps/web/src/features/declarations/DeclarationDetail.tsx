import { fr } from "@codegouvfr/react-dsfr";
import Accordion from "@codegouvfr/react-dsfr/Accordion";
import Alert from "@codegouvfr/react-dsfr/Alert";
import {
  careAffected,
  channel,
  declarantStandingLabels,
  declarationStatusLabels,
  operationalImpact,
} from "@vigie/contracts";
import type { ReactNode } from "react";
import { formatDateTime } from "../../app/ui.tsx";
import { SharedAnalysis } from "../events/SharedAnalysis.tsx";
import type { MessageKind, View } from "./api.ts";
import { DeclarationAnswers } from "./DeclarationAnswers.tsx";
import { AwaitingBadge, certStatusLabels, StatusBadge } from "./status.tsx";
import { AttachmentLinks, type ReplyAction, ReplyBox, Thread } from "./Thread.tsx";

type Audience = "declarant" | "cert";

/** The status history, newest last. */
function History({ view, audience }: { view: View; audience: Audience }) {
  if (view.statusHistory.length === 0) return <p>Aucun changement de statut.</p>;
  const label = (s: View["status"]) => (audience === "cert" ? certStatusLabels : declarationStatusLabels)[s];
  return (
    <ol className="vigie-history">
      {view.statusHistory.map((change) => (
        <li key={`${change.at}-${change.to}`}>
          <strong>{label(change.to)}</strong> — {formatDateTime(change.at)}
          {change.by ? <span className={fr.cx("fr-text--sm")}> ({change.by})</span> : null}
          {change.comment ? (
            <p className={fr.cx("fr-text--sm", "fr-mb-0")}>
              <span className="vigie-multiline">{change.comment}</span>
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/**
 * A declaration's page, for its declarant (signed in, or through the secret follow link) and
 * for the CERT: what was declared, the thread, the reply box, the status history.
 */
export function DeclarationDetail(props: {
  view: View;
  audience: Audience;
  onSend: (request: { body: string; kind: MessageKind; attachmentIds: string[] }) => Promise<void>;
  canSend: boolean;
  /** Extra block for the CERT (status change). */
  handling?: ReactNode;
  before?: ReactNode;
}) {
  const { view, audience, onSend, canSend, handling, before } = props;
  const data = view.data as Record<string, unknown>;
  const contact = (data.declarant ?? {}) as { fullName?: string; phone?: string };
  const awaiting = view.awaitingAnswer;
  const declarantActions: ReplyAction[] = awaiting
    ? [{ kind: "answer", label: "Envoyer la réponse" }]
    : [{ kind: "message", label: "Envoyer le message" }];
  const certActions: ReplyAction[] = [
    { kind: "question", label: "Poser une question au déclarant", primary: true },
    { kind: "recommendation", label: "Envoyer une recommandation" },
    { kind: "message", label: "Envoyer un message" },
  ];
  const closed = view.status === "closed";
  const structures = view.structures.length > 0 ? view.structures : [view.structure];

  return (
    <>
      {before}
      <h1 className={fr.cx("fr-mb-2w")}>{view.title}</h1>
      <p className={fr.cx("fr-mb-1w")}>
        <span className="vigie-reference vigie-reference--inline">{view.reference}</span>
      </p>
      <p className={`vigie-badges ${fr.cx("fr-mb-1w")}`}>
        <StatusBadge status={view.status} audience={audience} />
        {awaiting ? <AwaitingBadge audience={audience} /> : null}
      </p>
      <p className={fr.cx("fr-text--sm", "fr-mb-3w")}>
        Déclarée le {formatDateTime(view.declaredAt)} — {view.structure.name}
      </p>
      {audience === "declarant" && awaiting && canSend ? (
        <Alert
          severity="warning"
          as="h2"
          className={fr.cx("fr-mb-4w")}
          title="Le CERT Santé attend votre réponse"
          description={
            <p>
              Il vous a posé une question ci-dessous. <a href="#repondre">Répondre</a>
            </p>
          }
        />
      ) : null}
      {audience === "cert" ? (
        <section aria-labelledby="en-bref" className={fr.cx("fr-mb-4w")}>
          <h2 id="en-bref" className={fr.cx("fr-h4")}>
            En bref
          </h2>
          <dl className="vigie-answers">
            <Row term="Structure">
              {structures.map((s) => `${s.name} (FINESS ${s.finessEt})`).join(" ; ")}
            </Row>
            <Row term="Canal de réception">{channel.labels[view.channel]}</Row>
            <Row term="Fonctionnement">
              {operationalImpact.labels[view.operationalImpact]}
              {careAffected(view.operationalImpact) ? " — prise en charge des patients touchée" : ""}
            </Row>
            <Row term="Accompagnement demandé">{view.supportRequested ? "Oui" : "Non"}</Row>
            <Row term="Rappeler">
              {contact.fullName ?? "—"}
              {contact.phone ? (
                <>
                  {" — "}
                  <a href={`tel:${contact.phone.replace(/[^\d+]/g, "")}`}>{contact.phone}</a>
                </>
              ) : null}
            </Row>
            <Row term="Déclarant">{declarantStandingLabels[view.standing]}</Row>
            <Row term="Heures ouvrées">
              {view.outOfHours
                ? `Non (hors heures ouvrées)${view.oncallPaged ? " — astreinte prévenue" : ""}`
                : "Oui"}
            </Row>
          </dl>
          {handling}
        </section>
      ) : null}
      <SharedAnalysis analysis={view.sharedAnalysis} />
      <section aria-labelledby="echanges" className={fr.cx("fr-mb-4w")}>
        <h2 id="echanges" className={fr.cx("fr-h4")}>
          Échanges avec {audience === "cert" ? "le déclarant" : "le CERT Santé"}
        </h2>
        <Thread messages={view.messages} audience={audience} />
      </section>
      {canSend ? (
        <section aria-labelledby="repondre" className={fr.cx("fr-mb-6w")}>
          <h2 id="repondre" className={fr.cx("fr-h4")} tabIndex={-1}>
            {audience === "cert" ? "Écrire au déclarant" : awaiting ? "Répondre au CERT" : "Écrire au CERT"}
          </h2>
          {closed && audience === "declarant" ? (
            <p className={fr.cx("fr-text--sm")}>
              Cette déclaration est clôturée. Vous pouvez encore écrire au CERT s'il y a du nouveau.
            </p>
          ) : null}
          <ReplyBox
            id="reponse"
            label={audience === "cert" ? "Message" : awaiting ? "Votre réponse" : "Votre message"}
            hint={
              audience === "declarant"
                ? "Complément d'information, évolution de la situation, nouvelle pièce jointe…"
                : undefined
            }
            actions={audience === "cert" ? certActions : declarantActions}
            onSend={onSend}
          />
        </section>
      ) : null}
      <section aria-labelledby="historique" className={fr.cx("fr-mb-4w")}>
        <h2 id="historique" className={fr.cx("fr-h4")}>
          Historique
        </h2>
        <History view={view} audience={audience} />
      </section>
      <section aria-labelledby="declare" className={fr.cx("fr-mb-4w")}>
        <h2 id="declare" className={fr.cx("fr-h4")}>
          Ce qui a été déclaré
        </h2>
        {audience === "cert" ? (
          <DeclarationAnswers data={data} structures={structures} headingLevel={3} />
        ) : (
          <Accordion titleAs="h3" label="Toutes les réponses de la déclaration">
            <DeclarationAnswers data={data} structures={structures} headingLevel={4} />
          </Accordion>
        )}
        {view.attachments.length > 0 ? (
          <>
            <h3 className={fr.cx("fr-h6", "fr-mt-3w")}>Pièces jointes</h3>
            <AttachmentLinks items={view.attachments} />
          </>
        ) : null}
      </section>
    </>
  );
}

function Row({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="vigie-answers__row">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}
