import { fr } from "@codegouvfr/react-dsfr";
import Button from "@codegouvfr/react-dsfr/Button";
import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { LoginResponse, TotpCodeRequest, type TotpSetupResponse } from "@vigie/contracts";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { api, setCsrfToken } from "../../app/api.ts";
import { ErrorSummary, fieldError, TextField, useFormFeedback } from "../../app/forms.tsx";
import { Loading, QueryError } from "../../app/ui.tsx";

type Setup = z.infer<typeof TotpSetupResponse>;
type CodeForm = z.input<typeof TotpCodeRequest>;

/** Groups a base32 secret by four characters so it can be typed without losing one's place. */
export function groupSecret(secret: string): string {
  return secret
    .replace(/\s+/g, "")
    .replace(/(.{4})/g, "$1 ")
    .trim();
}

/**
 * Enrolment in TOTP: a new secret (QR code, and the key as text for manual entry), then the
 * first code to confirm. Used at sign-in (privileged accounts must enrol) and from the account.
 */
export function TotpEnrolment(props: {
  onEnabled: (stage: z.infer<typeof LoginResponse>["stage"] | null) => void | Promise<void>;
  headingLevel?: 2 | 3;
}) {
  const { onEnabled, headingLevel = 2 } = props;
  const Heading = headingLevel === 2 ? "h2" : "h3";
  // A query, not an effect: TanStack deduplicates it, so a second render never asks the
  // server for another secret that would silently replace the one on screen.
  const setup = useQuery({
    queryKey: ["totp-setup"],
    queryFn: () => api.post<Setup>("/api/auth/totp/setup"),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
  });
  const form = useForm<CodeForm>({ resolver: zodResolver(TotpCodeRequest), defaultValues: { code: "" } });
  const feedback = useFormFeedback(form);
  const errors = form.formState.errors;

  const submit = feedback.handle(async (values) => {
    const answer = await api.post<unknown>("/api/auth/totp/enable", values);
    const parsed = LoginResponse.safeParse(answer);
    if (parsed.success) setCsrfToken(parsed.data.csrfToken);
    await onEnabled(parsed.success ? parsed.data.stage : null);
  });

  if (setup.isPending) return <Loading label="Préparation de la double authentification…" />;
  if (setup.error)
    return <QueryError error={setup.error} title="Impossible de préparer la double authentification" />;
  const { secret, qrCodeSvg } = setup.data;

  return (
    <div className="vigie-totp-enrolment">
      <ol className={fr.cx("fr-mb-3w")}>
        <li>
          Installez une application d'authentification sur votre téléphone (par exemple FreeOTP, Microsoft
          Authenticator ou Google Authenticator).
        </li>
        <li>
          Ajoutez un compte dans l'application en scannant le code QR ci-dessous, ou en saisissant la clé.
        </li>
        <li>Saisissez le code à 6 chiffres affiché par l'application pour confirmer.</li>
      </ol>
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-mb-3w")}>
        <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
          <img
            className="vigie-qr"
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(qrCodeSvg)}`}
            alt="Code QR à scanner avec votre application d'authentification (la même clé est écrite à côté)"
            width={200}
            height={200}
          />
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-8")}>
          <Heading className={fr.cx("fr-h6")}>Saisie manuelle de la clé</Heading>
          <p className={fr.cx("fr-mb-1w")}>Si vous ne pouvez pas scanner le code, saisissez cette clé :</p>
          <p>
            <code id="totp-secret" className="vigie-secret" data-secret={secret}>
              {groupSecret(secret)}
            </code>
          </p>
          <p className={fr.cx("fr-text--sm")}>
            Type : basé sur le temps (TOTP), 6 chiffres, période de 30 secondes.
          </p>
        </div>
      </div>
      <form onSubmit={submit} noValidate>
        <ErrorSummary
          summaryRef={feedback.summaryRef}
          errors={errors}
          fields={{ code: { id: "totp-enrol-code", label: "Code de vérification" } }}
          globalError={feedback.globalError}
          globalMessage={feedback.globalMessage}
        />
        <TextField
          id="totp-enrol-code"
          label="Code de vérification"
          hint="Les 6 chiffres affichés par votre application, par exemple 123456."
          error={fieldError(errors, "code")}
          inputProps={{
            ...form.register("code"),
            inputMode: "numeric",
            autoComplete: "one-time-code",
            maxLength: 6,
          }}
        />
        <Button type="submit" disabled={form.formState.isSubmitting}>
          Activer la double authentification
        </Button>
      </form>
    </div>
  );
}
