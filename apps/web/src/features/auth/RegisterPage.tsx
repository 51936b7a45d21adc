import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Button from "@codegouvfr/react-dsfr/Button";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { Link } from "react-router";
import { z } from "zod";
import { api, isApiError } from "../../app/api.ts";
import {
  ErrorSummary,
  fieldError,
  PasswordField,
  RequiredNotice,
  TextField,
  useFormFeedback,
} from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { type ChosenStructure, StructureCombobox } from "../../app/StructureCombobox.tsx";

const DECLARANT_MIN_PASSWORD = 12;

const RegisterForm = z
  .object({
    fullName: z.string().trim().min(2, { error: "Indiquez vos nom et prénom." }).max(200),
    email: z
      .email({ error: "Saisissez une adresse électronique valide, par exemple nom@domaine.fr." })
      .max(254),
    jobTitle: z.string().trim().max(200),
    phone: z.string().trim().max(40),
    password: z
      .string()
      .min(DECLARANT_MIN_PASSWORD, {
        error: `Le mot de passe doit contenir au moins ${DECLARANT_MIN_PASSWORD} caractères.`,
      })
      .max(256),
    passwordConfirmation: z.string(),
    structures: z
      .array(z.object({ finessEt: z.string(), name: z.string(), town: z.string().nullable().optional() }))
      .min(1, { error: "Choisissez au moins une structure pour laquelle vous déclarez." })
      .max(50),
  })
  .refine((v) => v.password === v.passwordConfirmation, {
    path: ["passwordConfirmation"],
    error: "Les deux mots de passe ne sont pas identiques.",
  });
type RegisterValues = z.infer<typeof RegisterForm>;

const fields = {
  fullName: { id: "register-fullname", label: "Nom et prénom" },
  email: { id: "register-email", label: "Adresse électronique professionnelle" },
  jobTitle: { id: "register-jobtitle", label: "Fonction" },
  phone: { id: "register-phone", label: "Téléphone" },
  structures: { id: "register-structures", label: "Structures" },
  password: { id: "register-password", label: "Mot de passe" },
  passwordConfirmation: { id: "register-password-confirmation", label: "Confirmation du mot de passe" },
};

