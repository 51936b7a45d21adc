import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Button from "@codegouvfr/react-dsfr/Button";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { LoginRequest, LoginResponse, type OidcInfo, TotpCodeRequest } from "@vigie/contracts";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { Link, Navigate, useLocation, useNavigate, useSearchParams } from "react-router";
import { z } from "zod";
import { type ApiError, api, isApiError, setCsrfToken } from "../../app/api.ts";
import { useLogout, useRefreshSession, useSession } from "../../app/auth.tsx";
import { ErrorSummary, fieldError, PasswordField, TextField, useFormFeedback } from "../../app/forms.tsx";
import { usePageTitle } from "../../app/page.tsx";
import { formatDateTime, Loading } from "../../app/ui.tsx";
import { TotpEnrolment } from "./TotpEnrolment.tsx";

type Step = "password" | "totp" | "enrol";
type Stage = z.infer<typeof LoginResponse>["stage"];

/** French text of a sign-in failure, with the details the code carries. */
function loginErrorMessage(error: ApiError): string {
  switch (error.code) {
    case "INVALID_CREDENTIALS":
      return "Adresse électronique ou mot de passe incorrect.";
    case "ACCOUNT_LOCKED": {
      const until = error.details.lockedUntil ?? error.details.until;
      return typeof until === "string"
        ? `Votre compte est temporairement verrouillé après plusieurs échecs de connexion, jusqu'au ${formatDateTime(until)}. Réessayez après cette heure ou réinitialisez votre mot de passe.`
        : error.message;
    }
    case "RATE_LIMITED":
      return error.retryAfter
        ? `Trop de tentatives. Patientez ${waitText(error.retryAfter)} avant de réessayer.`
        : error.message;
    case "ACCOUNT_DISABLED":
      return "Ce compte est désactivé. Contactez l'administrateur de la plateforme.";
    default:
      return error.message;
  }
}

function waitText(seconds: number): string {
  if (seconds < 60) return `${seconds} seconde${seconds > 1 ? "s" : ""}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes > 1 ? "s" : ""}`;
}

/** Where to go once signed in: back where the user was sent from, never off-site. */
function safeTarget(from: unknown): string {
  return typeof from === "string" && from.startsWith("/") && !from.startsWith("//") && from !== "/connexion"
    ? from
    : "/";
}

/** Sign-in: password, then TOTP code, or TOTP enrolment for a privileged account without one. */
export function LoginPage() {
  const { data: session, isPending } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const refreshSession = useRefreshSession();
  const logout = useLogout();
  const [searchParams] = useSearchParams();
  const target = safeTarget((location.state as { from?: unknown } | null)?.from);
  const [step, setStep] = useState<Step | null>(null);
  const [done, setDone] = useState(false);

  // A session half-way through MFA (page reloaded) resumes at the right step.
  const sessionStep: Step | null =
    session?.stage === "mfa_required" ? "totp" : session?.stage === "mfa_enrolment" ? "enrol" : null;
  const currentStep: Step = step ?? sessionStep ?? "password";

  usePageTitle(
    currentStep === "password"
      ? "Connexion"
      : currentStep === "totp"
        ? "Connexion — code de vérification"
        : "Connexion — activer la double authentification",
  );

  const advance = async (stage: Stage | null) => {
    if (stage === "mfa_required") return setStep("totp");
    if (stage === "mfa_enrolment") return setStep("enrol");
    setDone(true);
    await refreshSession();
    navigate(target, { replace: true });
  };

  // Focus the new step's heading: the page did not change, so the layout does not do it.
  useEffect(() => {
    if (step) document.getElementById("login-step-title")?.focus();
  }, [step]);

  if (isPending) return <Loading />;
  if (session?.stage === "authenticated" && !done) return <Navigate to={target} replace />;

  const restart = async () => {
    await logout();
    setStep("password");
  };

  return (
    <div className={fr.cx("fr-grid-row", "fr-grid-row--center")}>
      <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
        <h1>Connexion à Vigie</h1>
        {currentStep === "password" ? (
          <PasswordStep
            onStage={advance}
            loggedOut={Boolean((location.state as { loggedOut?: boolean } | null)?.loggedOut)}
            oidcFailed={searchParams.get("erreur") === "oidc"}
          />
        ) : currentStep === "totp" ? (
          <TotpStep onStage={advance} onRestart={restart} />
        ) : (
          <section aria-labelledby="login-step-title">
            <h2 id="login-step-title" tabIndex={-1}>
              Activer la double authentification
            </h2>
            <p>
              Votre rôle exige une double authentification. Associez une application d'authentification à
              votre compte pour terminer la connexion.
            </p>
            <TotpEnrolment onEnabled={advance} headingLevel={3} />
            <p className={fr.cx("fr-mt-3w")}>
              <Button priority="tertiary" type="button" onClick={restart}>
                Annuler et revenir à la connexion
              </Button>
            </p>
          </section>
        )}
      </div>
    </div>
  );
}

