import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Button from "@codegouvfr/react-dsfr/Button";
import { DismissAlertRequest, SendAlertRequest } from "@vigie/contracts";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link } from "react-router";
import { api } from "../../../app/api.ts";
import { contractResolver } from "../../../app/choice-fields.tsx";
import { ErrorSummary, fieldError, TextField, useFormFeedback } from "../../../app/forms.tsx";
import { type Region, useRegions } from "../../../app/regions.ts";
import { formatDateTime, Loading, QueryError } from "../../../app/ui.tsx";
import {
  CONTACTS_PATH,
  caseAlertsPath,
  type Notification,
  type Proposal,
  RULES_PATH,
  targetName,
  useCaseAlerts,
  useCurrentRuleSet,
} from "../../alerting/api.ts";
import { focusLater } from "../../alerting/focus.ts";
import { TlpBadge } from "./TlpBadge.tsx";
import "../../alerting/alerting.css";

type Changed = () => Promise<void>;

const deliveryBadge: Record<
  Notification["delivery"],
  { label: string; severity: "success" | "info" | "error" } | null
> = {
  delivered: { label: "Remis", severity: "success" },
  pending: { label: "En cours", severity: "info" },
  failed: { label: "Échec", severity: "error" },
  none: null,
};

/**
 * The case's alerts to the authorities: what the published rules propose (target, rules,
 * recipients, prepared message), sent or not with a reason by the analyst, and the history of
 * what was decided with the delivery of the e-mails. Nothing of a TLP:RED case is sent.
 */
export function AlertsSection({ incidentId, onChanged }: { incidentId: string; onChanged: Changed }) {
  const alerts = useCaseAlerts(incidentId);
  const regions = useRegions();
  const rules = useCurrentRuleSet();
  const [status, setStatus] = useState("");

  if (alerts.isPending) return <Loading label="Chargement des alertes…" />;
  if (alerts.error) return <QueryError error={alerts.error} title="Alertes indisponibles" />;
  const { proposals, notifications, blockedReason } = alerts.data;
  const ruleLabel = (id: string) => rules.data?.rules.find((r) => r.id === id)?.label ?? id;
  const version = proposals[0]?.ruleSetVersion ?? rules.data?.version;
  const lastDecision = (p: Proposal) =>
    notifications
      .filter((n) => n.target === p.target && n.regionCode === p.regionCode)
      .sort((a, b) => b.decidedAt.localeCompare(a.decidedAt))[0];

  const done = async (message: string) => {
    await onChanged();
    setStatus(message);
    focusLater("alerts-history-title");
  };

  return (
    <>
      {blockedReason ? (
        <Alert
          severity="error"
          title="Envoi bloqué : cas TLP:RED"
          description={blockedReason}
          className={fr.cx("fr-mb-3w")}
        />
      ) : null}
      <h3 className={fr.cx("fr-h6")}>
        Propositions des règles{version !== undefined ? ` (version ${version})` : ""}
      </h3>
      {proposals.length === 0 ? (
        <p>
          Les{" "}
          <Link className={fr.cx("fr-link")} to={RULES_PATH}>
            règles d'alerte
          </Link>{" "}
          ne proposent d'alerter aucune autorité pour ce cas.
        </p>
      ) : (
        <ul className="vigie-alert-list">
          {proposals.map((p) => (
            <ProposalItem
              key={`${p.target}-${p.regionCode ?? ""}`}
              incidentId={incidentId}
              proposal={p}
              name={targetName(p.target, p.regionCode, regions.data)}
              ruleLabels={p.ruleIds.map(ruleLabel)}
              blocked={blockedReason !== null}
              last={lastDecision(p)}
              onDone={done}
            />
          ))}
        </ul>
      )}
      <p role="status" aria-live="polite" className={fr.cx("fr-text--bold")}>
        {status}
      </p>
      <h3 id="alerts-history-title" className={fr.cx("fr-h6")} tabIndex={-1}>
        Historique des alertes
      </h3>
      <History
        incidentId={incidentId}
        notifications={notifications}
        regions={regions.data}
        onRetried={async (name) => {
          await onChanged();
          setStatus(`Nouvel envoi de l'alerte à ${name} demandé.`);
        }}
      />
    </>
  );
}

