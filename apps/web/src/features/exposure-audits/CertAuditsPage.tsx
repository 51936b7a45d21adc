import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Button from "@codegouvfr/react-dsfr/Button";
import Table from "@codegouvfr/react-dsfr/Table";
import {
  type ExposureAuditStatus,
  exposureAuditStatuses,
  exposureAuditStatusLabels,
  structureTypeLabels,
} from "@vigie/contracts";
import { type FormEvent, useEffect, useState } from "react";
import { useSearchParams } from "react-router";
import { isApiError } from "../../app/api.ts";
import { SelectField } from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { formatDate, formatDateTime, Loading, pageHref, QueryError } from "../../app/ui.tsx";
import { parisYear } from "../../app/YearRegionFilter.tsx";
import { focusLater } from "../alerting/focus.ts";
import { AuditPagination, AuditTable } from "./AuditTable.tsx";
import {
  type AuditFilters,
  CERT_AUDITS_PATH,
  type PerimeterView,
  useAuditActions,
  useAuditStats,
  useAudits,
  usePerimeters,
} from "./api.ts";
import { PerimeterStatusBadge } from "./badges.tsx";
import { AuthoriseForm, RejectForm } from "./ReviewForms.tsx";

const TITLE = "Audits d'exposition des structures";

/** /cert/audits — progress, the year's counts, perimeters to review, every audit. */
export function CertAuditsPage() {
  usePageTitle(TITLE);
  const [params] = useSearchParams();
  const askedYear = Number(params.get("annee"));
  const year =
    Number.isInteger(askedYear) && askedYear >= 2000 && askedYear <= 2100 ? askedYear : parisYear();
  const [message, setMessage] = useState("");
  const done = (text: string) => {
    setMessage(text);
    focusLater("audits-message");
  };
  return (
    <>
      <Breadcrumb currentPageLabel={TITLE} homeLinkProps={{ to: "/" }} segments={[]} />
      <h1>{TITLE}</h1>
      <p id="audits-message" tabIndex={-1} role="status" className={fr.cx("fr-text--bold")}>
        {message}
      </p>
      <Stats year={year} />
      <ToReview onDone={done} />
      <Validated onDone={done} />
      <AllAudits />
    </>
  );
}

function YearForm({ year }: { year: number }) {
  const [params, setParams] = useSearchParams();
  const [draft, setDraft] = useState(String(year));
  useEffect(() => setDraft(String(year)), [year]);
  const current = parisYear();
  const years = Array.from({ length: 6 }, (_, i) => current - i);
  if (!years.includes(year)) years.push(year);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams(params);
    next.set("annee", draft);
    next.delete("page");
    setParams(next);
  };
  return (
    <form onSubmit={submit} aria-label="Choisir l'année des chiffres" className={fr.cx("fr-mb-3w")}>
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")}>
        <div className={fr.cx("fr-col-12", "fr-col-sm-6", "fr-col-md-3")}>
          <SelectField
            id="audits-annee"
            label="Année"
            selectProps={{ value: draft, onChange: (e) => setDraft(e.target.value) }}
          >
            {years.map((y) => (
              <option key={y} value={String(y)}>
                {y}
              </option>
            ))}
          </SelectField>
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-sm-6", "fr-col-md-3")}>
          <Button type="submit" className={fr.cx("fr-mb-3w")}>
            Afficher
          </Button>
        </div>
      </div>
    </form>
  );
}

