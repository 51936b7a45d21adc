import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import {
  authorityInvolved,
  careAffected,
  channel,
  declarantStandingLabels,
  operationalImpact,
} from "@vigie/contracts";
import { type ReactNode, useCallback, useState } from "react";
import { Link, useLocation, useParams } from "react-router";
import { api } from "../../app/api.ts";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime } from "../../app/ui.tsx";
import { DeclarationAnswers } from "../declarations/DeclarationAnswers.tsx";
import { DeclarationLoadState } from "../declarations/DeclarationPages.tsx";
import { AwaitingBadge, StatusBadge } from "../declarations/status.tsx";
import {
  AttachmentLinks,
  type ReplyAction,
  ReplyBox,
  type ReplyRequest,
  Thread,
} from "../declarations/Thread.tsx";
import { AlertsSection } from "./case/AlertsSection.tsx";
import { type Case, declarationPath, useCase, useRefreshCase } from "./case/api.ts";
import { ClocksSection } from "./case/ClocksSection.tsx";
import { ComplementRequests } from "./case/ComplementRequests.tsx";
import { AssigneeForm, DeadlinesForm, TlpForm } from "./case/HandlingForms.tsx";
import { JournalTimeline, NoteForm } from "./case/Journal.tsx";
import { OtherSectorsRiskForm } from "./case/OtherSectorsRiskForm.tsx";
import { QualificationComparison, QualificationForm } from "./case/QualificationForm.tsx";
import { ReflexSheets } from "./case/ReflexSheets.tsx";
import { StatusActions } from "./case/StatusActions.tsx";
import { SupportActionForm, SupportActionsList } from "./case/SupportActions.tsx";
import { TlpBadge } from "./case/TlpBadge.tsx";
import { formatMinutes } from "./case/time.ts";
import { IndicatorsPanel } from "./IndicatorsPanel.tsx";
import "./case/case.css";

const certActions: ReplyAction[] = [
  { kind: "question", label: "Poser une question au déclarant", primary: true },
  { kind: "recommendation", label: "Envoyer une recommandation" },
  { kind: "message", label: "Envoyer un message" },
];

/** The sections of the page, for its summary and their anchors. */
const sections = [
  { id: "echanges", title: "Échanges avec le déclarant" },
  { id: "complements", title: "Demandes de compléments" },
  { id: "qualification", title: "Qualification" },
  { id: "alertes", title: "Alertes aux autorités" },
  { id: "echeances", title: "Échéances réglementaires" },
  { id: "journal", title: "Journal" },
  { id: "appui", title: "Appui technique" },
  { id: "indicateurs", title: "Indicateurs de compromission" },
  { id: "declare", title: "Ce qui a été déclaré" },
] as const;
const titleOf = (id: (typeof sections)[number]["id"]) => sections.find((s) => s.id === id)?.title ?? "";

/**
 * /cert/declarations/:id — the CERT's case: the declaration as declared and its handling
 * (status, qualification, assignment, deadlines, TLP, exchanges, journal, notes, complement
 * requests, technical support, event, reflex sheets). Two columns on a wide screen, one on a phone.
 */
