import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Badge from "@codegouvfr/react-dsfr/Badge";
import Button from "@codegouvfr/react-dsfr/Button";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { authorityLabels, isPrivilegedRole, roleLabels, type UserView } from "@vigie/contracts";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { api, isApiError } from "../../app/api.ts";
import { type SessionUser, useCurrentUser, useRefreshSession } from "../../app/auth.tsx";
import {
  ErrorSummary,
  fieldError,
  PasswordField,
  RequiredNotice,
  TextField,
  useFormFeedback,
} from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { regionLabel, useRegions } from "../../app/regions.ts";
import { Loading } from "../../app/ui.tsx";
import { TotpEnrolment } from "../auth/TotpEnrolment.tsx";
import { ApiTokensSection } from "./ApiTokensSection.tsx";

/** The account page: profile, password, MFA and API tokens. */
export function AccountPage() {
  usePageTitle("Mon compte");
  const user = useCurrentUser();
  if (!user) return null;
  return (
    <>
      <h1>Mon compte</h1>
      <nav className={fr.cx("fr-summary", "fr-mb-5w")} aria-labelledby="sommaire-compte">
        <p className={fr.cx("fr-summary__title")} id="sommaire-compte">
          Sommaire
        </p>
        <ol>
          <li>
            <a className={fr.cx("fr-summary__link")} href="#profil">
              Profil
            </a>
          </li>
          <li>
            <a className={fr.cx("fr-summary__link")} href="#mot-de-passe">
              Mot de passe
            </a>
          </li>
          <li>
            <a className={fr.cx("fr-summary__link")} href="#double-authentification">
              Double authentification
            </a>
          </li>
          {user.permissions.includes("tokens:manage") ? (
            <li>
              <a className={fr.cx("fr-summary__link")} href="#jetons">
                Jetons d'API
              </a>
            </li>
          ) : null}
        </ol>
      </nav>
      <ProfileSection user={user} />
      <PasswordSection user={user} />
      <MfaSection user={user} />
      {user.permissions.includes("tokens:manage") ? <ApiTokensSection user={user} /> : null}
    </>
  );
}

type Account = z.infer<typeof UserView>;

const ProfileSchema = z.object({
  fullName: z.string().trim().min(2, { error: "Indiquez vos nom et prénom." }).max(200),
  jobTitle: z.string().trim().max(200),
  phone: z.string().trim().max(40),
});

const profileFields = {
  fullName: { id: "profile-fullname", label: "Nom et prénom" },
  jobTitle: { id: "profile-jobtitle", label: "Fonction" },
  phone: { id: "profile-phone", label: "Téléphone" },
};

function ProfileSection({ user }: { user: SessionUser }) {
  const regions = useRegions(user.role === "ars");
  const account = useQuery({ queryKey: ["account"], queryFn: () => api.get<Account>("/api/account") });
  return (
    <section aria-labelledby="profil" className={fr.cx("fr-mb-8w")}>
      <h2 id="profil">Profil</h2>
      <dl className="vigie-dl">
        <dt>Adresse électronique</dt>
        <dd>{user.email}</dd>
        <dt>Rôle</dt>
        <dd>{roleLabels[user.role]}</dd>
        {user.authority ? (
          <>
            <dt>Organisme</dt>
            <dd>{authorityLabels[user.authority]}</dd>
          </>
        ) : null}
        {user.regionCode ? (
          <>
            <dt>Région</dt>
            <dd>{regionLabel(regions.data, user.regionCode)}</dd>
          </>
        ) : null}
        {user.role === "declarant" ? (
          <>
            <dt>Structures</dt>
            <dd>
              {user.structures.length === 0 ? (
                "Aucune"
              ) : (
                <ul className={fr.cx("fr-raw-list")}>
                  {user.structures.map((s) => (
                    <li key={s.structureId}>
                      {s.name} (FINESS {s.finessEt}){" "}
                      {s.status === "pending" ? (
                        <Badge severity="warning" small as="span">
                          En attente de validation
                        </Badge>
                      ) : null}
                    </li>
                  ))}
                </ul>
              )}
            </dd>
          </>
        ) : null}
      </dl>
      {account.isPending ? (
        <Loading />
      ) : (
        // Without the account (API error), the form still starts from the session's name.
        <ProfileForm
          initial={{
            fullName: account.data?.fullName ?? user.fullName,
            jobTitle: account.data?.jobTitle ?? "",
            phone: account.data?.phone ?? "",
          }}
        />
      )}
    </section>
  );
}

