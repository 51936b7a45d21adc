import { fr } from "@codegouvfr/react-dsfr";
import Badge from "@codegouvfr/react-dsfr/Badge";
import {
  type Authority,
  authorities,
  authorityLabels,
  isPrivilegedRole,
  type Role,
  roleLabels,
  roles,
  type UserView,
} from "@vigie/contracts";
import { Controller, type FieldErrors, type UseFormReturn } from "react-hook-form";
import { z } from "zod";
import { fieldError, SelectField } from "../../app/forms.tsx";
import { type Region, regionLabel } from "../../app/regions.ts";
import { type ChosenStructure, StructureCombobox } from "../../app/StructureCombobox.tsx";

export type User = z.infer<typeof UserView>;

/** Role and scope of an account: a region for an ARS, a body for an authority, structures for a declarant. */
export const ScopeSchema = z.object({
  role: z.enum(roles),
  regionCode: z.string(),
  authority: z.string(),
  structures: z.array(
    z.object({ finessEt: z.string(), name: z.string(), town: z.string().nullable().optional() }),
  ),
});

/** The checks of a scope that depend on the role. */
export function refineScope(
  v: { role: Role; regionCode: string; authority: string; structures: ChosenStructure[] },
  ctx: z.RefinementCtx,
) {
  if (v.role === "ars" && !v.regionCode)
    ctx.addIssue({ code: "custom", path: ["regionCode"], message: "Choisissez la région de l'ARS." });
  if (v.role === "authority" && !v.authority)
    ctx.addIssue({ code: "custom", path: ["authority"], message: "Choisissez l'autorité." });
  if (v.role === "declarant" && v.structures.length === 0)
    ctx.addIssue({
      code: "custom",
      path: ["structures"],
      message: "Choisissez au moins une structure pour un déclarant.",
    });
}

/** The scope part of the request body, as the API expects it for the chosen role. */
export function scopeBody(v: {
  role: Role;
  regionCode: string;
  authority: string;
  structures: ChosenStructure[];
}) {
  return {
    role: v.role,
    regionCode: v.role === "ars" ? v.regionCode : null,
    authority: v.role === "authority" ? (v.authority as Authority) : null,
    ...(v.role === "declarant" ? { finess: v.structures.map((s) => s.finessEt) } : {}),
  };
}

/** Maps an API field to the form field that shows it. */
export function mapUserField(field: string, known: Record<string, unknown>): string | null {
  if (field.startsWith("finess")) return "structures";
  const head = field.split(".")[0] ?? field;
  return head in known ? head : null;
}

export const scopeFieldSpecs = {
  role: { id: "user-role", label: "Rôle" },
  regionCode: { id: "user-region", label: "Région" },
  authority: { id: "user-authority", label: "Autorité" },
  structures: { id: "user-structures", label: "Structures" },
};

interface ScopeValues {
  role: Role;
  regionCode: string;
  authority: string;
  structures: ChosenStructure[];
}

/** Role selector and the scope fields the chosen role needs. */
export function ScopeFields<T extends ScopeValues>(props: {
  form: UseFormReturn<T>;
  regions: Region[] | undefined;
  errors: FieldErrors;
}) {
  // The generic form is narrowed to the scope fields it is known to have.
  const form = props.form as unknown as UseFormReturn<ScopeValues>;
  const { regions, errors } = props;
  const role = form.watch("role");
  return (
    <>
      <SelectField
        id={scopeFieldSpecs.role.id}
        label={scopeFieldSpecs.role.label}
        hint="Détermine les autorisations et la politique de mot de passe (16 caractères et double authentification pour tous les rôles sauf déclarant)."
        error={fieldError(errors, "role")}
        selectProps={form.register("role")}
      >
        {roles.map((r) => (
          <option key={r} value={r}>
            {roleLabels[r]}
          </option>
        ))}
      </SelectField>
      {role === "ars" ? (
        <SelectField
          id={scopeFieldSpecs.regionCode.id}
          label={scopeFieldSpecs.regionCode.label}
          error={fieldError(errors, "regionCode")}
          selectProps={form.register("regionCode")}
        >
          <option value="">Choisir une région</option>
          {(regions ?? []).map((r) => (
            <option key={r.code} value={r.code}>
              {r.name}
            </option>
          ))}
        </SelectField>
      ) : null}
      {role === "authority" ? (
        <SelectField
          id={scopeFieldSpecs.authority.id}
          label={scopeFieldSpecs.authority.label}
          error={fieldError(errors, "authority")}
          selectProps={form.register("authority")}
        >
          <option value="">Choisir une autorité</option>
          {authorities.map((a) => (
            <option key={a} value={a}>
              {authorityLabels[a]}
            </option>
          ))}
        </SelectField>
      ) : null}
      {role === "declarant" ? (
        <Controller
          control={form.control}
          name="structures"
          render={({ field }) => (
            <StructureCombobox
              id={scopeFieldSpecs.structures.id}
              label="Structures du déclarant"
              error={fieldError(errors, "structures")}
              value={field.value}
              onChange={field.onChange}
            />
          )}
        />
      ) : null}
    </>
  );
}

/** The minimum password length of a role. */
export function minPasswordFor(role: Role): number {
  return isPrivilegedRole(role) ? 16 : 12;
}

/** "Île-de-France", "ANSSI", "2 structures"… */
export function scopeText(user: User, regions: Region[] | undefined): string {
  if (user.role === "ars") return regionLabel(regions, user.regionCode);
  if (user.role === "authority") return user.authority ? authorityLabels[user.authority] : "—";
  if (user.role === "declarant") {
    const n = user.structures.length;
    if (n === 0) return "Aucune structure";
    if (n === 1) return user.structures[0]?.name ?? "1 structure";
    return `${n} structures`;
  }
  return "Toutes les structures";
}

/** The account's state as text badges (never colour alone). */
export function UserStateBadges({ user }: { user: User }) {
  const locked = user.lockedUntil && new Date(user.lockedUntil) > new Date();
  return (
    <span
      className={fr.cx("fr-badges-group")}
      style={{ display: "inline-flex", flexWrap: "wrap", gap: "0.25rem" }}
    >
      {user.disabled ? (
        <Badge severity="error" small as="span">
          Désactivé
        </Badge>
      ) : (
        <Badge severity="success" small as="span">
          Actif
        </Badge>
      )}
      {locked ? (
        <Badge severity="warning" small as="span">
          Verrouillé
        </Badge>
      ) : null}
      {!user.emailVerified ? (
        <Badge severity="info" small as="span">
          Adresse non confirmée
        </Badge>
      ) : null}
    </span>
  );
}
