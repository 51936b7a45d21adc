import { AppError, type Authority, type Permission, type Role } from "@vigie/contracts";
import type { IncidentVisibility } from "@vigie/db";

/** Who is acting: a signed-in user, or an integration through an API token. */
export interface Actor {
  userId: string;
  email: string;
  role: Role;
  /** Region of an ARS account (INSEE code). */
  regionCode: string | null;
  /** National body of an authority account. */
  authority: Authority | null;
  /** Structures a declarant is an active member of. */
  structureIds: readonly string[];
  via: "session" | "token";
  /** Scopes of the API token, when `via` is "token". */
  scopes?: readonly Permission[];
}

/**
 * The authorisation rules, in one place. A route names one permission; the role grants it
 * (and, through an API token, the token's scopes must too). What rows an actor may see is
 * decided by `structureScope` below.
 */
export const rolePermissions: Record<Role, readonly Permission[]> = {
  declarant: [
    "structures:read",
    "tokens:manage",
    "declarations:create",
    "declarations:read",
    "declarations:message",
    "publications:read",
    "watch:read",
    "watch:manage",
  ],
  cert_analyst: [
    "structures:read",
    "structures:write",
    "tokens:manage",
    "declarations:create",
    "declarations:read",
    "declarations:message",
    "declarations:handle",
    "dashboards:read",
    "observatory:read",
    "publications:read",
    "publications:write",
    "watch:read",
    "watch:manage",
    "watch:handle",
  ],
  cert_lead: [
    "structures:read",
    "structures:write",
    "directory:import",
    "users:read",
    "audit:read",
    "tokens:manage",
    "declarations:create",
    "declarations:read",
    "declarations:message",
    "declarations:handle",
    "reflex_sheets:manage",
    "oncall:manage",
    "alert_rules:manage",
    "dashboards:read",
    "observatory:read",
    "observatory:manage",
    "publications:read",
    "publications:write",
    "publications:publish",
    "watch:read",
    "watch:manage",
    "watch:handle",
  ],
  ars: [
    "structures:read",
    "tokens:manage",
    "declarations:read",
    "dashboards:read",
    "observatory:read",
    "publications:read",
  ],
  authority: ["tokens:manage", "alerts:read", "observatory:read", "publications:read"],
  admin: [
    "structures:read",
    "structures:write",
    "directory:import",
    "users:read",
    "users:manage",
    "audit:read",
    "tokens:manage",
    "outbox:read",
  ],
};

/** True when the actor's role, and its token's scopes if any, grant the permission. */
export function hasPermission(actor: Actor, permission: Permission): boolean {
  if (!rolePermissions[actor.role].includes(permission)) return false;
  if (actor.via === "token") return actor.scopes?.includes(permission) ?? false;
  return true;
}

/** Throws UNAUTHENTICATED without an actor, FORBIDDEN without the permission. */
export function assertPermission(actor: Actor | null, permission: Permission): asserts actor is Actor {
  if (!actor) throw new AppError("UNAUTHENTICATED");
  if (!hasPermission(actor, permission)) throw new AppError("FORBIDDEN", { details: { permission } });
}

/** Which structures' records an actor may see. */
export type StructureScope =
  | { kind: "all" }
  | { kind: "region"; regionCode: string }
  | { kind: "structures"; structureIds: readonly string[] }
  | { kind: "none" };

/** The rows of structure-owned data an actor may read. */
export function structureScope(actor: Actor): StructureScope {
  switch (actor.role) {
    case "cert_analyst":
    case "cert_lead":
    case "admin":
      return { kind: "all" };
    case "ars":
      return actor.regionCode ? { kind: "region", regionCode: actor.regionCode } : { kind: "none" };
    case "declarant":
      return { kind: "structures", structureIds: actor.structureIds };
    case "authority":
      return { kind: "none" };
  }
}

/** True when a structure (by id and region) is within the actor's scope. */
export function canSeeStructure(actor: Actor, structure: { id: string; regionCode: string | null }): boolean {
  const scope = structureScope(actor);
  switch (scope.kind) {
    case "all":
      return true;
    case "region":
      return structure.regionCode === scope.regionCode;
    case "structures":
      return scope.structureIds.includes(structure.id);
    case "none":
      return false;
  }
}

/** Scopes a user of this role may put on an API token. */
export function grantableScopes(role: Role): readonly Permission[] {
  return rolePermissions[role].filter((p) => p !== "tokens:manage");
}

/**
 * Which declarations (incidents) an actor may read, with everything attached to them: none
 * without `declarations:read`; otherwise the structure scope, where a declarant also keeps the
 * declarations they submitted themselves (even before their link to the structure is validated,
 * or after they left it), and a region (the ARS) loses the TLP:RED and TLP:AMBER+STRICT ones.
 */
export function incidentScope(actor: Actor): IncidentVisibility {
  if (!hasPermission(actor, "declarations:read")) return { kind: "none" };
  const scope = structureScope(actor);
  if (scope.kind === "structures") {
    return { kind: "structures", structureIds: scope.structureIds, userId: actor.userId };
  }
  if (scope.kind === "region") {
    // An ARS keeps its region's declarations but never those the CERT holds back (decision 0009).
    return { kind: "region", regionCode: scope.regionCode, hiddenTlps: REGION_HIDDEN_TLPS };
  }
  return scope;
}

/** TLPs of the declarations a region's reader (the ARS) does not see: red and amber+strict. */
export const REGION_HIDDEN_TLPS: readonly string[] = ["red", "amber_strict"];
