import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Button from "@codegouvfr/react-dsfr/Button";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { authorityLabels, roleLabels } from "@vigie/contracts";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useLocation, useParams } from "react-router";
import { z } from "zod";
import { api } from "../../app/api.ts";
import { useCan, useCurrentUser } from "../../app/auth.tsx";
import { ErrorSummary, fieldError, TextField, useFormFeedback } from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { regionLabel, useRegions } from "../../app/regions.ts";
import { formatDateTime, Loading, QueryError } from "../../app/ui.tsx";
import {
  mapUserField,
  refineScope,
  ScopeFields,
  ScopeSchema,
  scopeBody,
  scopeFieldSpecs,
  type User,
  UserStateBadges,
} from "./userFields.tsx";

/** An account: its details, and for administrators its role, scope, structures and state. */
export function UserEditPage() {
  const { id = "" } = useParams();
  const location = useLocation();
  const canManage = useCan("users:manage");
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const regions = useRegions();
  const [notice, setNotice] = useState<string | null>(
    (location.state as { created?: boolean } | null)?.created ? "Le compte a été créé." : null,
  );
  const user = useQuery({
    queryKey: ["user", id],
    queryFn: () => api.get<User>(`/api/users/${encodeURIComponent(id)}`),
  });
  usePageTitle(
    user.data ? `${user.data.fullName} — Utilisateurs` : user.error ? "Compte introuvable" : "Compte",
  );

  const onUpdated = async (updated: User, message: string) => {
    queryClient.setQueryData(["user", id], updated);
    await queryClient.invalidateQueries({ queryKey: ["users"] });
    setNotice(message);
  };
  const toggleDisabled = useMutation({
    mutationFn: (disabled: boolean) => api.patch<User>(`/api/users/${id}`, { disabled }),
    onSuccess: (updated, disabled) =>
      onUpdated(
        updated,
        disabled ? "Le compte est désactivé ; ses sessions sont fermées." : "Le compte est réactivé.",
      ),
  });
  const resetMfa = useMutation({
    mutationFn: () => api.post<User>(`/api/users/${id}/reset-mfa`),
    onSuccess: (updated) =>
      onUpdated(
        updated,
        "La double authentification est réinitialisée : elle sera à nouveau configurée à la prochaine connexion.",
      ),
  });

  return (
    <>
      <Breadcrumb
        currentPageLabel={user.data?.fullName ?? "Compte"}
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Utilisateurs", linkProps: { to: "/admin/utilisateurs" } }]}
      />
      {user.isPending ? (
        <>
          <h1>Compte</h1>
          <Loading />
        </>
      ) : user.error ? (
        <>
          <h1>Compte introuvable</h1>
          <QueryError error={user.error} />
        </>
      ) : (
        <>
          <h1>{user.data.fullName}</h1>
          {notice ? (
            <Alert
              severity="success"
              small
              role="status"
              description={notice}
              className={fr.cx("fr-mb-3w")}
            />
          ) : null}
          {toggleDisabled.error ? (
            <QueryError error={toggleDisabled.error} title="Action impossible" />
          ) : null}
          {resetMfa.error ? <QueryError error={resetMfa.error} title="Action impossible" /> : null}
          <dl className="vigie-dl">
            <dt>Adresse électronique</dt>
            <dd>{user.data.email}</dd>
            <dt>Rôle</dt>
            <dd>{roleLabels[user.data.role]}</dd>
            {user.data.regionCode ? (
              <>
                <dt>Région</dt>
                <dd>{regionLabel(regions.data, user.data.regionCode)}</dd>
              </>
            ) : null}
            {user.data.authority ? (
              <>
                <dt>Autorité</dt>
                <dd>{authorityLabels[user.data.authority]}</dd>
              </>
            ) : null}
            {user.data.role === "declarant" ? (
              <>
                <dt>Structures</dt>
                <dd>
                  {user.data.structures.length === 0 ? (
                    "Aucune"
                  ) : (
                    <ul className={fr.cx("fr-raw-list")}>
                      {user.data.structures.map((s) => (
                        <li key={s.structureId}>
                          {s.name} (FINESS {s.finessEt}) —{" "}
                          {s.status === "active" ? "actif" : "en attente de validation"}
                        </li>
                      ))}
                    </ul>
                  )}
                </dd>
              </>
            ) : null}
            <dt>Fonction</dt>
            <dd>{user.data.jobTitle ?? "—"}</dd>
            <dt>Téléphone</dt>
            <dd>{user.data.phone ?? "—"}</dd>
            <dt>État</dt>
            <dd>
              <UserStateBadges user={user.data} />
              {user.data.lockedUntil && new Date(user.data.lockedUntil) > new Date()
                ? ` jusqu'au ${formatDateTime(user.data.lockedUntil)}`
                : null}
            </dd>
            <dt>Double authentification</dt>
            <dd>{user.data.mfaEnabled ? "Activée" : "Non activée"}</dd>
            <dt>Dernière connexion</dt>
            <dd>{formatDateTime(user.data.lastLoginAt)}</dd>
            <dt>Créé le</dt>
            <dd>{formatDateTime(user.data.createdAt)}</dd>
          </dl>
          {canManage ? (
            <>
              <section aria-labelledby="modifier-compte" className={fr.cx("fr-mt-6w")}>
                <h2 id="modifier-compte">Modifier le rôle et le périmètre</h2>
                <UserEditForm
                  key={`${user.data.id}-${user.data.role}-${user.data.structures.length}`}
                  user={user.data}
                  onSaved={(updated) => onUpdated(updated, "Les modifications sont enregistrées.")}
                  regions={regions.data}
                />
              </section>
              <section aria-labelledby="actions-compte" className={fr.cx("fr-mt-6w")}>
                <h2 id="actions-compte">Actions sur le compte</h2>
                {me?.id === user.data.id ? (
                  <p>Vous ne pouvez pas désactiver votre propre compte.</p>
                ) : (
                  <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
                    <li>
                      {user.data.disabled ? (
                        <Button
                          type="button"
                          priority="secondary"
                          onClick={() => toggleDisabled.mutate(false)}
                          disabled={toggleDisabled.isPending}
                        >
                          Réactiver le compte
                        </Button>
                      ) : (
                        <Button
                          type="button"
                          priority="secondary"
                          iconId="fr-icon-close-circle-line"
                          onClick={() => toggleDisabled.mutate(true)}
                          disabled={toggleDisabled.isPending}
                        >
                          Désactiver le compte
                        </Button>
                      )}
                    </li>
                    {user.data.mfaEnabled ? (
                      <li>
                        <Button
                          type="button"
                          priority="tertiary"
                          onClick={() => resetMfa.mutate()}
                          disabled={resetMfa.isPending}
                        >
                          Réinitialiser la double authentification
                        </Button>
                      </li>
                    ) : null}
                  </ul>
                )}
              </section>
            </>
          ) : null}
        </>
      )}
    </>
  );
}

