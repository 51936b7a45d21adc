import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Button from "@codegouvfr/react-dsfr/Button";
import Input from "@codegouvfr/react-dsfr/Input";
import Table from "@codegouvfr/react-dsfr/Table";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  type LeakImportReport,
  type LeakImportSummary,
  type LeakProblem,
  leakListLimits,
} from "@vigie/contracts";
import { type FormEvent, useRef, useState } from "react";
import { ApiError, api } from "../../app/api.ts";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading, QueryError } from "../../app/ui.tsx";

const leakKeys = { imports: ["watch", "leaks"] as const };
const count = (n: number) => n.toLocaleString("fr-FR");
const plural = (n: number, one: string, many: string) => `${count(n)} ${n > 1 ? many : one}`;

function ProblemList({ problems, truncated }: { problems: readonly LeakProblem[]; truncated: boolean }) {
  if (problems.length === 0) return null;
  return (
    <details className={fr.cx("fr-mt-1w")}>
      <summary>Lignes refusées (numéros seulement : leur contenu n'est jamais affiché)</summary>
      <ul className={fr.cx("fr-text--sm", "fr-mb-0")}>
        {problems.map((p, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: problems have no id and never move
          <li key={i}>
            Ligne {p.line}
            {p.column ? `, colonne « ${p.column} »` : ""} : {p.message}
          </li>
        ))}
        {truncated ? <li>… d'autres lignes refusées ne sont pas listées.</li> : null}
      </ul>
    </details>
  );
}

function Report({ report }: { report: LeakImportReport }) {
  return (
    <Alert
      severity={report.matched > 0 ? "warning" : "success"}
      title={`Liste « ${report.source} » importée`}
      description={
        <>
          <ul className={fr.cx("fr-mb-1w")}>
            <li>
              {plural(report.lines, "ligne lue", "lignes lues")},{" "}
              {plural(report.addresses, "adresse distincte", "adresses distinctes")}
            </li>
            <li>
              Rattachées à une structure : {count(report.matched)} (
              {plural(report.structures, "structure", "structures")})
            </li>
            <li>Sans structure (comptées, non conservées) : {count(report.unmatched)}</li>
            <li>Lignes refusées : {count(report.rejected)}</li>
            <li>
              Tickets ouverts : {count(report.tickets.opened)}, rouverts : {count(report.tickets.reopened)},
              déjà connus : {count(report.tickets.alreadyKnown)}
            </li>
          </ul>
          <p className={fr.cx("fr-mb-0")}>Aucun mot de passe ni empreinte n'a été conservé.</p>
          <ProblemList problems={report.problems} truncated={report.problemsTruncated} />
        </>
      }
    />
  );
}

function ImportForm() {
  const queryClient = useQueryClient();
  const [source, setSource] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [errors, setErrors] = useState<{ source?: string; file?: string }>({});
  const summaryRef = useRef<HTMLDivElement>(null);
  const upload = useMutation({
    mutationFn: (input: { source: string; file: File }) => {
      const body = new FormData();
      body.append("source", input.source);
      body.append("file", input.file, input.file.name);
      return api.post<LeakImportReport>("/api/watch/leaks", body);
    },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: leakKeys.imports }),
    onError: (error) => {
      if (error instanceof ApiError) {
        const next: { source?: string; file?: string } = {};
        for (const f of error.fields) {
          if (f.field === "source") next.source = f.message;
          else if (f.field === "file") next.file = f.message;
        }
        setErrors(next);
      }
      requestAnimationFrame(() => summaryRef.current?.focus());
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next: { source?: string; file?: string } = {};
    if (!source.trim())
      next.source = "Indiquez la source de la liste (par exemple « Combolist Telegram 2026-11 »).";
    else if (source.trim().length > 200) next.source = "Source trop longue (200 caractères au plus).";
    if (!file) next.file = "Choisissez le fichier de la liste.";
    else if (file.size > leakListLimits.maxBytes)
      next.file = "Fichier trop volumineux (50 Mo au plus) : découpez-le.";
    setErrors(next);
    if (next.source || next.file || !file) {
      upload.reset();
      requestAnimationFrame(() => summaryRef.current?.focus());
      return;
    }
    upload.mutate({ source: source.trim(), file });
  };

  const fieldErrors = Object.entries(errors).filter(([, message]) => message) as [string, string][];
  const apiError =
    upload.error instanceof ApiError ? upload.error : upload.error ? new ApiError(0, "UNKNOWN") : null;
  // Problems of a list refused as a whole (no valid address): line numbers only.
  const refusedProblems = (apiError?.details.problems as LeakProblem[] | undefined) ?? [];

  return (
    <form onSubmit={submit} noValidate aria-labelledby="leak-import-title">
      <h2 id="leak-import-title">Importer une liste</h2>
      <div ref={summaryRef} tabIndex={-1} className="vigie-error-summary">
        {fieldErrors.length > 0 ? (
          <div className={fr.cx("fr-alert", "fr-alert--error", "fr-mb-3w")}>
            <h3 className={fr.cx("fr-alert__title")}>
              {fieldErrors.length === 1
                ? "Le formulaire contient une erreur"
                : "Le formulaire contient 2 erreurs"}
            </h3>
            <ul>
              {fieldErrors.map(([name, message]) => (
                <li key={name}>
                  <a href={`#leak-${name}`}>
                    {name === "source" ? "Source" : "Fichier"} : {message}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        ) : apiError ? (
          <Alert
            className={fr.cx("fr-mb-3w")}
            severity="error"
            title="Import impossible"
            description={
              <>
                <p className={fr.cx("fr-mb-0")}>{apiError.message}</p>
                <ProblemList
                  problems={refusedProblems}
                  truncated={apiError.details.problemsTruncated === true}
                />
              </>
            }
          />
        ) : null}
      </div>
      <p className={fr.cx("fr-text--sm")}>Tous les champs sont obligatoires.</p>
      <Input
        label="Source"
        hintText="Le nom sous lequel la liste circule, par exemple « Combolist Telegram 2026-11 ». Il figure dans les tickets des structures."
        state={errors.source ? "error" : "default"}
        stateRelatedMessage={errors.source}
        nativeInputProps={{
          id: "leak-source",
          name: "source",
          maxLength: 200,
          autoComplete: "off",
          value: source,
          onChange: (e) => setSource(e.target.value),
          disabled: upload.isPending,
        }}
      />
      <Upload
        label="Fichier de la liste"
        hint={`Texte, CSV ou JSON, ${leakListLimits.maxBytes / (1024 * 1024)} Mo au plus : une adresse par ligne (éventuellement « adresse:mot de passe »), CSV avec une colonne email, mail, courriel ou login, ou liste JSON.`}
        state={errors.file ? "error" : "default"}
        stateRelatedMessage={errors.file}
        nativeInputProps={{
          id: "leak-file",
          name: "file",
          accept: ".txt,.csv,.tsv,.json,.jsonl,.lst,text/plain,text/csv,application/json",
          onChange: (e) => setFile(e.target.files?.[0] ?? null),
          disabled: upload.isPending,
        }}
      />
      <Button
        type="submit"
        className={fr.cx("fr-mt-2w")}
        disabled={upload.isPending}
        iconId="fr-icon-upload-line"
      >
        {upload.isPending ? "Import en cours…" : "Importer"}
      </Button>
      <div role="status" aria-live="polite" className={fr.cx("fr-mt-3w")}>
        {upload.data ? <Report report={upload.data} /> : null}
      </div>
    </form>
  );
}

function History() {
  const imports = useQuery({
    queryKey: leakKeys.imports,
    queryFn: ({ signal }) =>
      api.get<{ items: LeakImportSummary[] }>("/api/watch/leaks", { limit: "50" }, signal),
  });
  if (imports.isPending) return <Loading />;
  if (imports.error) return <QueryError error={imports.error} />;
  if (imports.data.items.length === 0) return <p>Aucune liste importée pour l'instant.</p>;
  return (
    <Table
      caption="Listes importées, les plus récentes d'abord"
      noCaption
      headers={["Date", "Source", "Lignes lues", "Adresses", "Rattachées", "Refusées", "Importée par"]}
      data={imports.data.items.map((item) => [
        formatDateTime(item.importedAt),
        item.source,
        count(item.lines),
        count(item.addresses),
        count(item.matched),
        count(item.rejected),
        item.importedBy ?? "Ligne de commande",
      ])}
    />
  );
}

/**
 * /cert/veille/comptes-compromis — the CERT imports lists of leaked credentials: only the
 * addresses are read, matched to the structures' mail domains, and raise tickets.
 */
export function LeaksPage() {
  usePageTitle("Comptes compromis");
  return (
    <>
      <h1>Comptes compromis</h1>
      <p>
        Importez une liste d'identifiants divulgués (combolist, fuite de base de données). Seules les adresses
        de messagerie sont lues : les mots de passe et leurs empreintes sont écartés à la lecture, jamais
        enregistrés ni affichés. Chaque adresse d'un domaine de messagerie d'une structure (ou d'un de ses
        sous-domaines, ou d'un domaine déclaré dans ses actifs) ouvre un ticket « compte compromis », signalé
        à la structure ; les autres adresses sont seulement comptées. Réimporter une liste n'ouvre pas de
        nouveau ticket.
      </p>
      <ImportForm />
      <h2 className={fr.cx("fr-mt-4w")}>Historique des imports</h2>
      <History />
    </>
  );
}