/** Self-registration of a declarant, who then confirms the address by e-mail. */
export function RegisterPage() {
  usePageTitle("Créer un compte déclarant");
  const [registeredEmail, setRegisteredEmail] = useState<string | null>(null);
  const form = useForm<RegisterValues>({
    resolver: zodResolver(RegisterForm),
    defaultValues: {
      fullName: "",
      email: "",
      jobTitle: "",
      phone: "",
      password: "",
      passwordConfirmation: "",
      structures: [],
    },
  });
  const feedback = useFormFeedback(form, {
    mapField: (field) => {
      if (field.startsWith("finess")) return "structures";
      const head = field.split(".")[0] ?? field;
      return head in fields ? head : null;
    },
  });
  const errors = form.formState.errors;

  const submit = feedback.handle(
    async (raw) => {
      const values = raw as RegisterValues;
      await api.post("/api/auth/register", {
        email: values.email,
        fullName: values.fullName,
        jobTitle: values.jobTitle || undefined,
        phone: values.phone || undefined,
        password: values.password,
        finess: values.structures.map((s: ChosenStructure) => s.finessEt),
      });
      setRegisteredEmail(values.email);
    },
    (error) => {
      if (isApiError(error, "EMAIL_TAKEN")) {
        form.setError("email", {
          type: "server",
          message:
            "Un compte existe déjà avec cette adresse. Connectez-vous ou réinitialisez votre mot de passe.",
        });
        feedback.focusSummary();
        return true;
      }
      if (isApiError(error, "WEAK_PASSWORD") && error.fields.length === 0) {
        form.setError("password", { type: "server", message: error.message });
        feedback.focusSummary();
        return true;
      }
      return false;
    },
  );

  if (registeredEmail) {
    return (
      <div className={fr.cx("fr-col-12", "fr-col-md-8")}>
        <h1>Vérifiez votre messagerie</h1>
        <Alert
          severity="success"
          title="Votre demande de compte est enregistrée"
          description={`Un courriel de confirmation a été envoyé à ${registeredEmail}. Cliquez sur le lien qu'il contient pour activer votre compte. Vos rattachements aux structures seront ensuite validés.`}
        />
        <p className={fr.cx("fr-mt-3w")}>
          <Link to="/connexion" className={fr.cx("fr-link")}>
            Aller à la page de connexion
          </Link>
        </p>
      </div>
    );
  }

  return (
    <div className={fr.cx("fr-grid-row", "fr-grid-row--center")}>
      <div className={fr.cx("fr-col-12", "fr-col-md-10", "fr-col-lg-8")}>
        <h1>Créer un compte déclarant</h1>
        <p>
          Ce compte permet aux responsables de la sécurité, directeurs et responsables informatiques des
          structures de santé de déclarer les incidents de sécurité au CERT Santé.
        </p>
        <form onSubmit={submit} noValidate>
          <RequiredNotice />
          <ErrorSummary
            summaryRef={feedback.summaryRef}
            errors={errors}
            fields={fields}
            globalError={feedback.globalError}
            globalMessage={feedback.globalMessage}
          />
          <fieldset className={fr.cx("fr-fieldset")}>
            <legend className={fr.cx("fr-fieldset__legend")}>Vous</legend>
            <div className={fr.cx("fr-fieldset__element")}>
              <TextField
                id={fields.fullName.id}
                label={fields.fullName.label}
                error={fieldError(errors, "fullName")}
                inputProps={{ ...form.register("fullName"), autoComplete: "name" }}
              />
            </div>
            <div className={fr.cx("fr-fieldset__element")}>
              <TextField
                id={fields.email.id}
                label={fields.email.label}
                hint="Format attendu : nom@domaine.fr. Un lien de confirmation y sera envoyé."
                error={fieldError(errors, "email")}
                inputProps={{
                  ...form.register("email"),
                  type: "email",
                  autoComplete: "email",
                  spellCheck: false,
                }}
              />
            </div>
            <div className={fr.cx("fr-fieldset__element")}>
              <TextField
                id={fields.jobTitle.id}
                label={fields.jobTitle.label}
                hint="Par exemple : RSSI, DSI, directeur d'établissement"
                optional
                error={fieldError(errors, "jobTitle")}
                inputProps={{ ...form.register("jobTitle"), autoComplete: "organization-title" }}
              />
            </div>
            <div className={fr.cx("fr-fieldset__element")}>
              <TextField
                id={fields.phone.id}
                label={fields.phone.label}
                hint="Pour être rappelé par le CERT pendant un incident. Format : 01 23 45 67 89"
                optional
                error={fieldError(errors, "phone")}
                inputProps={{ ...form.register("phone"), type: "tel", autoComplete: "tel" }}
              />
            </div>
          </fieldset>
          <fieldset className={fr.cx("fr-fieldset")}>
            <legend className={fr.cx("fr-fieldset__legend")}>Vos structures</legend>
            <div className={fr.cx("fr-fieldset__element")}>
              <Controller
                control={form.control}
                name="structures"
                render={({ field }) => (
                  <StructureCombobox
                    id={fields.structures.id}
                    label="Structures pour lesquelles vous déclarez"
                    hint="Saisissez le nom, la commune ou le numéro FINESS (9 chiffres) de l'établissement, puis choisissez-le dans la liste ou appuyez sur Entrée."
                    error={fieldError(errors, "structures")}
                    value={field.value}
                    onChange={field.onChange}
                  />
                )}
              />
            </div>
          </fieldset>
          <fieldset className={fr.cx("fr-fieldset")}>
            <legend className={fr.cx("fr-fieldset__legend")}>Votre mot de passe</legend>
            <div className={fr.cx("fr-fieldset__element")}>
              <PasswordField
                id={fields.password.id}
                label={fields.password.label}
                hint={`Au moins ${DECLARANT_MIN_PASSWORD} caractères. Une phrase de passe de plusieurs mots est plus sûre et plus facile à retenir. Les mots de passe trop courants sont refusés.`}
                error={fieldError(errors, "password")}
                inputProps={{ ...form.register("password"), autoComplete: "new-password" }}
              />
            </div>
            <div className={fr.cx("fr-fieldset__element")}>
              <PasswordField
                id={fields.passwordConfirmation.id}
                label={fields.passwordConfirmation.label}
                error={fieldError(errors, "passwordConfirmation")}
                inputProps={{ ...form.register("passwordConfirmation"), autoComplete: "new-password" }}
              />
            </div>
          </fieldset>
          <Button type="submit" disabled={form.formState.isSubmitting}>
            Créer mon compte
          </Button>
        </form>
        <p className={fr.cx("fr-mt-4w")}>
          Vous avez déjà un compte ? <Link to="/connexion">Se connecter</Link>
        </p>
      </div>
    </div>
  );
}