export function CertDeclarationPage() {
  const { id = "" } = useParams();
  // Just recorded by the analyst (DeclarePage mode="recorded"): its reference, to confirm.
  const recorded = (useLocation().state as { recorded?: string } | null)?.recorded;
  const kase = useCase(id);
  const refresh = useRefreshCase(id);
  const [qualificationRequired, setQualificationRequired] = useState({ count: 0, message: "" });
  const onQualificationRequired = useCallback(
    (message: string) => setQualificationRequired((previous) => ({ count: previous.count + 1, message })),
    [],
  );
  usePageTitle(
    kase.data
      ? `${kase.data.declaration.reference} — ${kase.data.declaration.title}`
      : kase.error
        ? "Déclaration introuvable"
        : "Déclaration",
  );
  const breadcrumb = (
    <Breadcrumb
      currentPageLabel={kase.data?.declaration.reference ?? "Déclaration"}
      homeLinkProps={{ to: "/" }}
      segments={[{ label: "Déclarations reçues", linkProps: { to: "/cert/declarations" } }]}
    />
  );
  if (kase.isPending || kase.error) return <DeclarationLoadState view={kase} breadcrumb={breadcrumb} />;
  const view = kase.data;
  const declaration = view.declaration;
  const saved = async (next?: Case) => refresh(next);
  const onSend = async (request: ReplyRequest) => {
    await api.post(declarationPath(id, "/messages"), request);
    await refresh();
  };

  return (
    <>
      {breadcrumb}
      {recorded ? (
        <Alert
          severity="success"
          small
          className={fr.cx("fr-mb-3w")}
          description={`Déclaration enregistrée sous la référence ${recorded}.`}
        />
      ) : null}
      <CaseHeader view={view} />
      <nav
        className={`vigie-case-summary ${fr.cx("fr-summary", "fr-mb-4w")}`}
        aria-labelledby="case-summary-title"
      >
        <p className={fr.cx("fr-summary__title")} id="case-summary-title">
          Sur cette page
        </p>
        <ol>
          {sections.map((s) => (
            <li key={s.id}>
              <a className={fr.cx("fr-summary__link")} href={`#${s.id}`}>
                {s.title}
              </a>
            </li>
          ))}
          <li>
            <a className={fr.cx("fr-summary__link")} href="#suivi">
              Suivi du cas
            </a>
          </li>
          <li>
            <a className={fr.cx("fr-summary__link")} href="#reflex-sheets-title">
              Fiches réflexes
            </a>
          </li>
        </ol>
      </nav>
      <StatusActions view={view} onChanged={saved} onQualificationRequired={onQualificationRequired} />
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        <div className={fr.cx("fr-col-12", "fr-col-lg-8")}>
          <Section id="echanges">
            <Thread messages={declaration.messages} audience="cert" />
            <h3 id="repondre" className={fr.cx("fr-h6", "fr-mt-3w")} tabIndex={-1}>
              Écrire au déclarant
            </h3>
            <ReplyBox id="reponse" label="Message" actions={certActions} marking onSend={onSend} />
          </Section>
          <Section id="complements">
            <ComplementRequests view={view} />
          </Section>
          <Section id="qualification">
            <QualificationComparison view={view} />
            <QualificationForm view={view} requiredSignal={qualificationRequired} onSaved={saved} />
          </Section>
          <Section id="alertes">
            <AlertsSection incidentId={id} onChanged={() => saved()} />
          </Section>
          <Section id="echeances">
            <ClocksSection incidentId={id} onChanged={() => saved()} />
          </Section>
          <Section id="journal">
            <JournalTimeline incidentId={id} />
            <NoteForm incidentId={id} onSaved={() => saved()} />
          </Section>
          <Section id="appui">
            <SupportActionsList view={view} />
            <SupportActionForm view={view} onSaved={() => saved()} />
          </Section>
          <Section id="indicateurs">
            <IndicatorsPanel incidentId={id} />
          </Section>
          <Section id="declare">
            <DeclarationAnswers
              data={declaration.data as Record<string, unknown>}
              structures={
                declaration.structures.length > 0 ? declaration.structures : [declaration.structure]
              }
              headingLevel={3}
            />
            {declaration.attachments.length > 0 ? (
              <>
                <h3 className={fr.cx("fr-h6", "fr-mt-3w")}>Pièces jointes</h3>
                <AttachmentLinks items={declaration.attachments} />
              </>
            ) : null}
          </Section>
        </div>
        <div className={`vigie-case-aside ${fr.cx("fr-col-12", "fr-col-lg-4")}`}>
          <Brief view={view} />
          <section aria-labelledby="suivi">
            <h2 id="suivi" className={fr.cx("fr-h5")} tabIndex={-1}>
              Suivi du cas
            </h2>
            <AssigneeForm view={view} onSaved={saved} />
            <DeadlinesForm view={view} onSaved={saved} />
            <TlpForm view={view} onSaved={saved} />
            <OtherSectorsRiskForm view={view} onSaved={saved} />
          </section>
          <Timings view={view} />
          <EventLink view={view} />
          <section aria-labelledby="reflex-sheets-title">
            <ReflexSheets incidentId={id} onSent={() => saved()} />
          </section>
        </div>
      </div>
    </>
  );
}

function Section({ id, children }: { id: (typeof sections)[number]["id"]; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="vigie-case-section">
      <h2 id={id} className={fr.cx("fr-h4")} tabIndex={-1}>
        {titleOf(id)}
      </h2>
      {children}
    </section>
  );
}

