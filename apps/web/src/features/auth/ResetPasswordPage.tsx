import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Button from "@codegouvfr/react-dsfr/Button";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link, useSearchParams } from "react-router";
import { z } from "zod";
import { api, isApiError } from "../../app/api.ts";
import { ErrorSummary, fieldError, PasswordField, useFormFeedback } from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";

const ResetForm = z
  .object({
    password: z.string().min(12, { error: "Le mot de passe doit contenir au moins 12 caractères." }).max(256),
    passwordConfirmation: z.string(),
  })
  .refine((v) => v.password === v.passwordConfirmation, {
    path: ["passwordConfirmation"],
    error: "Les deux mots de passe ne sont pas identiques.",
  });

const fields = {
  password: { id: "reset-password", label: "Nouveau mot de passe" },
  passwordConfirmation: { id: "reset-password-confirmation", label: "Confirmation du mot de passe" },
};

/** Sets a new password from the link received by e-mail. */
export function ResetPasswordPage() {
  usePageTitle("Choisir un nouveau mot de passe");
  const [params] = useSearchParams();
  const token = params.get("jeton") ?? "";
  const [done, setDone] = useState(false);
  const form = useForm<z.infer<typeof ResetForm>>({
    resolver: zodResolver(ResetForm),
    defaultValues: { password: "", passwordConfirmation: "" },
  });
  const feedback = useFormFeedback(form, {
    mapField: (field) => (field === "password" || field === "newPassword" ? "password" : null),
  });
  const errors = form.formState.errors;
  const submit = feedback.handle(
    async (values) => {
      await api.post("/api/auth/password-reset/confirm", { token, password: values.password });
      setDone(true);
    },
    (error) => {
      if (isApiError(error, "TOKEN_INVALID")) {
        feedback.showError(
          error,
          "Ce lien est invalide ou a expiré. Demandez un nouveau lien depuis la page « Mot de passe oublié ».",
        );
        return true;
      }
      return false;
    },
  );

  return (
    <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
      <h1>Choisir un nouveau mot de passe</h1>
      {!token ? (
        <Alert
          severity="error"
          title="Lien incomplet"
          description="Ce lien ne contient pas de jeton. Copiez le lien complet reçu par courriel, ou demandez un nouveau lien."
        />
      ) : done ? (
        <>
          <Alert
            severity="success"
            title="Mot de passe modifié"
            description="Votre mot de passe a été modifié. Vos sessions ouvertes ont été fermées : connectez-vous avec le nouveau mot de passe."
          />
          <p className={fr.cx("fr-mt-3w")}>
            <Link className={fr.cx("fr-btn")} to="/connexion">
              Se connecter
            </Link>
          </p>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <ErrorSummary
            summaryRef={feedback.summaryRef}
            errors={errors}
            fields={fields}
            globalError={feedback.globalError}
            globalMessage={feedback.globalMessage}
          >
            {feedback.globalError?.code === "TOKEN_INVALID" ? (
              <p>
                <Link to="/mot-de-passe-oublie">Demander un nouveau lien</Link>
              </p>
            ) : null}
          </ErrorSummary>
          <PasswordField
            id={fields.password.id}
            label={fields.password.label}
            hint="Au moins 12 caractères pour un compte déclarant, 16 pour les comptes du CERT, des autorités et des administrateurs. Les mots de passe trop courants sont refusés."
            error={fieldError(errors, "password")}
            inputProps={{ ...form.register("password"), autoComplete: "new-password" }}
          />
          <PasswordField
            id={fields.passwordConfirmation.id}
            label={fields.passwordConfirmation.label}
            error={fieldError(errors, "passwordConfirmation")}
            inputProps={{ ...form.register("passwordConfirmation"), autoComplete: "new-password" }}
          />
          <Button type="submit" disabled={form.formState.isSubmitting}>
            Enregistrer le mot de passe
          </Button>
        </form>
      )}
    </div>
  );
}
