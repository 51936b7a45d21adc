import { fr } from "@codegouvfr/react-dsfr";
import Breadcrumb from "@codegouvfr/react-dsfr/Breadcrumb";
import Button from "@codegouvfr/react-dsfr/Button";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { useNavigate } from "react-router";
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
import { useRegions } from "../../app/regions.ts";
import {
  mapUserField,
  minPasswordFor,
  refineScope,
  ScopeFields,
  ScopeSchema,
  scopeBody,
  scopeFieldSpecs,
  type User,
} from "./userFields.tsx";

const CreateSchema = ScopeSchema.extend({
  fullName: z.string().trim().min(2, { error: "Indiquez les nom et prénom." }).max(200),
  email: z
    .email({ error: "Saisissez une adresse électronique valide, par exemple nom@domaine.fr." })
    .max(254),
  jobTitle: z.string().trim().max(200),
  phone: z.string().trim().max(40),
  password: z.string().max(256),
}).superRefine((v, ctx) => {
  refineScope(v, ctx);
  const min = minPasswordFor(v.role);
  if (v.password.length < min)
    ctx.addIssue({
      code: "custom",
      path: ["password"],
      message: `Le mot de passe doit contenir au moins ${min} caractères pour ce rôle.`,
    });
});
type CreateValues = z.infer<typeof CreateSchema>;

const fields = {
  fullName: { id: "user-fullname", label: "Nom et prénom" },
  email: { id: "user-email", label: "Adresse électronique" },
  jobTitle: { id: "user-jobtitle", label: "Fonction" },
  phone: { id: "user-phone", label: "Téléphone" },
  ...scopeFieldSpecs,
  password: { id: "user-password", label: "Mot de passe initial" },
};

/** Creation of an account by an administrator (the address counts as verified). */
export function UserCreatePage() {
  usePageTitle("Créer un compte");
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const regions = useRegions();
  const form = useForm<CreateValues>({
    resolver: zodResolver(CreateSchema),
    defaultValues: {
      fullName: "",
      email: "",
      jobTitle: "",
      phone: "",
      role: "declarant",
      regionCode: "",
      authority: "",
      structures: [],
      password: "",
    },
  });
  const feedback = useFormFeedback(form, { mapField: (f) => mapUserField(f, fields) });
  const errors = form.formState.errors;
  const role = form.watch("role");
  const min = minPasswordFor(role);

  const submit = feedback.handle(
    async (raw) => {
      const values = raw as CreateValues;
      const created = await api.post<User>("/api/users", {
        email: values.email,
        fullName: values.fullName,
        jobTitle: values.jobTitle || undefined,
        phone: values.phone || undefined,
        password: values.password,
        ...scopeBody(values),
        regionCode: values.role === "ars" ? values.regionCode : undefined,
        authority: values.role === "authority" ? values.authority : undefined,
        finess: values.role === "declarant" ? values.structures.map((s) => s.finessEt) : [],
      });
      await queryClient.invalidateQueries({ queryKey: ["users"] });
      navigate(`/admin/utilisateurs/${created.id}`, { state: { created: true } });
    },
    (error) => {
      if (isApiError(error, "EMAIL_TAKEN", "CONFLICT")) {
        form.setError("email", { type: "server", message: "Un compte existe déjà avec cette adresse." });
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

  return (
    <>
      <Breadcrumb
        currentPageLabel="Créer un compte"
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Utilisateurs", linkProps: { to: "/admin/utilisateurs" } }]}
      />
      <h1>Créer un compte</h1>
      <form onSubmit={submit} noValidate className={fr.cx("fr-col-12", "fr-col-md-10", "fr-col-lg-8")}>
        <RequiredNotice />
        <ErrorSummary
          summaryRef={feedback.summaryRef}
          errors={errors}
          fields={fields}
          globalError={feedback.globalError}
          globalMessage={feedback.globalMessage}
        />
        <fieldset className={fr.cx("fr-fieldset")}>
          <legend className={fr.cx("fr-fieldset__legend")}>Identité</legend>
          <div className={fr.cx("fr-fieldset__element")}>
            <TextField
              id={fields.fullName.id}
              label={fields.fullName.label}
              error={fieldError(errors, "fullName")}
              inputProps={{ ...form.register("fullName"), autoComplete: "off" }}
            />
          </div>
          <div className={fr.cx("fr-fieldset__element")}>
            <TextField
              id={fields.email.id}
              label={fields.email.label}
              hint="Format attendu : nom@domaine.fr. Elle est considérée comme vérifiée."
              error={fieldError(errors, "email")}
              inputProps={{
                ...form.register("email"),
                type: "email",
                autoComplete: "off",
                spellCheck: false,
              }}
            />
          </div>
          <div className={fr.cx("fr-fieldset__element")}>
            <TextField
              id={fields.jobTitle.id}
              label={fields.jobTitle.label}
              optional
              error={fieldError(errors, "jobTitle")}
              inputProps={{ ...form.register("jobTitle"), autoComplete: "off" }}
            />
          </div>
          <div className={fr.cx("fr-fieldset__element")}>
            <TextField
              id={fields.phone.id}
              label={fields.phone.label}
              optional
              error={fieldError(errors, "phone")}
              inputProps={{ ...form.register("phone"), type: "tel", autoComplete: "off" }}
            />
          </div>
        </fieldset>
        <fieldset className={fr.cx("fr-fieldset")}>
          <legend className={fr.cx("fr-fieldset__legend")}>Rôle et périmètre</legend>
          <div className={fr.cx("fr-fieldset__element")}>
            <ScopeFields form={form} regions={regions.data} errors={errors} />
          </div>
        </fieldset>
        <fieldset className={fr.cx("fr-fieldset")}>
          <legend className={fr.cx("fr-fieldset__legend")}>Mot de passe</legend>
          <div className={fr.cx("fr-fieldset__element")}>
            <PasswordField
              id={fields.password.id}
              label={fields.password.label}
              hint={`Au moins ${min} caractères pour ce rôle. Transmettez-le à la personne par un canal distinct ; elle pourra le changer depuis son compte.${min === 16 ? " La double authentification lui sera demandée à la première connexion." : ""}`}
              error={fieldError(errors, "password")}
              inputProps={{ ...form.register("password"), autoComplete: "new-password" }}
            />
          </div>
        </fieldset>
        <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
          <li>
            <Button type="submit" disabled={form.formState.isSubmitting}>
              Créer le compte
            </Button>
          </li>
          <li>
            <Button priority="secondary" linkProps={{ to: "/admin/utilisateurs" }}>
              Annuler
            </Button>
          </li>
        </ul>
      </form>
    </>
  );
}