function Stats({ year }: { year: number }) {
  const stats = useAuditStats(year);
  const data = stats.data;
  return (
    <>
      <section aria-labelledby="audits-avancement">
        <h2 id="audits-avancement">Avancement</h2>
        {stats.isPending ? (
          <Loading />
        ) : stats.error ? (
          <QueryError error={stats.error} />
        ) : data ? (
          <Table
            caption="Avancement de la campagne d'audits aujourd'hui"
            headers={["Indicateur", "Nombre"]}
            data={[
              ["Périmètres validés", String(data.progress.validatedPerimeters)],
              ["Périmètres à examiner", String(data.progress.perimetersToReview)],
              ["Audits planifiés", String(data.progress.scheduled)],
              ["Audits en retard", String(data.progress.overdue)],
              ["Audits en cours", String(data.progress.running)],
              ["Audits échoués ces 30 derniers jours", String(data.progress.failedLast30Days)],
            ]}
          />
        ) : null}
      </section>
      <section aria-labelledby="audits-chiffres" className={fr.cx("fr-mt-4w")}>
        <h2 id="audits-chiffres">Chiffres de l'année {year}</h2>
        <YearForm year={year} />
        {stats.isPending ? (
          <Loading />
        ) : stats.error ? null : data ? (
          <>
            <p className={fr.cx("fr-text--lead")}>
              {data.audits} audit{data.audits > 1 ? "s" : ""} réalisé{data.audits > 1 ? "s" : ""} en{" "}
              {data.year} pour {data.structuresAudited} structure{data.structuresAudited > 1 ? "s" : ""} ;{" "}
              {data.ghtCovered} GHT couvert{data.ghtCovered > 1 ? "s" : ""} (au moins un établissement
              audité), dont {data.ghtOverHalf} à plus de 50 %.
            </p>
            <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
              <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
                <Table
                  caption={`Chiffres clés ${data.year}`}
                  headers={["Indicateur", "Nombre"]}
                  data={[
                    ["Audits réalisés", String(data.audits)],
                    ["Structures auditées", String(data.structuresAudited)],
                    ["GHT couverts", String(data.ghtCovered)],
                    ["GHT couverts à plus de 50 %", String(data.ghtOverHalf)],
                  ]}
                />
              </div>
              <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
                {data.byStructureType.length > 0 ? (
                  <Table
                    caption={`Audits par type de structure en ${data.year}`}
                    headers={["Type de structure", "Audits"]}
                    data={data.byStructureType.map((r) => [
                      r.label ||
                        (structureTypeLabels[r.structureType as keyof typeof structureTypeLabels] ??
                          r.structureType),
                      String(r.audits),
                    ])}
                  />
                ) : (
                  <p>Aucun audit réalisé cette année-là.</p>
                )}
              </div>
            </div>
          </>
        ) : null}
      </section>
    </>
  );
}

function PerimeterSummary({ perimeter }: { perimeter: PerimeterView }) {
  return (
    <dl>
      <dt className={fr.cx("fr-text--bold")}>Noms de domaine</dt>
      <dd style={{ marginLeft: 0 }}>
        {perimeter.domains.length > 0 ? perimeter.domains.join(", ") : "aucun"}
      </dd>
      <dt className={fr.cx("fr-text--bold")}>Plages d'adresses</dt>
      <dd style={{ marginLeft: 0 }}>
        {perimeter.networks.length > 0 ? perimeter.networks.join(", ") : "aucune"}
      </dd>
      <dt className={fr.cx("fr-text--bold")}>Identifiants par défaut</dt>
      <dd style={{ marginLeft: 0 }}>
        {perimeter.defaultCredentialsOptIn ? "Test accepté par la structure" : "Test non autorisé"}
      </dd>
      <dt className={fr.cx("fr-text--bold")}>Boîte du test de filtrage</dt>
      <dd style={{ marginLeft: 0 }}>{perimeter.filteringMailbox ?? "non indiquée"}</dd>
      <dt className={fr.cx("fr-text--bold")}>Noms issus de la transparence des certificats</dt>
      <dd style={{ marginLeft: 0 }}>{perimeter.ctNames}</dd>
    </dl>
  );
}

