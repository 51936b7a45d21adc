import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Button from "@codegouvfr/react-dsfr/Button";
import Input from "@codegouvfr/react-dsfr/Input";
import Pagination from "@codegouvfr/react-dsfr/Pagination";
import Select from "@codegouvfr/react-dsfr/Select";
import Table from "@codegouvfr/react-dsfr/Table";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { feedRunStatusLabels, feedSourceLabels, feedSources } from "@vigie/contracts";
import { type FormEvent, useEffect, useId, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { ApiError, api } from "../../app/api.ts";
import { usePageTitle } from "../../app/page.tsx";
import { formatDate, formatDateTime, Loading, pageCountOf, pageHref, QueryError } from "../../app/ui.tsx";
import {
  FEEDS_PATH,
  type FeedRunView,
  type FeedSource,
  feedKeys,
  sourceHints,
  type VulnerabilityPage,
  vulnerabilityPath,
} from "./api.ts";

const statusSeverity = {
  running: "info",
  succeeded: "success",
  partial: "warning",
  failed: "error",
} as const;

/** The problems of a run: rejected records and warnings, with their record and line. */
export function RunProblems({ run }: { run: FeedRunView }) {
  if (run.problems.length === 0) return <span>Aucun</span>;
  const errors = run.problems.filter((p) => p.level === "error").length;
  const warnings = run.problems.length - errors;
  return (
    <details>
      <summary>
        {[
          errors ? `${errors} erreur${errors > 1 ? "s" : ""}` : null,
          warnings ? `${warnings} avertissement${warnings > 1 ? "s" : ""}` : null,
        ]
          .filter(Boolean)
          .join(", ")}
      </summary>
      <ul className={fr.cx("fr-text--sm", "fr-mb-0")}>
        {run.problems.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id and never move
          <li key={i}>
            <strong>{p.level === "error" ? "Erreur" : "Avertissement"}</strong>
            {p.record || p.line !== null
              ? ` (${[p.record, p.line !== null ? `ligne ${p.line}` : null].filter(Boolean).join(", ")})`
              : ""}{" "}
            : {p.message}
          </li>
        ))}
      </ul>
    </details>
  );
}

function counts(run: FeedRunView): string {
  return `${run.added} ajouté${run.added > 1 ? "s" : ""}, ${run.updated} mis à jour, ${run.unchanged} inchangé${run.unchanged > 1 ? "s" : ""}, ${run.rejected} rejeté${run.rejected > 1 ? "s" : ""}`;
}

