import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import { Link } from "react-router";
import { ApiError } from "./api.ts";
import { usePageTitle } from "./page.tsx";

/** A polite "loading" status for screen readers and sighted users alike. */
export function Loading({ label = "Chargement en cours…" }: { label?: string }) {
  return (
    <p role="status" className={fr.cx("fr-my-4w")}>
      {label}
    </p>
  );
}

/** Shows a failed query by its code. */
export function QueryError({ error, title = "Chargement impossible" }: { error: unknown; title?: string }) {
  const message = error instanceof ApiError ? error.message : "Une erreur inattendue est survenue.";
  return <Alert severity="error" title={title} description={message} className={fr.cx("fr-my-4w")} />;
}

/** The page shown when a signed-in user lacks the permission a route needs. */
export function ForbiddenPage() {
  usePageTitle("Accès refusé");
  return (
    <>
      <h1>Accès refusé</h1>
      <p>
        Votre compte ne donne pas accès à cette page. Si vous pensez qu'il s'agit d'une erreur, contactez
        l'administrateur de la plateforme.
      </p>
      <p>
        <Link className={fr.cx("fr-link")} to="/">
          Retour à l'accueil
        </Link>
      </p>
    </>
  );
}

const dateTime = new Intl.DateTimeFormat("fr-FR", {
  dateStyle: "short",
  timeStyle: "short",
  timeZone: "Europe/Paris",
});
const dateOnly = new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "Europe/Paris" });
const timeOnly = new Intl.DateTimeFormat("fr-FR", { timeStyle: "short", timeZone: "Europe/Paris" });

/** "28/11/2025 08:15" in Paris time, or a dash. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "—" : dateTime.format(date);
}

/** "28 novembre 2025" in Paris time, or a dash. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "—" : dateOnly.format(date);
}

/** "08:15" in Paris time. */
export function formatTime(value: string | Date): string {
  return timeOnly.format(typeof value === "string" ? new Date(value) : value);
}

/** How many pages a paginated answer has: at least one, one while it loads. */
export function pageCountOf(data: { total: number; pageSize: number } | undefined): number {
  return data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
}

/** The address of page `n` of `path`, keeping the other parameters of the current address. */
export function pageHref(path: string, params: URLSearchParams, n: number): string {
  const next = new URLSearchParams(params);
  if (n > 1) next.set("page", String(n));
  else next.delete("page");
  return `${path}?${next.toString()}`;
}