function ProposalItem(props: {
  incidentId: string;
  proposal: Proposal;
  name: string;
  ruleLabels: string[];
  blocked: boolean;
  last: Notification | undefined;
  onDone: (message: string) => Promise<void>;
}) {
  const { incidentId, proposal: p, name, ruleLabels, blocked, last, onDone } = props;
  const [mode, setMode] = useState<"send" | "dismiss" | null>(null);
  const base = `alert-${p.target}`;
  const close = (focus: "send" | "dismiss") => {
    setMode(null);
    focusLater(`${base}-${focus}-toggle`);
  };
  const noAddress = p.recipients.length === 0;
  return (
    <li>
      <h4 className={fr.cx("fr-h6", "fr-mb-1w")} id={`${base}-title`}>
        {name}
      </h4>
      <p className={`vigie-badges ${fr.cx("fr-mb-1w")}`}>
        {p.automatic ? (
          <Badge as="span" small severity="warning" noIcon>
            Envoi automatique
          </Badge>
        ) : null}
        {p.alreadySent ? (
          <Badge as="span" small severity="success">
            Déjà envoyée
          </Badge>
        ) : last?.status === "dismissed" ? (
          <Badge as="span" small noIcon>
            Non envoyée
          </Badge>
        ) : null}
      </p>
      <p className={fr.cx("fr-text--sm", "fr-mb-1v")}>
        {ruleLabels.length > 1 ? "Règles qui la proposent :" : "Règle qui la propose :"}
      </p>
      <ul className={fr.cx("fr-text--sm")}>
        {ruleLabels.map((label) => (
          <li key={label}>{label}</li>
        ))}
      </ul>
      {p.alreadySent ? (
        <p className={fr.cx("fr-text--sm")}>
          Déjà envoyée à ce destinataire : un nouvel envoi est une mise à jour.
        </p>
      ) : last?.status === "dismissed" ? (
        <p className={fr.cx("fr-text--sm")}>
          Non envoyée le {formatDateTime(last.decidedAt)} par {last.decidedBy} : {last.comment}
        </p>
      ) : null}
      {noAddress ? (
        <Alert
          severity="warning"
          small
          className={fr.cx("fr-mb-2w")}
          description={
            <>
              Aucune adresse enregistrée pour ce destinataire : l'alerte ne peut pas partir.{" "}
              <Link className={fr.cx("fr-link")} to={CONTACTS_PATH}>
                Destinataires des alertes
              </Link>
            </>
          }
        />
      ) : (
        <p className={fr.cx("fr-text--sm")}>Destinataires : {p.recipients.join(", ")}</p>
      )}
      {blocked ? null : (
        <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm", "fr-btns-group--sm")}>
          {noAddress ? null : (
            <li>
              <Button
                type="button"
                size="small"
                priority={mode === "send" ? "primary" : "secondary"}
                nativeButtonProps={{
                  id: `${base}-send-toggle`,
                  "aria-expanded": mode === "send",
                  "aria-controls": `${base}-panel`,
                }}
                onClick={() => {
                  setMode(mode === "send" ? null : "send");
                  if (mode !== "send") focusLater(`${base}-subject`);
                }}
              >
                {p.alreadySent ? "Préparer un nouvel envoi" : "Préparer l'envoi"}
                <span className={fr.cx("fr-sr-only")}> à {name}</span>
              </Button>
            </li>
          )}
          <li>
            <Button
              type="button"
              size="small"
              priority="tertiary"
              nativeButtonProps={{
                id: `${base}-dismiss-toggle`,
                "aria-expanded": mode === "dismiss",
                "aria-controls": `${base}-panel`,
              }}
              onClick={() => {
                setMode(mode === "dismiss" ? null : "dismiss");
                if (mode !== "dismiss") focusLater(`${base}-reason`);
              }}
            >
              Ne pas envoyer<span className={fr.cx("fr-sr-only")}> à {name}</span>
            </Button>
          </li>
        </ul>
      )}
      <div id={`${base}-panel`}>
        {mode === "send" ? (
          <SendForm
            incidentId={incidentId}
            proposal={p}
            name={name}
            base={base}
            onCancel={() => close("send")}
            onSent={(n) =>
              onDone(
                `Alerte envoyée à ${name} (${n.recipients.length} destinataire${n.recipients.length > 1 ? "s" : ""}).`,
              )
            }
          />
        ) : mode === "dismiss" ? (
          <DismissForm
            incidentId={incidentId}
            proposal={p}
            name={name}
            base={base}
            onCancel={() => close("dismiss")}
            onDismissed={() => onDone(`Alerte à ${name} non envoyée : le motif est au journal.`)}
          />
        ) : null}
      </div>
    </li>
  );
}