/** One upload form: the file of one source, sent as multipart, and the run's report. */
function FeedUploadForm({ source }: { source: FeedSource }) {
  const queryClient = useQueryClient();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const upload = useMutation({
    mutationFn: (picked: File) => {
      const body = new FormData();
      body.append("file", picked, picked.name);
      return api.post<FeedRunView>(`/api/watch/feeds/${source}`, body);
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: feedKeys.runs });
      void queryClient.invalidateQueries({ queryKey: feedKeys.vulnerabilities });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) {
      setFieldError("Choisissez le fichier à charger.");
      document.getElementById(inputId)?.focus();
      return;
    }
    setFieldError(null);
    upload.mutate(file);
  };
  const run = upload.data;
  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${inputId}-title`}>
      <h3 id={`${inputId}-title`} className={fr.cx("fr-h6")}>
        {feedSourceLabels[source]}
      </h3>
      <Upload
        label="Fichier"
        hint={sourceHints[source]}
        state={fieldError ? "error" : "default"}
        stateRelatedMessage={fieldError ?? undefined}
        nativeInputProps={{
          id: inputId,
          accept:
            source === "certfr"
              ? ".json,.xml,.rss,application/json,application/rss+xml,text/xml"
              : ".json,application/json",
          onChange: (e) => {
            setFile(e.target.files?.[0] ?? null);
            setFieldError(null);
          },
          disabled: upload.isPending,
        }}
      />
      <Button
        type="submit"
        className={fr.cx("fr-mt-2w")}
        disabled={upload.isPending}
        iconId="fr-icon-upload-line"
      >
        {upload.isPending ? "Chargement…" : "Charger"}
      </Button>
      <div role="status" aria-live="polite" className={fr.cx("fr-mt-2w")}>
        {run ? (
          <Alert
            small
            severity={statusSeverity[run.status]}
            description={
              <>
                <p className={fr.cx("fr-mb-1w")}>
                  {feedRunStatusLabels[run.status]} — {counts(run)}.
                </p>
                <RunProblems run={run} />
              </>
            }
          />
        ) : upload.error ? (
          <Alert
            small
            severity="error"
            description={upload.error instanceof ApiError ? upload.error.message : "Le chargement a échoué."}
          />
        ) : null}
      </div>
    </form>
  );
}

function RecentRuns() {
  const runs = useQuery({
    queryKey: feedKeys.runs,
    queryFn: ({ signal }) =>
      api.get<{ items: FeedRunView[] }>("/api/watch/feeds/runs", { limit: "30" }, signal),
  });
  if (runs.isPending) return <Loading />;
  if (runs.error) return <QueryError error={runs.error} />;
  if (runs.data.items.length === 0) return <p>Aucun chargement pour l'instant.</p>;
  return (
    <Table
      caption="Derniers chargements de flux"
      noCaption
      headers={["Début", "Source", "Origine", "Résultat", "Enregistrements", "Problèmes"]}
      data={runs.data.items.map((run) => [
        formatDateTime(run.startedAt),
        feedSourceLabels[run.source],
        <span key="origin" className="vigie-filename">
          {run.origin.replace(/^file:/, "fichier ")}
        </span>,
        <Badge key="status" small severity={statusSeverity[run.status]} noIcon>
          {feedRunStatusLabels[run.status]}
        </Badge>,
        counts(run),
        <RunProblems key="problems" run={run} />,
      ])}
    />
  );
}

interface Filters {
  q: string;
  cve: string;
  kev: string;
}

function Vulnerabilities() {
  const [params, setParams] = useSearchParams();
  const applied: Filters = {
    q: params.get("q") ?? "",
    cve: params.get("cve") ?? "",
    kev: params.get("kev") ?? "",
  };
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  const [draft, setDraft] = useState<Filters>(applied);
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the URL (back/forward)
  useEffect(() => setDraft(applied), [applied.q, applied.cve, applied.kev]);
  const query = { ...applied, page: String(page), pageSize: "25" };
  const list = useQuery({
    queryKey: feedKeys.list(query),
    queryFn: ({ signal }) => api.get<VulnerabilityPage>("/api/watch/vulnerabilities", query, signal),
    placeholderData: keepPreviousData,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draft.q.trim()) next.set("q", draft.q.trim());
    if (draft.cve.trim()) next.set("cve", draft.cve.trim());
    if (draft.kev) next.set("kev", draft.kev);
    setParams(next);
  };
  const pageCount = pageCountOf(list.data);
  const pageLink = (n: number) => ({ to: pageHref(FEEDS_PATH, params, n) });
  return (
    <>
      <search aria-label="Rechercher une vulnérabilité">
        <form onSubmit={submit} className={fr.cx("fr-mb-3w")}>
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-5")}>
              <Input
                label="Mots recherchés"
                hintText="Dans la description, l'éditeur, le produit et le nom."
                nativeInputProps={{
                  id: "vuln-q",
                  type: "search",
                  value: draft.q,
                  onChange: (e) => setDraft({ ...draft, q: e.target.value }),
                }}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
              <Input
                label="Identifiant CVE"
                hintText="Ou son début, ex. CVE-2023-49."
                nativeInputProps={{
                  id: "vuln-cve",
                  value: draft.cve,
                  onChange: (e) => setDraft({ ...draft, cve: e.target.value }),
                }}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <Select
                label="Exploitation"
                hint="Présence dans le catalogue CISA KEV."
                nativeSelectProps={{
                  id: "vuln-kev",
                  value: draft.kev,
                  onChange: (e) => setDraft({ ...draft, kev: e.target.value }),
                }}
              >
                <option value="">Toutes</option>
                <option value="true">Exploitées (KEV)</option>
                <option value="false">Non répertoriées dans le KEV</option>
              </Select>
            </div>
          </div>
          <Button type="submit" iconId="fr-icon-search-line">
            Rechercher
          </Button>
        </form>
      </search>
      <p role="status" aria-live="polite" className={fr.cx("fr-text--bold")}>
        {list.data
          ? list.data.total === 0
            ? "Aucune vulnérabilité ne correspond."
            : `${list.data.total} vulnérabilité${list.data.total > 1 ? "s" : ""} — page ${list.data.page} sur ${pageCount}`
          : ""}
      </p>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <QueryError error={list.error} />
      ) : list.data.items.length > 0 ? (
        <>
          <Table
            caption="Vulnérabilités connues"
            noCaption
            headers={[
              "CVE",
              "Produit",
              "Exploitation",
              "CVSS",
              "Ajout au KEV",
              "Échéance CISA",
              "Avis CERT-FR",
            ]}
            data={list.data.items.map((v) => [
              <Link key="cve" to={vulnerabilityPath(v.cveId)}>
                {v.cveId}
              </Link>,
              [v.kevVendor, v.kevProduct].filter(Boolean).join(" — ") || (v.description ?? "").slice(0, 80),
              v.inKev ? (
                <Badge key="kev" small severity={v.kevRansomware ? "error" : "warning"} noIcon>
                  {v.kevRansomware ? "Exploitée, rançongiciels" : "Exploitée"}
                </Badge>
              ) : (
                "—"
              ),
              v.cvssScore !== null ? `${v.cvssScore.toFixed(1)} ${v.cvssSeverity ?? ""}` : "—",
              formatDate(v.kevAddedOn),
              formatDate(v.kevDueOn),
              v.advisoryIds.join(", ") || "—",
            ])}
          />
          {pageCount > 1 ? (
            <Pagination count={pageCount} defaultPage={page} getPageLinkProps={pageLink} />
          ) : null}
        </>
      ) : null}
    </>
  );
}

/** /cert/veille/flux — the vulnerability feeds: uploads per source, runs and their problems, search. */
export function FeedsPage() {
  usePageTitle("Flux de vulnérabilités");
  return (
    <>
      <h1>Flux de vulnérabilités</h1>
      <p>
        Vigie charge chaque jour les flux configurés (catalogue CISA KEV, NVD, CERT-FR) puis confronte les
        actifs exposés des structures aux vulnérabilités qui ont changé. Sans accès à Internet, chargez ici un
        fichier : recharger le même fichier ne change rien, un fichier illisible ne change rien, et les
        enregistrements invalides sont rejetés sans empêcher les autres.
      </p>
      <h2>Charger un fichier</h2>
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-mb-4w")}>
        {feedSources.map((source) => (
          <div key={source} className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <FeedUploadForm source={source} />
          </div>
        ))}
      </div>
      <h2>Derniers chargements</h2>
      <RecentRuns />
      <h2 className={fr.cx("fr-mt-4w")}>Vulnérabilités connues</h2>
      <Vulnerabilities />
    </>
  );
}
