import { z } from "zod";

const email = z
  .email({ error: "Adresse électronique invalide." })
  .max(254)
  .transform((v) => v.trim().toLowerCase());

/** POST /api/auth/resend-verification and /api/auth/password-reset/request */
export const EmailOnlyRequest = z.object({ email });

/** POST /api/auth/password-reset/confirm */
export const PasswordResetConfirmRequest = z.object({
  token: z.string().min(10, { error: "Lien invalide." }).max(200),
  password: z.string().max(256),
});

/**
 * The answer of requests that must not reveal whether an account exists (registration,
 * new verification link, password reset): always the same, whatever happened.
 */
export const AcceptedResponse = z.object({ message: z.string() });

/** The answer of a successful e-mail verification or password reset. */
export const DoneResponse = z.object({ message: z.string() });
