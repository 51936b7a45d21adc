import { z } from "zod";
import { StructureTypeSchema } from "./roles.ts";

/** GET /api/structures/search?q= — the declaration form's autocomplete. */
export const StructureSearchQuery = z.object({
  q: z.string().trim().min(2, { error: "Saisissez au moins 2 caractères." }).max(100),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
/** One autocomplete hit: public directory fields only. */
export const StructureHit = z.object({
  id: z.uuid(),
  finessEt: z.string(),
  name: z.string(),
  town: z.string().nullable(),
  departmentCode: z.string().nullable(),
  structureType: StructureTypeSchema,
});

/** GET /api/structures — the directory list, within the actor's scope. */
export const StructureListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  region: z
    .string()
    .regex(/^\d{2}$/)
    .optional(),
  type: StructureTypeSchema.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

/** A structure's full record. */
export const StructureView = z.object({
  id: z.uuid(),
  finessEt: z.string(),
  finessEj: z.string().nullable(),
  name: z.string(),
  longName: z.string().nullable(),
  structureType: StructureTypeSchema,
  legalStatus: z.string().nullable(),
  category: z.string().nullable(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  departmentCode: z.string().nullable(),
  town: z.string().nullable(),
  postalCode: z.string().nullable(),
  phone: z.string().nullable(),
  siret: z.string().nullable(),
  ghtCode: z.string().nullable(),
  ghtSupport: z.boolean(),
  ose: z.boolean(),
  oiv: z.boolean(),
  contactEmails: z.array(z.string()),
  mailDomains: z.array(z.string()),
  updatedAt: z.string(),
});
export const StructurePage = z.object({
  items: z.array(StructureView),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** PATCH /api/structures/:id — what the CERT may correct or complete. */
export const UpdateStructureRequest = z.object({
  ghtCode: z
    .string()
    .regex(/^[A-Z]{2,4}-\d{2}$/, { error: "Code GHT attendu au format ARA-01." })
    .nullable()
    .optional(),
  ghtSupport: z.boolean().optional(),
  ose: z.boolean().optional(),
  oiv: z.boolean().optional(),
  structureType: StructureTypeSchema.optional(),
  contactEmails: z
    .array(z.email({ error: "Adresse électronique invalide." }))
    .max(20)
    .optional(),
  mailDomains: z
    .array(
      z
        .string()
        .regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/i, { error: "Nom de domaine invalide." }),
    )
    .max(50)
    .optional(),
});

/** A region and its ARS. */
export const RegionView = z.object({
  code: z.string(),
  name: z.string(),
  iso: z.string(),
  arsName: z.string(),
  metropolitan: z.boolean(),
});

/** The outcome of a directory import. */
export const ImportReport = z.object({
  read: z.number().int(),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.array(z.object({ line: z.number().int(), finess: z.string().nullable(), reason: z.string() })),
});
