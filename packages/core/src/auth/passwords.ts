import { hash, verify } from "@node-rs/argon2";
import { type FieldIssue, isPrivilegedRole, type Role } from "@vigie/contracts";
import { dictionary } from "@zxcvbn-ts/language-common";

// argon2id (the library's default algorithm), at OWASP's recommended cost.
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Minimum lengths of the ANSSI recommendation the CERT applies. */
export const MIN_PASSWORD_LENGTH = { declarant: 12, privileged: 16 } as const;

/** Minimum password length for a role: 12 for declarants, 16 for CERT, authority and admin accounts. */
export function minPasswordLength(role: Role): number {
  return isPrivilegedRole(role) ? MIN_PASSWORD_LENGTH.privileged : MIN_PASSWORD_LENGTH.declarant;
}

const commonPasswords = new Set<string>([
  ...(dictionary["passwords-common"] as string[]),
  // French favourites the English-speaking list misses.
  "motdepasse",
  "azertyuiop",
  "azertyuiopqsdfghjklm",
  "soleil",
  "bonjour",
  "doudou",
  "chouchou",
  "marseille",
  "hopital",
  "hôpital",
  "santé",
  "sante",
  "cliniques",
  "vigie",
  "certsante",
]);

/** Strips the decorations people add to a common word to pass a length rule. */
function core(password: string): string {
  return password
    .toLowerCase()
    .replace(/^[\d\W_]+|[\d\W_]+$/g, "")
    .replace(/(.+?)\1+$/, "$1");
}

/**
 * Checks a new password against the policy; returns the problems found (empty when fine),
 * each in French and naming the `password` field.
 */
export function checkPasswordPolicy(
  password: string,
  role: Role,
  context: { email?: string } = {},
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const min = minPasswordLength(role);
  if (password.length < min) {
    issues.push({ field: "password", message: `Le mot de passe doit contenir au moins ${min} caractères.` });
  }
  if (password.length > 256) {
    issues.push({ field: "password", message: "Le mot de passe ne doit pas dépasser 256 caractères." });
  }
  const lower = password.toLowerCase();
  const stripped = core(password);
  const localPart = context.email?.split("@")[0]?.toLowerCase();
  if (
    commonPasswords.has(lower) ||
    (stripped.length > 0 && commonPasswords.has(stripped)) ||
    new Set(lower).size <= 3 ||
    (localPart && localPart.length >= 4 && lower.includes(localPart))
  ) {
    issues.push({
      field: "password",
      message:
        "Ce mot de passe est trop courant ou trop facile à deviner. Choisissez une phrase de passe personnelle.",
    });
  }
  return issues;
}

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** Checks a password against its stored hash; false on any malformed hash. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}
