import { z } from "zod";

export const roles = ["declarant", "cert_analyst", "cert_lead", "ars", "authority", "admin"] as const;
export const RoleSchema = z.enum(roles);
export type Role = z.infer<typeof RoleSchema>;

export const roleLabels: Record<Role, string> = {
  declarant: "Déclarant",
  cert_analyst: "Analyste CERT",
  cert_lead: "Responsable CERT",
  ars: "Agence régionale de santé",
  authority: "Autorité nationale",
  admin: "Administrateur",
};

export const authorities = ["anssi", "fssi", "dgs_corruss", "health_agency"] as const;
export const AuthoritySchema = z.enum(authorities);
export type Authority = z.infer<typeof AuthoritySchema>;

export const authorityLabels: Record<Authority, string> = {
  anssi: "ANSSI",
  fssi: "FSSI des ministères sociaux",
  dgs_corruss: "DGS / CORRUSS",
  health_agency: "Agence sanitaire",
};

/** Roles whose accounts need a long password (≥ 16) and mandatory TOTP. */
export function isPrivilegedRole(role: Role): boolean {
  return role !== "declarant";
}

export const structureTypes = [
  "es_public",
  "es_private_nonprofit",
  "es_private_forprofit",
  "army_hospital",
  "esms",
  "lbm",
  "radiotherapy",
  "grades",
  "other",
] as const;
export const StructureTypeSchema = z.enum(structureTypes);
export type StructureType = z.infer<typeof StructureTypeSchema>;

export const structureTypeLabels: Record<StructureType, string> = {
  es_public: "Établissement de santé public (CH, CHU/CHR, CHS)",
  es_private_nonprofit: "Établissement de santé privé d'intérêt collectif / à but non lucratif (ESPIC, CLCC)",
  es_private_forprofit: "Établissement de santé privé à but lucratif (clinique)",
  army_hospital: "Hôpital des armées",
  esms: "Établissement ou service médico-social (EHPAD, IME, SSIAD…)",
  lbm: "Laboratoire de biologie médicale",
  radiotherapy: "Centre de radiothérapie",
  grades: "GRADeS (groupement régional d'appui à la e-santé)",
  other: "Autre structure",
};