/** Reference, title, status, TLP, overdue, assignee and deadlines. */
function CaseHeader({ view }: { view: Case }) {
  const d = view.declaration;
  return (
    <>
      <h1 className={fr.cx("fr-mb-2w")}>{d.title}</h1>
      <p className={fr.cx("fr-mb-1w")}>
        <span className="vigie-reference vigie-reference--inline">{d.reference}</span>
      </p>
      <p className={`vigie-badges ${fr.cx("fr-mb-2w")}`}>
        <StatusBadge status={d.status} audience="cert" />
        <TlpBadge value={view.tlp} />
        {view.overdue ? (
          <Badge as="span" small severity="error">
            En retard
          </Badge>
        ) : null}
        {d.awaitingAnswer ? <AwaitingBadge audience="cert" /> : null}
        {view.qualification ? (
          <Badge as="span" small severity={view.qualification.outOfScope ? undefined : "success"} noIcon>
            {view.qualification.outOfScope ? "Hors périmètre" : "Qualifié"}
          </Badge>
        ) : (
          <Badge as="span" small noIcon>
            Non qualifié
          </Badge>
        )}
      </p>
      <dl className="vigie-case-meta">
        <div>
          <dt>Déclarée le</dt>
          <dd>
            {formatDateTime(d.declaredAt)} — {d.structure.name}
          </dd>
        </div>
        <div>
          <dt>Analyste assigné</dt>
          <dd>{view.assignee?.fullName ?? "Non assigné"}</dd>
        </div>
        <div>
          <dt>Première réponse avant le</dt>
          <dd>{view.timings.acknowledgedAt ? "Faite" : formatDateTime(view.firstResponseDueAt)}</dd>
        </div>
        <div>
          <dt>Qualification avant le</dt>
          <dd>{view.qualification ? "Faite" : formatDateTime(view.qualificationDueAt)}</dd>
        </div>
      </dl>
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

/** The essentials to call the declarant back and judge the urgency. */
function Brief({ view }: { view: Case }) {
  const d = view.declaration;
  const contact = ((d.data as Record<string, unknown>).declarant ?? {}) as {
    fullName?: string;
    phone?: string;
  };
  const structures = d.structures.length > 0 ? d.structures : [d.structure];
  return (
    <section aria-labelledby="en-bref">
      <h2 id="en-bref" className={fr.cx("fr-h5")}>
        En bref
      </h2>
      <dl className="vigie-answers">
        <Row term="Structure">{structures.map((s) => `${s.name} (FINESS ${s.finessEt})`).join(" ; ")}</Row>
        <Row term="Canal de réception">{channel.labels[d.channel]}</Row>
        <Row term="Fonctionnement">
          {operationalImpact.labels[d.operationalImpact]}
          {careAffected(d.operationalImpact) ? " — prise en charge des patients touchée" : ""}
        </Row>
        <Row term="Accompagnement demandé">{d.supportRequested ? "Oui" : "Non"}</Row>
        <Row term="Rappeler">
          {contact.fullName ?? "—"}
          {contact.phone ? (
            <>
              {" — "}
              <a href={`tel:${contact.phone.replace(/[^\d+]/g, "")}`}>{contact.phone}</a>
            </>
          ) : null}
        </Row>
        <Row term="Déclarant">{declarantStandingLabels[d.standing]}</Row>
        <Row term="Heures ouvrées">
          {d.outOfHours ? `Non (hors heures ouvrées)${d.oncallPaged ? " — astreinte prévenue" : ""}` : "Oui"}
        </Row>
        <Row term="Appui technique">
          {view.technicalSupportProvided ? "Apporté" : "Aucun"}
          {view.authoritiesInvolved.length > 0
            ? ` — intervention : ${view.authoritiesInvolved.map((a) => authorityInvolved.labels[a]).join(", ")}`
            : ""}
        </Row>
      </dl>
    </section>
  );
}

/** When the case was acknowledged, qualified, resolved, closed, and how long each took. */
function Timings({ view }: { view: Case }) {
  const t = view.timings;
  return (
    <section aria-labelledby="delais">
      <h2 id="delais" className={fr.cx("fr-h5")}>
        Délais de traitement
      </h2>
      <dl className="vigie-answers">
        <Row term="Prise en compte">
          {t.acknowledgedAt
            ? `${formatDateTime(t.acknowledgedAt)} (${formatMinutes(t.minutesToAcknowledge)})`
            : "—"}
        </Row>
        <Row term="Qualification">
          {t.qualifiedAt ? `${formatDateTime(t.qualifiedAt)} (${formatMinutes(t.minutesToQualify)})` : "—"}
        </Row>
        <Row term="Résolution">{formatDateTime(t.resolvedAt)}</Row>
        <Row term="Clôture">
          {t.closedAt ? `${formatDateTime(t.closedAt)} (${formatMinutes(t.minutesToClose)})` : "—"}
        </Row>
      </dl>
    </section>
  );
}

/** The CERT event the case is linked to (events are linked from their own page). */
function EventLink({ view }: { view: Case }) {
  return (
    <section aria-labelledby="evenement">
      <h2 id="evenement" className={fr.cx("fr-h5")}>
        Évènement
      </h2>
      {view.event ? (
        <p className={fr.cx("fr-mb-0")}>
          Rattaché à l'évènement{" "}
          <Link className={fr.cx("fr-link")} to={`/cert/evenements/${encodeURIComponent(view.event.id)}`}>
            {view.event.reference} — {view.event.title}
          </Link>
        </p>
      ) : (
        <p className={fr.cx("fr-mb-0", "fr-text--sm")}>
          Ce cas n'est rattaché à aucun évènement. Un évènement regroupe les déclarations d'une même cause
          (campagne d'hameçonnage, panne d'un prestataire) depuis{" "}
          <Link className={fr.cx("fr-link")} to="/cert/evenements">
            la liste des évènements
          </Link>
          .
        </p>
      )}
    </section>
  );
}
