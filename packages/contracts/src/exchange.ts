import { z } from "zod";
import { StructureTypeSchema } from "./roles.ts";
import {
  affectedSystem,
  authorityInvolved,
  channel,
  dataImpact,
  dataType,
  filing,
  maliciousType,
  nonMaliciousType,
  operationalImpact,
  origin,
  outOfScopeReason,
  patientEndangerment,
  siEffect,
  stateAtDeclaration,
  tlp,
} from "./taxonomy.ts";

// `shared/spec/exchange-format.md`: the record of `vigie.incident/1`, field by field. The rules
// between fields (types only with their origin, `none` alone, FINESS check digit, answer not
// before request) are checked in core (`exchange/validate-record.ts`), which reports every
// problem of a line with its field path.

export const EXCHANGE_FORMAT = "vigie.incident/1";

const dateTime = z.iso.datetime({ offset: true });

export const ExchangeStructureSchema = z.strictObject({
  finess_et: z.string(),
  name: z.string().optional(),
  type: StructureTypeSchema,
  region: z.string(),
  department: z.string().optional(),
  ose: z.boolean().default(false),
  oiv: z.boolean().default(false),
  ght_support: z.boolean().default(false),
  ght: z.string().optional(),
});

export const IncidentRecordSchema = z.strictObject({
  reference: z.string().min(1),
  declared_at: dateTime,
  detected_at: dateTime.nullish(),
  channel: channel.schema.default("portal"),
  structure: ExchangeStructureSchema,
  out_of_scope: z.boolean().default(false),
  out_of_scope_reason: outOfScopeReason.schema.nullish(),
  state_at_declaration: stateAtDeclaration.schema.default("unknown"),
  support_requested: z.boolean().default(false),
  origin: origin.schema.nullish(),
  malicious_types: z.array(maliciousType.schema).default([]),
  non_malicious_types: z.array(nonMaliciousType.schema).default([]),
  si_effect: siEffect.schema.nullish(),
  data_impacts: z.array(dataImpact.schema).default([]),
  data_types: z.array(dataType.schema).default([]),
  operational_impact: operationalImpact.schema.nullish(),
  degraded_mode_hours: z.number().min(0).nullish(),
  patient_endangerment: patientEndangerment.schema.nullish(),
  affected_systems: z.array(affectedSystem.schema).default([]),
  persons_affected: z.number().int().min(0).nullish(),
  filings: z.array(filing.schema).default([]),
  technical_support_provided: z.boolean().default(false),
  authorities_involved: z.array(authorityInvolved.schema).default([]),
  complement_requested_at: dateTime.nullish(),
  complement_answered_at: dateTime.nullish(),
  event_ref: z.string().nullish(),
  tlp: tlp.schema.default("amber"),
  title: z.string().optional(),
  description: z.string().optional(),
});
/** A record as written in a file (defaults not applied). */
export type IncidentRecordInput = z.input<typeof IncidentRecordSchema>;
/** A parsed record: defaults applied. */
export type IncidentRecord = z.output<typeof IncidentRecordSchema>;

/** One problem of an import, named by its line (1-based, as an editor shows it) and field path. */
export const ImportProblemSchema = z.object({
  line: z.number().int(),
  path: z.string(),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof ImportProblemSchema>;

/** What an import did (nothing when it was rejected: `problems` then lists why). */
export const IncidentImportReportSchema = z.object({
  format: z.literal(EXCHANGE_FORMAT),
  records: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  problems: z.array(ImportProblemSchema),
  /** True when more problems exist than `problems` lists. */
  truncated: z.boolean(),
});
export type IncidentImportReport = z.infer<typeof IncidentImportReportSchema>;

/** `POST /api/incidents/import`: the file's variant (from its content type by default), and whether to update. */
export const IncidentImportQuerySchema = z.object({
  format: z.enum(["jsonl", "csv"], { error: "Format attendu : jsonl ou csv." }).optional(),
  update: z
    .enum(["true", "false"], { error: "update attend true ou false." })
    .default("false")
    .transform((value) => value === "true"),
});
export type IncidentImportQuery = z.infer<typeof IncidentImportQuerySchema>;

/** `GET /api/incidents/export`: a year (Paris local time of `declared_at`) and optionally a region. */
export const IncidentExportQuerySchema = z.object({
  year: z.coerce
    .number({ error: "L'année doit être un nombre." })
    .int("L'année doit être un nombre entier.")
    .min(2000, "L'année doit être comprise entre 2000 et 2100.")
    .max(2100, "L'année doit être comprise entre 2000 et 2100."),
  region: z
    .string()
    .regex(/^\d{2}$/, { error: "Code région INSEE attendu (2 chiffres, par exemple 76)." })
    .optional(),
});
export type IncidentExportQuery = z.infer<typeof IncidentExportQuerySchema>;