function ToReview({ onDone }: { onDone: (message: string) => void }) {
  const list = usePerimeters("submitted");
  const items = list.data ?? [];
  return (
    <section aria-labelledby="audits-a-examiner" className={fr.cx("fr-mt-4w")}>
      <h2 id="audits-a-examiner">Périmètres à examiner{list.data ? ` (${items.length})` : ""}</h2>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <QueryError error={list.error} />
      ) : items.length === 0 ? (
        <p>Aucun périmètre en attente d'examen.</p>
      ) : (
        items.map((p) => (
          <article
            key={p.structureId}
            aria-labelledby={`perimetre-${p.structureId}`}
            className={fr.cx("fr-p-3w", "fr-mb-3w")}
            style={{ border: "1px solid var(--border-default-grey)" }}
          >
            <h3 id={`perimetre-${p.structureId}`} className={fr.cx("fr-h5")}>
              {p.structureName}
            </h3>
            <p>
              <PerimeterStatusBadge status={p.status} />
              {p.submittedAt ? ` — soumis le ${formatDateTime(p.submittedAt)}` : ""}
            </p>
            <PerimeterSummary perimeter={p} />
            <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
              <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
                <AuthoriseForm perimeter={p} onDone={onDone} />
              </div>
              <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
                <RejectForm perimeter={p} onDone={onDone} />
              </div>
            </div>
          </article>
        ))
      )}
    </section>
  );
}

function Validated({ onDone }: { onDone: (message: string) => void }) {
  const list = usePerimeters("validated");
  const actions = useAuditActions();
  const [busy, setBusy] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<PerimeterView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const items = list.data ?? [];
  const run = async (key: string, action: () => Promise<unknown>, success: string) => {
    setBusy(key);
    setError(null);
    try {
      await action();
      setConfirming(null);
      onDone(success);
    } catch (cause) {
      setError(cause);
      focusLater("audits-valides-erreur");
    } finally {
      setBusy(null);
    }
  };
  return (
    <section aria-labelledby="audits-valides" className={fr.cx("fr-mt-4w")}>
      <h2 id="audits-valides">Périmètres autorisés{list.data ? ` (${items.length})` : ""}</h2>
      <div id="audits-valides-erreur" tabIndex={-1}>
        {error ? (
          isApiError(error) && error.fields.length > 0 ? (
            <Alert
              severity="error"
              title="Action impossible"
              description={error.fields.map((f) => f.message).join(" ")}
              className={fr.cx("fr-my-4w")}
            />
          ) : (
            <QueryError
              error={error}
              title={
                isApiError(error, "CONFLICT") ? "Un audit est déjà prévu ou en cours" : "Action impossible"
              }
            />
          )
        ) : null}
      </div>
      {confirming ? (
        <div className={fr.cx("fr-alert", "fr-alert--warning", "fr-mb-3w")}>
          <h3 className={fr.cx("fr-alert__title")}>
            Révoquer l'autorisation de {confirming.structureName} ?
          </h3>
          <p>Aucun audit ne sera plus mené tant qu'une nouvelle autorisation n'aura pas été accordée.</p>
          <div className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm", "fr-mt-2w")}>
            <Button
              disabled={busy !== null}
              onClick={() =>
                void run(
                  `revoke-${confirming.structureId}`,
                  () => actions.revoke(confirming.structureId),
                  `Autorisation de ${confirming.structureName} révoquée.`,
                )
              }
            >
              Confirmer la révocation
            </Button>
            <Button priority="secondary" onClick={() => setConfirming(null)}>
              Annuler
            </Button>
          </div>
        </div>
      ) : null}
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <QueryError error={list.error} />
      ) : items.length === 0 ? (
        <p>Aucun périmètre autorisé pour l'instant.</p>
      ) : (
        <Table
          caption="Structures dont les audits sont autorisés"
          headers={["Structure", "Périmètre", "Autorisation", "Actions"]}
          data={items.map((p) => [
            p.structureName,
            `${p.domains.length} domaine${p.domains.length > 1 ? "s" : ""}, ${p.networks.length} plage${p.networks.length > 1 ? "s" : ""}`,
            p.authorisation
              ? `${p.authorisation.reference}, jusqu'au ${formatDate(p.authorisation.validUntil)}${p.authorisation.inForce ? "" : " (plus en vigueur)"}`
              : "—",
            <div
              key="actions"
              className={fr.cx("fr-btns-group", "fr-btns-group--inline-sm", "fr-btns-group--sm")}
            >
              <Button
                size="small"
                iconId="fr-icon-play-line"
                disabled={busy !== null}
                onClick={() =>
                  void run(
                    `launch-${p.structureId}`,
                    () => actions.launch(p.structureId),
                    `Audit de ${p.structureName} lancé : il commence dans la minute.`,
                  )
                }
              >
                Lancer un audit maintenant<span className={fr.cx("fr-sr-only")}> : {p.structureName}</span>
              </Button>
              <Button
                size="small"
                priority="tertiary"
                iconId="fr-icon-close-circle-line"
                onClick={() => {
                  setConfirming(p);
                  setError(null);
                }}
              >
                Révoquer<span className={fr.cx("fr-sr-only")}> l'autorisation de {p.structureName}</span>
              </Button>
            </div>,
          ])}
        />
      )}
    </section>
  );
}

