import { AppError } from "@vigie/contracts";
import { type Executor, mailSecurityRepo, type StructureMailScope } from "@vigie/db";
import { parisToday } from "../exposure-audits/perimeter.ts";

export function normaliseMailDomain(domain: string): string {
  return domain.trim().toLowerCase().replace(/\.$/, "");
}

/** True when `name` is one of the domains or below one. */
export function isWithinDomains(name: string, domains: readonly string[]): boolean {
  const n = normaliseMailDomain(name);
  return domains.some((d) => n === d || n.endsWith(`.${d}`));
}

/**
 * The structure's domains, designated mailbox and the networks of the CERT's authorisation in
 * force on `now` (never the perimeter the structure drafts without review).
 */
export function mailScopeOf(db: Executor, structureId: string, now: Date): Promise<StructureMailScope> {
  return mailSecurityRepo.findStructureMailScope(db, structureId, parisToday(now));
}

/** The tested domain must be a domain of the structure (perimeter, mail domains, domain assets). */
export function assertStructureDomain(scope: StructureMailScope, domain: string): string {
  const name = normaliseMailDomain(domain);
  if (!/^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/.test(name)) {
    const message = "Nom de domaine invalide.";
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "domain", message }] });
  }
  if (!isWithinDomains(name, scope.domains)) {
    const message =
      "Ce domaine n'appartient pas à la structure : déclarez-le dans son périmètre d'audit ou dans ses actifs exposés.";
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "domain", message }] });
  }
  return name;
}

/** The mailbox must be on a domain of the structure, or be the one its perimeter designates. */
export function assertStructureMailbox(scope: StructureMailScope, mailbox: string): string {
  const address = mailbox.trim().toLowerCase();
  const domain = address.split("@")[1] ?? "";
  if (scope.filteringMailbox && scope.filteringMailbox.trim().toLowerCase() === address) return address;
  if (domain && isWithinDomains(domain, scope.domains)) return address;
  const message =
    "Cette boîte n'est pas sur un domaine de la structure ni désignée dans son périmètre d'audit : choisissez une boîte de la structure.";
  throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "mailbox", message }] });
}
