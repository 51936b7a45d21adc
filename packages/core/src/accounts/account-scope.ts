import { AppError, type Authority, type FieldIssue, type Role } from "@vigie/contracts";
import { type Executor, regionsRepo, structuresRepo } from "@vigie/db";
import { finessProblem, normaliseFiness } from "../directory/finess.ts";

/** The scope an account of a role must carry: a region (ARS), a national body, structures. */
export interface DesiredScope {
  role: Role;
  regionCode: string | null;
  authority: Authority | null;
  /** FINESS ET numbers of a declarant's structures. */
  finess: readonly string[];
  /** Whether a declarant must have at least one structure (default true). */
  requireStructure?: boolean;
}

/** A checked scope, its structures resolved to ids. */
export interface ResolvedScope {
  regionCode: string | null;
  authority: Authority | null;
  structureIds: string[];
  finess: string[];
}

/**
 * Checks that the scope fits the role (ARS → an existing region, authority → a national body,
 * declarant → at least one known structure; nothing else for the other roles) and resolves
 * FINESS numbers. Throws VALIDATION_FAILED naming each wrong field, e.g. `finess[1]`.
 */
export async function resolveAccountScope(db: Executor, scope: DesiredScope): Promise<ResolvedScope> {
  const issues: FieldIssue[] = [];

  if (scope.role === "ars") {
    if (!scope.regionCode) {
      issues.push({ field: "regionCode", message: "Une région est requise pour un compte d'ARS." });
    } else if (!(await regionsRepo.findRegion(db, scope.regionCode))) {
      issues.push({ field: "regionCode", message: `Région inconnue : ${scope.regionCode}.` });
    }
  } else if (scope.regionCode) {
    issues.push({ field: "regionCode", message: "Seuls les comptes d'ARS sont rattachés à une région." });
  }

  if (scope.role === "authority") {
    if (!scope.authority) {
      issues.push({
        field: "authority",
        message: "Une autorité est requise pour un compte d'autorité nationale.",
      });
    }
  } else if (scope.authority) {
    issues.push({ field: "authority", message: "Seuls les comptes d'autorité nationale ont une autorité." });
  }

  const structureIds: string[] = [];
  const finessList: string[] = [];
  if (scope.role === "declarant") {
    if (scope.finess.length === 0 && scope.requireStructure !== false) {
      issues.push({
        field: "finess",
        message: "Un déclarant doit être rattaché à au moins une structure (numéro FINESS).",
      });
    }
    for (const [index, raw] of scope.finess.entries()) {
      const field = `finess[${index}]`;
      const problem = finessProblem(raw);
      if (problem) {
        issues.push({ field, message: problem });
        continue;
      }
      const finess = normaliseFiness(raw);
      const structure = await structuresRepo.findStructureByFiness(db, finess);
      if (!structure) {
        issues.push({ field, message: `Aucune structure n'a le numéro FINESS ${finess} dans l'annuaire.` });
        continue;
      }
      if (!structureIds.includes(structure.id)) {
        structureIds.push(structure.id);
        finessList.push(finess);
      }
    }
  } else if (scope.finess.length > 0) {
    issues.push({ field: "finess", message: "Seuls les déclarants sont rattachés à des structures." });
  }

  if (issues.length > 0) throw new AppError("VALIDATION_FAILED", { fields: issues });
  return {
    regionCode: scope.role === "ars" ? scope.regionCode : null,
    authority: scope.role === "authority" ? scope.authority : null,
    structureIds,
    finess: finessList,
  };
}
