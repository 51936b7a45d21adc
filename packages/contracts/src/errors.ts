/**
 * The one error catalogue. Codes are stable: the web app and API clients read codes,
 * never messages. Each code carries its HTTP status and a French message for users.
 */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, message: "Certaines informations sont invalides." },
  BAD_REQUEST: { status: 400, message: "Requête invalide." },
  UNAUTHENTICATED: { status: 401, message: "Vous devez vous connecter." },
  INVALID_CREDENTIALS: { status: 401, message: "Adresse électronique ou mot de passe incorrect." },
  MFA_REQUIRED: { status: 401, message: "Saisissez le code de votre application d'authentification." },
  MFA_ENROLMENT_REQUIRED: {
    status: 403,
    message: "Vous devez activer la double authentification avant de continuer.",
  },
  INVALID_TOTP: { status: 401, message: "Code d'authentification incorrect ou expiré." },
  ACCOUNT_LOCKED: {
    status: 423,
    message: "Compte temporairement verrouillé après plusieurs échecs de connexion. Réessayez plus tard.",
  },
  ACCOUNT_DISABLED: { status: 403, message: "Ce compte est désactivé." },
  EMAIL_NOT_VERIFIED: {
    status: 403,
    message: "Confirmez d'abord votre adresse électronique avec le lien reçu par courriel.",
  },
  CSRF_INVALID: { status: 403, message: "Jeton anti-falsification absent ou invalide. Rechargez la page." },
  FORBIDDEN: { status: 403, message: "Vous n'avez pas accès à cette ressource." },
  NOT_FOUND: { status: 404, message: "Élément introuvable." },
  CONFLICT: { status: 409, message: "Cet élément existe déjà." },
  IMPORT_REJECTED: {
    status: 422,
    message: "Fichier refusé : rien n'a été importé. Corrigez les lignes signalées puis relancez l'import.",
  },
  QUALIFICATION_REQUIRED: {
    status: 409,
    message: "Qualifiez le cas (origine, types, impacts, résumé) avant de le déclarer résolu.",
  },
  EMAIL_TAKEN: { status: 409, message: "Un compte existe déjà avec cette adresse électronique." },
  WEAK_PASSWORD: { status: 400, message: "Le mot de passe ne respecte pas la politique de sécurité." },
  TOKEN_INVALID: { status: 400, message: "Ce lien est invalide ou a expiré." },
  RATE_LIMITED: { status: 429, message: "Trop de tentatives. Patientez avant de réessayer." },
  OIDC_NOT_CONFIGURED: {
    status: 404,
    message: "La connexion par fournisseur d'identité n'est pas configurée.",
  },
  OIDC_FAILED: { status: 502, message: "La connexion par le fournisseur d'identité a échoué." },
  FILE_TOO_LARGE: { status: 413, message: "Fichier trop volumineux (20 Mo au maximum par fichier)." },
  FILE_TYPE_REFUSED: { status: 415, message: "Type de fichier refusé." },
  LEAK_LIST_TOO_LARGE: {
    status: 413,
    message: "Liste trop volumineuse (50 Mo et 2 000 000 de lignes au plus) : découpez le fichier.",
  },
  LEAK_LIST_EMPTY: {
    status: 422,
    message:
      "Aucune adresse de messagerie valide dans ce fichier : rien n'a été importé. Formats acceptés : une adresse par ligne (éventuellement « adresse:mot de passe »), CSV avec une colonne email, liste JSON.",
  },
  FILE_EMPTY: { status: 400, message: "Le fichier est vide." },
  ATTACHMENT_LIMIT_REACHED: {
    status: 409,
    message: "Limite de pièces jointes atteinte (10 fichiers et 50 Mo au total par déclaration).",
  },
  WATCH_TRANSITION_REFUSED: {
    status: 409,
    message: "Ce changement de statut n'est pas permis pour ce ticket de veille.",
  },
  WATCH_ACK_LINK_UNKNOWN: {
    status: 404,
    message: "Ce lien d'acquittement est inconnu. Vérifiez qu'il a été copié en entier depuis le courriel.",
  },
  WATCH_ACK_LINK_EXPIRED: {
    status: 410,
    message:
      "Ce lien d'acquittement a expiré. Connectez-vous à Vigie (rubrique Veille) pour prendre en compte les tickets.",
  },
  SERVICE_UNAVAILABLE: { status: 503, message: "Service momentanément indisponible." },
  INTERNAL: { status: 500, message: "Erreur interne. L'équipe technique a été prévenue." },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

/** A problem with one field, named by its path, explained in French. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** The JSON body of every API error. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; fields?: FieldIssue[]; details?: Record<string, unknown> };
}

/** The error every layer throws for a known failure; mapped to HTTP in one place. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly fields: FieldIssue[] | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    options: {
      message?: string;
      fields?: FieldIssue[];
      details?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(options.message ?? errorCatalogue[code].message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = errorCatalogue[code].status;
    this.fields = options.fields;
    this.details = options.details;
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.fields ? { fields: this.fields } : {}),
        ...(this.details ? { details: this.details } : {}),
      },
    };
  }
}