function ProfileForm({ initial }: { initial: z.infer<typeof ProfileSchema> }) {
  const refreshSession = useRefreshSession();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const form = useForm<z.infer<typeof ProfileSchema>>({
    resolver: zodResolver(ProfileSchema),
    defaultValues: initial,
  });
  const feedback = useFormFeedback(form);
  const errors = form.formState.errors;
  const submit = feedback.handle(async (raw) => {
    const values = raw as z.infer<typeof ProfileSchema>;
    setSaved(false);
    const updated = await api.patch<Account>("/api/account", {
      fullName: values.fullName,
      jobTitle: values.jobTitle || null,
      phone: values.phone || null,
    });
    if (updated) queryClient.setQueryData(["account"], updated);
    await refreshSession();
    form.reset(values);
    setSaved(true);
  });

  return (
    <form onSubmit={submit} noValidate className={fr.cx("fr-col-12", "fr-col-md-8")}>
      <h3 className={fr.cx("fr-h5")}>Modifier mes informations</h3>
      <RequiredNotice />
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={errors}
        fields={profileFields}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      {saved ? (
        <Alert
          severity="success"
          small
          description="Vos informations ont été enregistrées."
          className={fr.cx("fr-mb-3w")}
          role="status"
        />
      ) : null}
      <TextField
        id={profileFields.fullName.id}
        label={profileFields.fullName.label}
        error={fieldError(errors, "fullName")}
        inputProps={{ ...form.register("fullName"), autoComplete: "name" }}
      />
      <TextField
        id={profileFields.jobTitle.id}
        label={profileFields.jobTitle.label}
        optional
        error={fieldError(errors, "jobTitle")}
        inputProps={{ ...form.register("jobTitle"), autoComplete: "organization-title" }}
      />
      <TextField
        id={profileFields.phone.id}
        label={profileFields.phone.label}
        hint="Format : 01 23 45 67 89 ou +33 1 23 45 67 89"
        optional
        error={fieldError(errors, "phone")}
        inputProps={{ ...form.register("phone"), type: "tel", autoComplete: "tel" }}
      />
      <Button type="submit" disabled={form.formState.isSubmitting}>
        Enregistrer
      </Button>
    </form>
  );
}

function PasswordSection({ user }: { user: SessionUser }) {
  const min = isPrivilegedRole(user.role) ? 16 : 12;
  const refreshSession = useRefreshSession();
  const [saved, setSaved] = useState(false);
  const Schema = z
    .object({
      currentPassword: z.string().min(1, { error: "Saisissez votre mot de passe actuel." }),
      newPassword: z
        .string()
        .min(min, { error: `Le nouveau mot de passe doit contenir au moins ${min} caractères.` })
        .max(256),
      confirmation: z.string(),
    })
    .refine((v) => v.newPassword === v.confirmation, {
      path: ["confirmation"],
      error: "Les deux mots de passe ne sont pas identiques.",
    });
  const form = useForm<z.infer<typeof Schema>>({
    resolver: zodResolver(Schema),
    defaultValues: { currentPassword: "", newPassword: "", confirmation: "" },
  });
  const feedback = useFormFeedback(form, {
    mapField: (field) =>
      field === "currentPassword"
        ? "currentPassword"
        : field === "newPassword" || field === "password"
          ? "newPassword"
          : null,
  });
  const errors = form.formState.errors;
  const fields = {
    currentPassword: { id: "password-current", label: "Mot de passe actuel" },
    newPassword: { id: "password-new", label: "Nouveau mot de passe" },
    confirmation: { id: "password-confirmation", label: "Confirmation du nouveau mot de passe" },
  };
  const submit = feedback.handle(
    async (values) => {
      setSaved(false);
      await api.post("/api/account/password", {
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
      });
      form.reset({ currentPassword: "", newPassword: "", confirmation: "" });
      setSaved(true);
      // The API may rotate the session (and its CSRF token) on a password change.
      await refreshSession();
    },
    (error) => {
      if (isApiError(error, "INVALID_CREDENTIALS")) {
        form.setError("currentPassword", { type: "server", message: "Mot de passe actuel incorrect." });
        feedback.focusSummary();
        return true;
      }
      if (isApiError(error, "WEAK_PASSWORD") && error.fields.length === 0) {
        form.setError("newPassword", { type: "server", message: error.message });
        feedback.focusSummary();
        return true;
      }
      return false;
    },
  );

  return (
    <section aria-labelledby="mot-de-passe" className={fr.cx("fr-mb-8w")}>
      <h2 id="mot-de-passe">Mot de passe</h2>
      <form onSubmit={submit} noValidate className={fr.cx("fr-col-12", "fr-col-md-8")}>
        <p id="politique-mot-de-passe">
          Politique de votre compte : <strong>au moins {min} caractères</strong>
          {isPrivilegedRole(user.role) ? " (compte à privilèges)" : ""}. Préférez une phrase de passe de
          plusieurs mots ; les mots de passe trop courants ou contenant votre adresse sont refusés.
        </p>
        <ErrorSummary
          summaryRef={feedback.summaryRef}
          errors={errors}
          fields={fields}
          globalError={feedback.globalError}
          globalMessage={feedback.globalMessage}
        />
        {saved ? (
          <Alert
            severity="success"
            small
            description="Votre mot de passe a été modifié."
            className={fr.cx("fr-mb-3w")}
            role="status"
          />
        ) : null}
        <PasswordField
          id={fields.currentPassword.id}
          label={fields.currentPassword.label}
          error={fieldError(errors, "currentPassword")}
          inputProps={{ ...form.register("currentPassword"), autoComplete: "current-password" }}
        />
        <PasswordField
          id={fields.newPassword.id}
          label={fields.newPassword.label}
          hint={`Au moins ${min} caractères.`}
          error={fieldError(errors, "newPassword")}
          inputProps={{
            ...form.register("newPassword"),
            autoComplete: "new-password",
            "aria-describedby": "politique-mot-de-passe",
          }}
        />
        <PasswordField
          id={fields.confirmation.id}
          label={fields.confirmation.label}
          error={fieldError(errors, "confirmation")}
          inputProps={{ ...form.register("confirmation"), autoComplete: "new-password" }}
        />
        <Button type="submit" disabled={form.formState.isSubmitting}>
          Changer le mot de passe
        </Button>
      </form>
    </section>
  );
}

