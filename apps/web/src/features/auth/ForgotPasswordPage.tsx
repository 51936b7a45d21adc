import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Button from "@codegouvfr/react-dsfr/Button";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Link } from "react-router";
import { z } from "zod";
import { api } from "../../app/api.ts";
import { ErrorSummary, fieldError, TextField, useFormFeedback } from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";

const ForgotForm = z.object({
  email: z
    .email({ error: "Saisissez une adresse électronique valide, par exemple nom@domaine.fr." })
    .max(254),
});

/** Asks for a password-reset link; the answer never reveals whether the account exists. */
export function ForgotPasswordPage() {
  usePageTitle("Mot de passe oublié");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm<z.infer<typeof ForgotForm>>({
    resolver: zodResolver(ForgotForm),
    defaultValues: { email: "" },
  });
  const feedback = useFormFeedback(form);
  const errors = form.formState.errors;
  const submit = feedback.handle(async (values) => {
    await api.post("/api/auth/password-reset/request", values);
    setSentTo(values.email as string);
  });

  return (
    <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
      <h1>Mot de passe oublié</h1>
      {sentTo ? (
        <>
          <Alert
            severity="info"
            title="Vérifiez votre messagerie"
            description={`Si un compte existe pour ${sentTo}, un courriel contenant un lien de réinitialisation vient d'être envoyé. Le lien est valable pour une durée limitée.`}
          />
          <p className={fr.cx("fr-mt-3w")}>
            <Link to="/connexion" className={fr.cx("fr-link")}>
              Retour à la connexion
            </Link>
          </p>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <p>
            Saisissez l'adresse électronique de votre compte : vous recevrez un lien pour choisir un nouveau
            mot de passe.
          </p>
          <ErrorSummary
            summaryRef={feedback.summaryRef}
            errors={errors}
            fields={{ email: { id: "forgot-email", label: "Adresse électronique" } }}
            globalError={feedback.globalError}
            globalMessage={feedback.globalMessage}
          />
          <TextField
            id="forgot-email"
            label="Adresse électronique"
            hint="Format attendu : nom@domaine.fr"
            error={fieldError(errors, "email")}
            inputProps={{
              ...form.register("email"),
              type: "email",
              autoComplete: "email",
              spellCheck: false,
            }}
          />
          <Button type="submit" disabled={form.formState.isSubmitting}>
            Recevoir un lien
          </Button>
        </form>
      )}
    </div>
  );
}