function AllAudits() {
  const [params, setParams] = useSearchParams();
  const all = usePerimeters("");
  const status = params.get("status") ?? "";
  const filters: AuditFilters = {};
  const structureId = params.get("structureId") ?? "";
  if (structureId) filters.structureId = structureId;
  if ((exposureAuditStatuses as readonly string[]).includes(status))
    filters.status = status as ExposureAuditStatus;
  const page = Math.max(1, Number(params.get("page")) || 1);
  if (page > 1) filters.page = page;
  const audits = useAudits(filters);
  const [draft, setDraft] = useState({ structureId, status });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    const year = params.get("annee");
    if (year) next.set("annee", year);
    if (draft.structureId) next.set("structureId", draft.structureId);
    if (draft.status) next.set("status", draft.status);
    setParams(next);
  };
  return (
    <section aria-labelledby="audits-tous" className={fr.cx("fr-mt-4w")}>
      <h2 id="audits-tous">Tous les audits{audits.data ? ` (${audits.data.total})` : ""}</h2>
      <form onSubmit={apply} aria-label="Filtrer les audits" className={fr.cx("fr-mb-3w")}>
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-5")}>
            <SelectField
              id="audits-filtre-structure"
              label="Structure"
              selectProps={{
                value: draft.structureId,
                onChange: (e) => setDraft({ ...draft, structureId: e.target.value }),
              }}
            >
              <option value="">Toutes</option>
              {(all.data ?? []).map((p) => (
                <option key={p.structureId} value={p.structureId}>
                  {p.structureName}
                </option>
              ))}
            </SelectField>
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <SelectField
              id="audits-filtre-statut"
              label="Statut"
              selectProps={{
                value: draft.status,
                onChange: (e) => setDraft({ ...draft, status: e.target.value }),
              }}
            >
              <option value="">Tous</option>
              {exposureAuditStatuses.map((s) => (
                <option key={s} value={s}>
                  {exposureAuditStatusLabels[s]}
                </option>
              ))}
            </SelectField>
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
            <Button type="submit" iconId="fr-icon-filter-line" className={fr.cx("fr-mb-3w")}>
              Filtrer
            </Button>
          </div>
        </div>
      </form>
      {audits.isPending ? (
        <Loading />
      ) : audits.error ? (
        <QueryError error={audits.error} />
      ) : audits.data && audits.data.items.length > 0 ? (
        <>
          <AuditTable
            caption="Audits, du plus récent au plus ancien"
            audits={audits.data.items}
            cert
            showStructure
          />
          <AuditPagination
            data={audits.data}
            page={page}
            href={(n) => pageHref(CERT_AUDITS_PATH, params, n)}
          />
        </>
      ) : (
        <p>Aucun audit ne correspond à ces critères.</p>
      )}
    </section>
  );
}