interface SendValues {
  subject: string;
  body: string;
  comment: string;
}

/** The prepared message, editable (its TLP marking is kept by the server), then sent. */
function SendForm(props: {
  incidentId: string;
  proposal: Proposal;
  name: string;
  base: string;
  onCancel: () => void;
  onSent: (n: Notification) => Promise<void>;
}) {
  const { incidentId, proposal: p, name, base, onCancel, onSent } = props;
  const toRequest = (v: SendValues) => ({
    target: p.target,
    ...(v.subject !== p.subject ? { subject: v.subject } : {}),
    ...(v.body !== p.body ? { body: v.body } : {}),
    ...(v.comment.trim() ? { comment: v.comment } : {}),
  });
  const form = useForm<SendValues>({
    shouldFocusError: false,
    resolver: contractResolver<SendValues>(SendAlertRequest, (v) => ({
      ...v,
      target: p.target,
      comment: v.comment || undefined,
    })),
    defaultValues: { subject: p.subject, body: p.body, comment: "" },
  });
  const feedback = useFormFeedback(form);
  const fields = {
    subject: { id: `${base}-subject`, label: "Objet" },
    body: { id: `${base}-body`, label: "Message" },
    comment: { id: `${base}-comment`, label: "Commentaire interne" },
  };
  const submit = feedback.handle(async (values) => {
    const n = await api.post<Notification>(caseAlertsPath(incidentId), toRequest(values as SendValues));
    await onSent(n);
  });
  const errorOf = (name: keyof SendValues) => fieldError(form.formState.errors, name);
  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${base}-send-title`} className="vigie-alert-panel">
      <h5 id={`${base}-send-title`} className={fr.cx("fr-h6")}>
        Alerte à {name}
      </h5>
      <p className={fr.cx("fr-text--sm")}>
        Le message ne contient que les faits codés du cas et la synthèse du CERT, jamais la description du
        déclarant. Relisez-le avant l'envoi ; le marquage TLP du cas est conservé.
      </p>
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={form.formState.errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <p className={fr.cx("fr-text--sm")}>À : {p.recipients.join(", ")}</p>
      <TextField
        id={fields.subject.id}
        label={fields.subject.label}
        error={errorOf("subject")}
        inputProps={form.register("subject")}
      />
      <TextField
        id={fields.body.id}
        label={fields.body.label}
        textArea
        error={errorOf("body")}
        textAreaProps={{ ...form.register("body"), rows: 14 }}
      />
      <TextField
        id={fields.comment.id}
        label={fields.comment.label}
        hint="Pour le journal du cas ; il ne part pas avec l'alerte."
        optional
        textArea
        error={errorOf("comment")}
        textAreaProps={{ ...form.register("comment"), rows: 2 }}
      />
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm", "fr-btns-group--icon-left")}>
        <li>
          <Button type="submit" iconId="fr-icon-send-plane-line" disabled={form.formState.isSubmitting}>
            Envoyer<span className={fr.cx("fr-sr-only")}> l'alerte à {name}</span>
          </Button>
        </li>
        <li>
          <Button type="button" priority="secondary" onClick={onCancel}>
            Annuler
          </Button>
        </li>
      </ul>
    </form>
  );
}

/** Not sending what the rules propose, with the reason (journal). */
function DismissForm(props: {
  incidentId: string;
  proposal: Proposal;
  name: string;
  base: string;
  onCancel: () => void;
  onDismissed: () => Promise<void>;
}) {
  const { incidentId, proposal: p, name, base, onCancel, onDismissed } = props;
  const form = useForm<{ comment: string }>({
    shouldFocusError: false,
    resolver: contractResolver<{ comment: string }>(DismissAlertRequest, (values) => ({
      target: p.target,
      comment: values.comment,
    })),
    defaultValues: { comment: "" },
  });
  const feedback = useFormFeedback(form);
  const fields = { comment: { id: `${base}-reason`, label: "Motif" } };
  const submit = feedback.handle(async (values) => {
    await api.post(caseAlertsPath(incidentId, "/dismiss"), { target: p.target, comment: values.comment });
    await onDismissed();
  });
  return (
    <form
      onSubmit={submit}
      noValidate
      aria-labelledby={`${base}-dismiss-title`}
      className="vigie-alert-panel"
    >
      <h5 id={`${base}-dismiss-title`} className={fr.cx("fr-h6")}>
        Ne pas envoyer l'alerte à {name}
      </h5>
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={form.formState.errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <TextField
        id={fields.comment.id}
        label={fields.comment.label}
        hint="Pourquoi l'alerte proposée ne part pas : il est inscrit au journal du cas."
        textArea
        error={fieldError(form.formState.errors, "comment")}
        textAreaProps={{ ...form.register("comment"), rows: 3 }}
      />
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm")}>
        <li>
          <Button type="submit" priority="secondary" disabled={form.formState.isSubmitting}>
            Confirmer : ne pas envoyer<span className={fr.cx("fr-sr-only")}> à {name}</span>
          </Button>
        </li>
        <li>
          <Button type="button" priority="tertiary" onClick={onCancel}>
            Annuler
          </Button>
        </li>
      </ul>
    </form>
  );
}

/** What was decided, newest first: sent (with the delivery of its e-mails) or not, by whom, when. */
function History(props: {
  incidentId: string;
  notifications: Notification[];
  regions: Region[] | undefined;
  onRetried: (name: string) => Promise<void>;
}) {
  const { incidentId, notifications, regions, onRetried } = props;
  const [retrying, setRetrying] = useState<string | null>(null);
  const [failure, setFailure] = useState<{ id: string; error: unknown } | null>(null);
  if (notifications.length === 0) return <p>Aucune alerte envoyée ni écartée pour ce cas.</p>;
  const sorted = [...notifications].sort((a, b) => b.decidedAt.localeCompare(a.decidedAt));
  const retry = async (n: Notification, name: string) => {
    setRetrying(n.id);
    setFailure(null);
    try {
      await api.post(caseAlertsPath(incidentId, `/${encodeURIComponent(n.id)}/retry`));
      await onRetried(name);
    } catch (error) {
      setFailure({ id: n.id, error });
      focusLater(`alert-retry-error-${n.id}`);
    } finally {
      setRetrying(null);
    }
  };
  return (
    <ul className="vigie-alert-list">
      {sorted.map((n) => {
        const name = targetName(n.target, n.regionCode, regions);
        const delivery = n.status === "sent" ? deliveryBadge[n.delivery] : null;
        return (
          <li key={n.id}>
            <p className={`vigie-badges ${fr.cx("fr-mb-1v")}`}>
              <strong>{name}</strong>
              {n.status === "sent" ? (
                <Badge as="span" small severity="info" noIcon>
                  {n.automatic ? "Envoyée automatiquement" : "Envoyée"}
                </Badge>
              ) : (
                <Badge as="span" small noIcon>
                  Non envoyée
                </Badge>
              )}
              {delivery ? (
                <Badge as="span" small severity={delivery.severity}>
                  {delivery.label}
                </Badge>
              ) : null}
              <TlpBadge value={n.tlp} />
            </p>
            <p className={fr.cx("fr-text--sm", "fr-mb-1v")}>
              <time dateTime={n.decidedAt}>{formatDateTime(n.decidedAt)}</time> — {n.decidedBy}
              {n.ruleSetVersion !== null ? ` — règles version ${n.ruleSetVersion}` : ""}
            </p>
            {n.status === "sent" ? (
              <>
                <p className={fr.cx("fr-text--sm", "fr-mb-1v")}>À : {n.recipients.join(", ")}</p>
                <details className={fr.cx("fr-mb-1v")}>
                  <summary>{n.subject}</summary>
                  <pre className="vigie-pre">{n.body}</pre>
                </details>
                {n.comment ? (
                  <p className={fr.cx("fr-text--sm", "fr-mb-1v")}>Commentaire : {n.comment}</p>
                ) : null}
              </>
            ) : (
              <p className={fr.cx("fr-text--sm", "fr-mb-1v")}>Motif : {n.comment}</p>
            )}
            {n.status === "sent" && n.delivery === "failed" ? (
              <>
                <p className={fr.cx("fr-text--sm", "fr-mb-1v")}>
                  Un courriel au moins n'a pas pu être remis après plusieurs tentatives.
                </p>
                <Button
                  type="button"
                  size="small"
                  priority="secondary"
                  iconId="fr-icon-refresh-line"
                  disabled={retrying === n.id}
                  onClick={() => void retry(n, name)}
                >
                  Relancer l'envoi<span className={fr.cx("fr-sr-only")}> à {name}</span>
                </Button>
              </>
            ) : null}
            {failure?.id === n.id ? (
              <div id={`alert-retry-error-${n.id}`} tabIndex={-1}>
                <QueryError error={failure.error} title="Nouvel envoi impossible" />
              </div>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