const DisableForm = z.object({
  code: z.string().regex(/^\d{6}$/, { error: "Le code comporte 6 chiffres." }),
});

function MfaSection({ user }: { user: SessionUser }) {
  const refreshSession = useRefreshSession();
  const [enrolling, setEnrolling] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const privileged = isPrivilegedRole(user.role);
  const form = useForm<z.infer<typeof DisableForm>>({
    resolver: zodResolver(DisableForm),
    defaultValues: { code: "" },
  });
  const feedback = useFormFeedback(form);
  const errors = form.formState.errors;
  const disable = feedback.handle(
    async (values) => {
      await api.post("/api/auth/totp/disable", values);
      form.reset({ code: "" });
      await refreshSession();
      setMessage("La double authentification est désactivée.");
    },
    (error) => {
      if (isApiError(error, "INVALID_TOTP")) {
        form.setError("code", { type: "server", message: "Code incorrect ou expiré." });
        feedback.focusSummary();
        return true;
      }
      return false;
    },
  );

  return (
    <section aria-labelledby="double-authentification" className={fr.cx("fr-mb-8w")}>
      <h2 id="double-authentification">Double authentification</h2>
      <p>
        État :{" "}
        {user.mfaEnabled ? (
          <Badge severity="success" as="span">
            Activée
          </Badge>
        ) : (
          <Badge severity="warning" as="span">
            Non activée
          </Badge>
        )}
      </p>
      {message ? (
        <Alert severity="success" small description={message} className={fr.cx("fr-mb-3w")} role="status" />
      ) : null}
      {privileged ? (
        <p>
          La double authentification est obligatoire pour votre rôle : elle ne peut pas être désactivée. En
          cas de perte de votre téléphone, contactez l'administrateur de la plateforme.
        </p>
      ) : user.mfaEnabled ? (
        <form onSubmit={disable} noValidate className={fr.cx("fr-col-12", "fr-col-md-8")}>
          <p>Pour désactiver la double authentification, saisissez un code de votre application.</p>
          <ErrorSummary
            summaryRef={feedback.summaryRef}
            errors={errors}
            fields={{ code: { id: "mfa-disable-code", label: "Code de vérification" } }}
            globalError={feedback.globalError}
            globalMessage={feedback.globalMessage}
          />
          <TextField
            id="mfa-disable-code"
            label="Code de vérification"
            hint="6 chiffres"
            error={fieldError(errors, "code")}
            inputProps={{
              ...form.register("code"),
              inputMode: "numeric",
              autoComplete: "one-time-code",
              maxLength: 6,
            }}
          />
          <Button type="submit" priority="secondary" disabled={form.formState.isSubmitting}>
            Désactiver la double authentification
          </Button>
        </form>
      ) : enrolling ? (
        <TotpEnrolment
          headingLevel={3}
          onEnabled={async () => {
            setEnrolling(false);
            await refreshSession();
            setMessage("La double authentification est activée.");
          }}
        />
      ) : (
        <>
          <p>
            Recommandée : en plus du mot de passe, un code à 6 chiffres généré par une application de votre
            téléphone vous sera demandé à chaque connexion.
          </p>
          <Button
            type="button"
            onClick={() => {
              setMessage(null);
              setEnrolling(true);
            }}
          >
            Activer la double authentification
          </Button>
        </>
      )}
    </section>
  );
}