const loginFields = {
  email: { id: "login-email", label: "Adresse électronique" },
  password: { id: "login-password", label: "Mot de passe" },
};

function PasswordStep(props: {
  onStage: (stage: Stage) => Promise<void> | void;
  loggedOut: boolean;
  oidcFailed: boolean;
}) {
  const form = useForm<z.input<typeof LoginRequest>>({
    resolver: zodResolver(LoginRequest),
    defaultValues: { email: "", password: "" },
  });
  const feedback = useFormFeedback(form);
  const [lastError, setLastError] = useState<ApiError | null>(null);
  const [resent, setResent] = useState<"idle" | "sending" | "sent">("idle");
  const oidc = useQuery({
    queryKey: ["oidc"],
    queryFn: () => api.get<z.infer<typeof OidcInfo>>("/api/auth/oidc"),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const errors = form.formState.errors;

  const submit = feedback.handle(
    async (values) => {
      setLastError(null);
      setResent("idle");
      const answer = LoginResponse.parse(await api.post("/api/auth/login", values));
      setCsrfToken(answer.csrfToken);
      await props.onStage(answer.stage);
    },
    (error) => {
      if (isApiError(error)) {
        setLastError(error);
        if (error.fields.length === 0) {
          feedback.showError(error, loginErrorMessage(error));
          return true;
        }
      }
      return false;
    },
  );

  const resend = async () => {
    setResent("sending");
    try {
      await api.post("/api/auth/resend-verification", { email: form.getValues("email") });
    } catch {
      // The answer is the same whether the address exists or not; errors change nothing for the user.
    }
    setResent("sent");
  };

  return (
    <>
      {props.loggedOut ? (
        <Alert severity="success" small description="Vous êtes déconnecté." className={fr.cx("fr-mb-3w")} />
      ) : null}
      {props.oidcFailed ? (
        <Alert
          severity="error"
          title="La connexion par le fournisseur d'identité a échoué"
          description="Réessayez, ou connectez-vous avec votre adresse électronique et votre mot de passe."
          className={fr.cx("fr-mb-3w")}
        />
      ) : null}
      <div className={fr.cx("fr-callout", "fr-mb-4w")}>
        <p className={fr.cx("fr-callout__text", "fr-text--md", "fr-mb-2w")}>
          Un incident en cours ? Déclarez-le tout de suite, même sans compte.
        </p>
        <Link className={fr.cx("fr-btn", "fr-btn--icon-left", "fr-icon-alarm-warning-line")} to="/declarer">
          Déclarer un incident sans compte
        </Link>
      </div>
      <form onSubmit={submit} noValidate aria-labelledby="login-step-title">
        <h2 id="login-step-title" className={fr.cx("fr-h4")} tabIndex={-1}>
          Se connecter avec son adresse électronique
        </h2>
        <ErrorSummary
          summaryRef={feedback.summaryRef}
          errors={errors}
          fields={loginFields}
          globalError={feedback.globalError}
          globalMessage={feedback.globalMessage}
        >
          {lastError?.code === "EMAIL_NOT_VERIFIED" ? (
            resent === "sent" ? (
              <p role="status">
                Si un compte non confirmé existe pour cette adresse, un nouveau lien de confirmation vient
                d'être envoyé.
              </p>
            ) : (
              <Button
                type="button"
                priority="secondary"
                size="small"
                onClick={resend}
                disabled={resent === "sending"}
              >
                Renvoyer le courriel de confirmation
              </Button>
            )
          ) : null}
          {lastError?.code === "ACCOUNT_LOCKED" || lastError?.code === "INVALID_CREDENTIALS" ? (
            <p>
              <Link to="/mot-de-passe-oublie">Mot de passe oublié ?</Link>
            </p>
          ) : null}
        </ErrorSummary>
        <TextField
          id="login-email"
          label="Adresse électronique"
          hint="Format attendu : nom@domaine.fr"
          error={fieldError(errors, "email")}
          inputProps={{
            ...form.register("email"),
            type: "email",
            autoComplete: "username",
            spellCheck: false,
          }}
        />
        <PasswordField
          id="login-password"
          label="Mot de passe"
          error={fieldError(errors, "password")}
          inputProps={{ ...form.register("password"), autoComplete: "current-password" }}
        />
        <p className={fr.cx("fr-mb-3w")}>
          <Link to="/mot-de-passe-oublie" className={fr.cx("fr-link", "fr-text--sm")}>
            Mot de passe oublié ?
          </Link>
        </p>
        <Button type="submit" disabled={form.formState.isSubmitting}>
          Se connecter
        </Button>
      </form>
      {oidc.data?.enabled ? (
        <section className={fr.cx("fr-mt-5w")} aria-labelledby="oidc-title">
          <h2 id="oidc-title" className={fr.cx("fr-h4")}>
            Se connecter avec un fournisseur d'identité
          </h2>
          {/* A full navigation: the provider's redirects cannot run inside fetch. */}
          <a className={fr.cx("fr-btn", "fr-btn--secondary")} href="/api/auth/oidc/start">
            Se connecter avec {oidc.data.label ?? "le fournisseur d'identité"}
          </a>
        </section>
      ) : null}
      <section className={fr.cx("fr-mt-5w")} aria-labelledby="register-title">
        <h2 id="register-title" className={fr.cx("fr-h4")}>
          Vous n'avez pas de compte ?
        </h2>
        <p>Les responsables de la sécurité des structures de santé peuvent créer leur compte de déclarant.</p>
        <Link className={fr.cx("fr-btn", "fr-btn--secondary")} to="/inscription">
          Créer un compte déclarant
        </Link>
      </section>
    </>
  );
}

const TotpForm = z.object({ code: TotpCodeRequest.shape.code });

function TotpStep(props: { onStage: (stage: Stage) => Promise<void> | void; onRestart: () => void }) {
  const form = useForm<z.input<typeof TotpForm>>({
    resolver: zodResolver(TotpForm),
    defaultValues: { code: "" },
  });
  const feedback = useFormFeedback(form);
  const errors = form.formState.errors;
  const submit = feedback.handle(
    async (values) => {
      const answer = LoginResponse.parse(await api.post("/api/auth/totp/verify", values));
      setCsrfToken(answer.csrfToken);
      await props.onStage(answer.stage);
    },
    (error) => {
      if (isApiError(error, "INVALID_TOTP")) {
        form.setError("code", {
          type: "server",
          message: "Code incorrect ou expiré. Saisissez le code actuellement affiché.",
        });
        feedback.focusSummary();
        return true;
      }
      if (isApiError(error, "UNAUTHENTICATED")) {
        feedback.showError(error, "Votre session de connexion a expiré. Recommencez la connexion.");
        return true;
      }
      if (isApiError(error, "RATE_LIMITED", "ACCOUNT_LOCKED")) {
        feedback.showError(error, loginErrorMessage(error));
        return true;
      }
      return false;
    },
  );
  return (
    <form onSubmit={submit} noValidate aria-labelledby="login-step-title">
      <h2 id="login-step-title" tabIndex={-1}>
        Code de vérification
      </h2>
      <p>Saisissez le code à 6 chiffres affiché par votre application d'authentification.</p>
      <ErrorSummary
        summaryRef={feedback.summaryRef}
        errors={errors}
        fields={{ code: { id: "login-totp", label: "Code de vérification" } }}
        globalError={feedback.globalError}
        globalMessage={feedback.globalMessage}
      />
      <TextField
        id="login-totp"
        label="Code de vérification"
        hint="6 chiffres, par exemple 123456"
        error={fieldError(errors, "code")}
        inputProps={{
          ...form.register("code"),
          inputMode: "numeric",
          autoComplete: "one-time-code",
          maxLength: 6,
        }}
      />
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
        <li>
          <Button type="submit" disabled={form.formState.isSubmitting}>
            Valider
          </Button>
        </li>
        <li>
          <Button type="button" priority="secondary" onClick={props.onRestart}>
            Annuler
          </Button>
        </li>
      </ul>
    </form>
  );
}
