import { z } from "zod";
import { PermissionSchema } from "./permissions.ts";
import { AuthoritySchema, RoleSchema } from "./roles.ts";

// Trimmed and lower-cased before the format check, so a pasted " Nom@CHU.fr " is accepted.
const email = z
  .string({ error: "Adresse électronique requise." })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "Adresse électronique invalide." }).max(254));
const totpCode = z.string().regex(/^\d{6}$/, { error: "Le code comporte 6 chiffres." });

/** POST /api/auth/login */
export const LoginRequest = z.object({
  email,
  password: z.string().min(1, { error: "Mot de passe requis." }).max(256),
});
/** Where a session stands after a step of sign-in. */
export const SessionStage = z.enum(["mfa_required", "mfa_enrolment", "authenticated"]);
/** Answer of login, TOTP verification and enrolment: the next step and the CSRF token. */
export const LoginResponse = z.object({ stage: SessionStage, csrfToken: z.string() });

/** POST /api/auth/totp/verify and /api/auth/totp/enable */
export const TotpCodeRequest = z.object({ code: totpCode });
/** POST /api/auth/totp/setup: a new secret to scan (only while enrolling or from the account page). */
export const TotpSetupResponse = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  qrCodeSvg: z.string(),
});

/** A structure as listed on an account. */
export const MembershipView = z.object({
  structureId: z.uuid(),
  finessEt: z.string(),
  name: z.string(),
  status: z.enum(["active", "pending"]),
});

/** GET /api/auth/session: who is signed in (401 when nobody). */
export const SessionView = z.object({
  stage: SessionStage,
  csrfToken: z.string(),
  user: z.object({
    id: z.uuid(),
    email: z.string(),
    fullName: z.string(),
    role: RoleSchema,
    regionCode: z.string().nullable(),
    authority: AuthoritySchema.nullable(),
    mfaEnabled: z.boolean(),
    permissions: z.array(PermissionSchema),
    structures: z.array(MembershipView),
  }),
});

/** POST /api/auth/register: a declarant creates an account (e-mail verification follows). */
export const RegisterRequest = z.object({
  email,
  fullName: z.string().trim().min(2, { error: "Nom requis." }).max(200),
  jobTitle: z.string().trim().max(200).optional(),
  phone: z.string().trim().max(40).optional(),
  password: z.string().max(256),
  /** FINESS numbers of the structures the declarant acts for. */
  finess: z.array(z.string().trim()).max(50).default([]),
});

/** POST /api/auth/verify-email */
export const VerifyEmailRequest = z.object({ token: z.string().min(10).max(200) });

/** POST /api/account/password */
export const ChangePasswordRequest = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().max(256),
});

/** GET /api/auth/oidc: whether a provider is configured and its label. */
export const OidcInfo = z.object({ enabled: z.boolean(), label: z.string().nullable() });

/** An account as administrators see it. */
export const UserView = z.object({
  id: z.uuid(),
  email: z.string(),
  fullName: z.string(),
  jobTitle: z.string().nullable(),
  phone: z.string().nullable(),
  role: RoleSchema,
  regionCode: z.string().nullable(),
  authority: AuthoritySchema.nullable(),
  mfaEnabled: z.boolean(),
  emailVerified: z.boolean(),
  disabled: z.boolean(),
  lockedUntil: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
  structures: z.array(MembershipView),
});

/** POST /api/users (admin) */
export const CreateUserRequest = z.object({
  email,
  fullName: z.string().trim().min(2).max(200),
  jobTitle: z.string().trim().max(200).optional(),
  phone: z.string().trim().max(40).optional(),
  role: RoleSchema,
  regionCode: z
    .string()
    .regex(/^\d{2}$/)
    .optional(),
  authority: AuthoritySchema.optional(),
  password: z.string().max(256),
  finess: z.array(z.string().trim()).max(200).default([]),
});

/** PATCH /api/users/:id (admin): role, scope, structures, disabled. */
export const UpdateUserRequest = z.object({
  fullName: z.string().trim().min(2).max(200).optional(),
  role: RoleSchema.optional(),
  regionCode: z
    .string()
    .regex(/^\d{2}$/)
    .nullable()
    .optional(),
  authority: AuthoritySchema.nullable().optional(),
  disabled: z.boolean().optional(),
  finess: z.array(z.string().trim()).max(200).optional(),
});

/** GET /api/users (admin): filters and page. */
export const UserListQuery = z.object({
  role: RoleSchema.optional(),
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});
/** A page of accounts. */
export const UserPage = z.object({
  items: z.array(UserView),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** PATCH /api/account: what users may change on their own account (null or "" clears a field). */
export const UpdateAccountRequest = z.object({
  fullName: z.string().trim().min(2, { error: "Nom requis." }).max(200).optional(),
  jobTitle: z.string().trim().max(200).nullable().optional(),
  phone: z
    .string()
    .trim()
    .regex(/^$|^\+?[\d\s.()-]{6,40}$/, { error: "Numéro de téléphone invalide." })
    .nullable()
    .optional(),
});

/** POST /api/tokens */
export const CreateApiTokenRequest = z.object({
  name: z.string().trim().min(2, { error: "Nom du jeton requis." }).max(100),
  scopes: z.array(PermissionSchema).min(1, { error: "Choisissez au moins une autorisation." }),
  expiresInDays: z.number().int().min(1).max(730).optional(),
});
/** A token as listed (never its secret). */
export const ApiTokenView = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(PermissionSchema),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
/** Answer of POST /api/tokens: the only time the secret is shown. */
export const CreatedApiToken = ApiTokenView.extend({ token: z.string() });
