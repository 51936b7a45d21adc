import { fr } from "@codegouvfr/react-dsfr";
import Alert from "@codegouvfr/react-dsfr/Alert";
import Button from "@codegouvfr/react-dsfr/Button";
import { useMutation } from "@tanstack/react-query";
import { Link, useSearchParams } from "react-router";
import { api, isApiError } from "../../app/api.ts";
import { usePageTitle } from "../../app/page.tsx";

/**
 * Confirmation of an e-mail address from the link received. A button, not an automatic
 * call: mail scanners that open links must not consume the token in the user's stead.
 */
export function VerifyEmailPage() {
  usePageTitle("Confirmer votre adresse électronique");
  const [params] = useSearchParams();
  const token = params.get("jeton") ?? "";
  const verify = useMutation({ mutationFn: () => api.post("/api/auth/verify-email", { token }) });

  return (
    <div className={fr.cx("fr-col-12", "fr-col-md-8")}>
      <h1>Confirmer votre adresse électronique</h1>
      {!token ? (
        <Alert
          severity="error"
          title="Lien incomplet"
          description="Ce lien ne contient pas de jeton de confirmation. Copiez le lien complet reçu par courriel."
        />
      ) : verify.isSuccess ? (
        <>
          <Alert
            severity="success"
            title="Adresse confirmée"
            description="Votre adresse électronique est confirmée. Vous pouvez maintenant vous connecter."
          />
          <p className={fr.cx("fr-mt-3w")}>
            <Link className={fr.cx("fr-btn")} to="/connexion">
              Se connecter
            </Link>
          </p>
        </>
      ) : (
        <>
          {verify.error ? (
            <Alert
              severity="error"
              title="Confirmation impossible"
              description={
                isApiError(verify.error, "TOKEN_INVALID", "VALIDATION_FAILED")
                  ? "Ce lien est invalide ou a expiré. Connectez-vous avec votre adresse pour recevoir un nouveau lien."
                  : isApiError(verify.error)
                    ? verify.error.message
                    : "Une erreur inattendue est survenue."
              }
              className={fr.cx("fr-mb-3w")}
            />
          ) : null}
          <p>Cliquez sur le bouton ci-dessous pour confirmer l'adresse électronique de votre compte Vigie.</p>
          <Button type="button" onClick={() => verify.mutate()} disabled={verify.isPending}>
            Confirmer mon adresse
          </Button>
        </>
      )}
    </div>
  );
}
