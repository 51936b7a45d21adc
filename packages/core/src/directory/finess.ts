/** A FINESS number: 9 characters, digits except `2A`/`2B` (Corsica) at the start. */
const FINESS_SHAPE = /^(\d{2}|2A|2B)\d{7}$/;

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Upper-cases and removes spaces so `2a 000 123 4` and `2A0001234` compare equal. */
export function normaliseFiness(value: string): string {
  return value.replace(/[\s.-]/g, "").toUpperCase();
}

/** True when the value is a well-formed FINESS number whose Luhn check over all nine characters holds. */
export function isValidFiness(value: string): boolean {
  const finess = normaliseFiness(value);
  if (!FINESS_SHAPE.test(finess)) return false;
  return luhnValid(finess.replace("2A", "21").replace("2B", "22"));
}

/** Why a FINESS number is refused, in French, or null when it is valid. */
export function finessProblem(value: string): string | null {
  const finess = normaliseFiness(value);
  if (finess.length !== 9) return "Le numéro FINESS doit comporter 9 caractères.";
  if (!FINESS_SHAPE.test(finess)) {
    return "Le numéro FINESS ne doit contenir que des chiffres (2A ou 2B en tête pour la Corse).";
  }
  if (!isValidFiness(finess)) return "Le numéro FINESS est invalide (clé de contrôle incorrecte).";
  return null;
}

/** Completes 8 leading characters with their check digit (used to make test and demo data). */
export function withFinessCheckDigit(first8: string): string {
  const prefix = normaliseFiness(first8);
  for (let d = 0; d <= 9; d++) {
    if (isValidFiness(`${prefix}${d}`)) return `${prefix}${d}`;
  }
  throw new Error(`Aucune clé possible pour ${first8}`);
}
