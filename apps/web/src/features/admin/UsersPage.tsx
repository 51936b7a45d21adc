import { fr } from "@codegouvfr/react-dsfr";
import Button from "@codegouvfr/react-dsfr/Button";
import Input from "@codegouvfr/react-dsfr/Input";
import Pagination from "@codegouvfr/react-dsfr/Pagination";
import Select from "@codegouvfr/react-dsfr/Select";
import Table from "@codegouvfr/react-dsfr/Table";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { roleLabels, roles } from "@vigie/contracts";
import { type FormEvent, useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { api } from "../../app/api.ts";
import { useCan } from "../../app/auth.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { useRegions } from "../../app/regions.ts";
import { formatDateTime, Loading, pageCountOf, pageHref, QueryError } from "../../app/ui.tsx";
import { scopeText, type User, UserStateBadges } from "./userFields.tsx";

interface UserPage {
  items: User[];
  total: number;
  page: number;
  pageSize: number;
}

/** Accounts: search, filter by role, paginated; creation for administrators. */
export function UsersPage() {
  const canManage = useCan("users:manage");
  const [params, setParams] = useSearchParams();
  const q = params.get("q") ?? "";
  const role = params.get("role") ?? "";
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  const [draft, setDraft] = useState({ q, role });
  useEffect(() => setDraft({ q, role }), [q, role]);
  const regions = useRegions();
  usePageTitle(page > 1 ? `Utilisateurs — page ${page}` : "Utilisateurs");

  const list = useQuery({
    queryKey: ["users", { q, role, page }],
    queryFn: ({ signal }) => api.get<UserPage>("/api/users", { q, role, page, pageSize: 25 }, signal),
    placeholderData: keepPreviousData,
  });
  const pageCount = pageCountOf(list.data);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draft.q.trim()) next.set("q", draft.q.trim());
    if (draft.role) next.set("role", draft.role);
    setParams(next);
  };
  const pageLink = (n: number) => ({ to: pageHref("/admin/utilisateurs", params, n) });

  return (
    <>
      <h1>Utilisateurs</h1>
      {canManage ? (
        <p>
          <Link
            className={fr.cx("fr-btn", "fr-icon-user-add-line", "fr-btn--icon-left")}
            to="/admin/utilisateurs/nouveau"
          >
            Créer un compte
          </Link>
        </p>
      ) : null}
      <search aria-label="Rechercher un compte">
        <form onSubmit={submit} className={fr.cx("fr-mb-4w")}>
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Input
                label="Nom ou adresse électronique"
                nativeInputProps={{
                  id: "users-q",
                  type: "search",
                  value: draft.q,
                  onChange: (e) => setDraft({ ...draft, q: e.target.value }),
                }}
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Select
                label="Rôle"
                nativeSelectProps={{
                  id: "users-role",
                  value: draft.role,
                  onChange: (e) => setDraft({ ...draft, role: e.target.value }),
                }}
              >
                <option value="">Tous les rôles</option>
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {roleLabels[r]}
                  </option>
                ))}
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
            ? "Aucun compte ne correspond à votre recherche."
            : `${list.data.total} compte${list.data.total > 1 ? "s" : ""} — page ${list.data.page} sur ${pageCount}`
          : ""}
      </p>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <QueryError error={list.error} />
      ) : list.data.items.length > 0 ? (
        <>
          <Table
            caption="Comptes de la plateforme"
            noCaption
            headers={[
              "Nom",
              "Adresse électronique",
              "Rôle",
              "Périmètre",
              "Double authentification",
              "État",
              "Dernière connexion",
            ]}
            data={list.data.items.map((user) => [
              <Link key="name" to={`/admin/utilisateurs/${user.id}`}>
                {user.fullName}
              </Link>,
              user.email,
              roleLabels[user.role],
              scopeText(user, regions.data),
              user.mfaEnabled ? "Activée" : "Non activée",
              <UserStateBadges key="state" user={user} />,
              formatDateTime(user.lastLoginAt),
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