const EditSchema = ScopeSchema.extend({
  fullName: z.string().trim().min(2, { error: "Indiquez les nom et prénom." }).max(200),
}).superRefine(refineScope);
type EditValues = z.infer<typeof EditSchema>;

const fields = { fullName: { id: "user-fullname", label: "Nom et prénom" }, ...scopeFieldSpecs };

function UserEditForm(props: {
  user: User;
  regions: Parameters<typeof ScopeFields>[0]["regions"];
  onSaved: (user: User) => void | Promise<void>;
}) {
  const { user, regions, onSaved } = props;
  const form = useForm<EditValues>({
    resolver: zodResolver(EditSchema),
    defaultValues: {
      fullName: user.fullName,
      role: user.role,
      regionCode: user.regionCode ?? "",
      authority: user.authority ?? "",
      structures: user.structures.map((s) => ({ finessEt: s.finessEt, name: s.name })),
    },
  });
  const feedback = useFormFeedback(form, { mapField: (f) => mapUserField(f, fields) });
  const errors = form.formState.errors;
  const submit = feedback.handle(async (raw) => {
    const values = raw as EditValues;
    const updated = await api.patch<User>(`/api/users/${user.id}`, {
      fullName: values.fullName,
      ...scopeBody(values),
    });
    await onSaved(updated);
  });
  return (
    <form onSubmit={submit} noValidate className={fr.cx("fr-col-12", "fr-col-md-10", "fr-col-lg-8")}>
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={errors}
        fields={fields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <TextField
        id={fields.fullName.id}
        label={fields.fullName.label}
        error={fieldError(errors, "fullName")}
        inputProps={{ ...form.register("fullName"), autoComplete: "off" }}
      />
      <ScopeFields form={form} regions={regions} errors={errors} />
      <Button type="submit" disabled={form.formState.isSubmitting}>
        Enregistrer les modifications
      </Button>
    </form>
  );
}
