import {
  type affectedSystem,
  type channel,
  DeclarationInput,
  type dataImpact,
  type dataType,
  type filing,
  type maliciousType,
  type nonMaliciousType,
  type operationalImpact,
  type origin,
  type patientEndangerment,
  type stateAtDeclaration,
  type tlp,
} from "@vigie/contracts";
import type { FieldErrors, Resolver } from "react-hook-form";
import type { z } from "zod";
import type { ChosenStructure } from "../../app/StructureCombobox.tsx";

type Code<T extends { values: readonly string[] }> = T["values"][number];

/**
 * What the form holds: the declaration as typed (dates as `datetime-local` strings, numbers and
 * yes/no answers as strings, structures with their names). `toInput` turns it into the contract's
 * `DeclarationInput`, which validates it: the browser and the server apply the same schema.
 */
export interface DeclarationFormValues {
  /** How the CERT received it: chosen only by an analyst recording a call or an e-mail. */
  channel: "" | Exclude<Code<typeof channel>, "portal">;
  structures: ChosenStructure[];
  declarant: { fullName: string; jobTitle: string; email: string; phone: string; otherContact: string };
  title: string;
  description: string;
  detectedAt: string;
  startedAt: string;
  proposedOrigin: "" | Code<typeof origin>;
  proposedMaliciousTypes: Code<typeof maliciousType>[];
  proposedNonMaliciousTypes: Code<typeof nonMaliciousType>[];
  affectedSystems: Code<typeof affectedSystem>[];
  operationalImpact: "" | Code<typeof operationalImpact>;
  degradedSince: string;
  degradedModeHours: string;
  patientEndangerment: "" | Code<typeof patientEndangerment>;
  patientEndangermentDetails: string;
  dataImpacts: Code<typeof dataImpact>[];
  dataTypes: Code<typeof dataType>[];
  personsAffected: string;
  otherStructuresAffected: string;
  stateAtDeclaration: "" | Code<typeof stateAtDeclaration>;
  measuresTaken: string;
  supportRequested: "" | "yes" | "no";
  filings: Code<typeof filing>[];
  providerName: string;
  tlp: Code<typeof tlp>;
}

export type DeclarationData = z.output<typeof DeclarationInput>;

/** "2025-11-28T08:15" for a datetime-local input, in the browser's time zone. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A fresh, empty declaration; detection defaults to now. */
export function emptyValues(now: Date = new Date()): DeclarationFormValues {
  return {
    channel: "",
    structures: [],
    declarant: { fullName: "", jobTitle: "", email: "", phone: "", otherContact: "" },
    title: "",
    description: "",
    detectedAt: toLocalInput(now),
    startedAt: "",
    proposedOrigin: "",
    proposedMaliciousTypes: [],
    proposedNonMaliciousTypes: [],
    affectedSystems: [],
    operationalImpact: "",
    degradedSince: "",
    degradedModeHours: "",
    patientEndangerment: "",
    patientEndangermentDetails: "",
    dataImpacts: [],
    dataTypes: [],
    personsAffected: "",
    otherStructuresAffected: "",
    stateAtDeclaration: "",
    measuresTaken: "",
    supportRequested: "",
    filings: [],
    providerName: "",
    tlp: "amber",
  };
}

/** Fills the gaps of a stored draft (older versions, partial data) with empty values. */
export function withDefaults(stored: unknown): DeclarationFormValues {
  const base = emptyValues();
  if (!stored || typeof stored !== "object") return base;
  const values = stored as Partial<DeclarationFormValues>;
  return {
    ...base,
    ...values,
    declarant: { ...base.declarant, ...(values.declarant ?? {}) },
    structures: Array.isArray(values.structures) ? values.structures : [],
  };
}

function localToIso(value: string): string | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

function toNumber(value: string): number | string | null {
  const trimmed = value.trim().replace(/\s/g, "").replace(",", ".");
  if (!trimmed) return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : value;
}

/** True when the declared data impacts say data were hit (so the kinds of data apply). */
export function dataHit(values: Pick<DeclarationFormValues, "dataImpacts">): boolean {
  return values.dataImpacts.length > 0 && !values.dataImpacts.includes("none");
}

/**
 * The declaration as the API takes it. Answers that a later choice made irrelevant (types of
 * another origin, data kinds when no data were hit, degraded mode without impact…) are left out,
 * so changing one's mind never blocks the submission.
 */
export function toInput(values: DeclarationFormValues, idempotencyKey: string): DeclarationInput {
  const origin = values.proposedOrigin || null;
  const degraded = values.operationalImpact !== "" && values.operationalImpact !== "none";
  return {
    idempotencyKey,
    ...(values.channel ? { channel: values.channel } : {}),
    finess: values.structures.map((s) => s.finessEt),
    declarant: {
      fullName: values.declarant.fullName,
      jobTitle: values.declarant.jobTitle || undefined,
      email: values.declarant.email.trim(),
      phone: values.declarant.phone,
      otherContact: values.declarant.otherContact || undefined,
    },
    title: values.title,
    description: values.description,
    detectedAt: localToIso(values.detectedAt) ?? "",
    startedAt: localToIso(values.startedAt),
    proposedOrigin: origin,
    proposedMaliciousTypes:
      origin === "malicious" || origin === "undetermined" ? values.proposedMaliciousTypes : [],
    proposedNonMaliciousTypes: origin === "non_malicious" ? values.proposedNonMaliciousTypes : [],
    affectedSystems: values.affectedSystems,
    // An empty choice fails the enum: the resolver words it as a missing answer.
    operationalImpact: (values.operationalImpact || undefined) as DeclarationInput["operationalImpact"],
    degradedSince: degraded ? localToIso(values.degradedSince) : null,
    degradedModeHours: degraded ? (toNumber(values.degradedModeHours) as number | null) : null,
    patientEndangerment: values.patientEndangerment || null,
    patientEndangermentDetails: values.patientEndangermentDetails || undefined,
    dataImpacts: values.dataImpacts,
    dataTypes: dataHit(values) ? values.dataTypes : [],
    personsAffected: dataHit(values) ? (toNumber(values.personsAffected) as number | null) : null,
    otherStructuresAffected: values.otherStructuresAffected || undefined,
    stateAtDeclaration: (values.stateAtDeclaration || undefined) as DeclarationInput["stateAtDeclaration"],
    measuresTaken: values.measuresTaken || undefined,
    supportRequested: (values.supportRequested === ""
      ? undefined
      : values.supportRequested === "yes") as boolean,
    filings: values.filings,
    providerName: values.filings.includes("provider_engaged") ? values.providerName || undefined : undefined,
    tlp: values.tlp,
  };
}

/** Where an issue of the contract (`finess.0`, `declarant.phone`) shows in the form. */
export function formFieldOf(path: string): string {
  if (path === "finess" || path.startsWith("finess.")) return "structures";
  if (path.startsWith("declarant.")) return path.split(".").slice(0, 2).join(".");
  return path.split(".")[0] ?? path;
}

/** Messages for a required answer left empty (the contract's are worded for wrong values). */
const missing: Record<string, string> = {
  "declarant.fullName": "Indiquez votre nom.",
  "declarant.email": "Indiquez votre adresse électronique.",
  "declarant.phone": "Indiquez un numéro pour être rappelé.",
  title: "Donnez un titre court.",
  description: "Décrivez en quelques mots ce qui s'est passé.",
  detectedAt: "Indiquez la date et l'heure de constatation.",
  operationalImpact: "Indiquez l'effet sur le fonctionnement de la structure.",
  stateAtDeclaration: "Indiquez où en est le traitement de l'incident.",
  supportRequested: "Indiquez si vous souhaitez être accompagné par le CERT.",
};

/** Messages for a number or a date that could not be read. */
const unreadable: Record<string, string> = {
  degradedModeHours: "Indiquez une durée en heures, par exemple 12.",
  personsAffected: "Indiquez un nombre entier, par exemple 1500.",
  detectedAt: "Date et heure invalides.",
  startedAt: "Date et heure invalides.",
  degradedSince: "Date et heure invalides.",
};

function valueAt(values: DeclarationFormValues, name: string): unknown {
  let current: unknown = values;
  for (const key of name.split(".")) current = (current as Record<string, unknown> | undefined)?.[key];
  return current;
}

/**
 * Validates the whole form against the contract; issues land on the form's fields. Recorded by
 * an analyst, the channel is required too (the server checks it on that route).
 */
export function validate(values: DeclarationFormValues, recorded = false): Record<string, string> {
  const result = DeclarationInput.safeParse(toInput(values, crypto.randomUUID()));
  const errors: Record<string, string> = {};
  if (recorded && !values.channel) errors.channel = "Indiquez par quel canal la déclaration a été reçue.";
  if (result.success) return errors;
  for (const issue of result.error.issues) {
    const name = formFieldOf(issue.path.map(String).join("."));
    if (errors[name]) continue;
    const raw = valueAt(values, name);
    const empty = raw === "" || raw === undefined || (Array.isArray(raw) && raw.length === 0);
    errors[name] =
      empty && missing[name]
        ? missing[name]
        : issue.code === "invalid_type" && unreadable[name]
          ? unreadable[name]
          : issue.message;
  }
  return errors;
}

/** react-hook-form resolver running the contract's schema (`recorded`: an analyst's entry). */
export const declarationResolver =
  (recorded = false): Resolver<DeclarationFormValues> =>
  async (values) => {
    const flat = validate(values, recorded);
    if (Object.keys(flat).length === 0) return { values, errors: {} };
    const errors: Record<string, unknown> = {};
    for (const [name, message] of Object.entries(flat)) {
      const error = { type: "validate", message };
      const [head, tail] = name.split(".");
      if (tail && head) {
        errors[head] = { ...((errors[head] as object | undefined) ?? {}), [tail]: error };
      } else errors[name] = error;
    }
    return { values: {}, errors: errors as FieldErrors<DeclarationFormValues> };
  };

/** The steps of the form (spec/declaration-form.md), with the fields each one holds. */
export const steps = [
  {
    title: "Structure et déclarant",
    fields: [
      "channel",
      "structures",
      "declarant.fullName",
      "declarant.jobTitle",
      "declarant.email",
      "declarant.phone",
      "declarant.otherContact",
    ],
  },
  {
    title: "Ce qui s'est passé",
    fields: [
      "title",
      "description",
      "detectedAt",
      "startedAt",
      "proposedOrigin",
      "proposedMaliciousTypes",
      "proposedNonMaliciousTypes",
      "affectedSystems",
    ],
  },
  {
    title: "Conséquences",
    fields: [
      "operationalImpact",
      "degradedSince",
      "degradedModeHours",
      "patientEndangerment",
      "patientEndangermentDetails",
      "dataImpacts",
      "dataTypes",
      "personsAffected",
      "otherStructuresAffected",
    ],
  },
  {
    title: "Traitement et besoin d'aide",
    fields: ["stateAtDeclaration", "measuresTaken", "supportRequested", "filings", "providerName"],
  },
  { title: "Pièces jointes et envoi", fields: ["tlp"] },
] as const;

/** The step (0-based) a field belongs to. */
export function stepOf(name: string): number {
  const index = steps.findIndex((step) => (step.fields as readonly string[]).includes(name));
  return index < 0 ? steps.length - 1 : index;
}

/**
 * Ids and labels of the fields, for the error summary. A group of radios or checkboxes is
 * reached through its first input (`<fieldset id>-0`).
 */
export const fieldSpecs = {
  channel: { id: "decl-channel-0", label: "Canal de réception" },
  structures: { id: "decl-structures", label: "Structure concernée" },
  "declarant.fullName": { id: "decl-fullname", label: "Nom et prénom" },
  "declarant.jobTitle": { id: "decl-jobtitle", label: "Fonction" },
  "declarant.email": { id: "decl-email", label: "Adresse électronique" },
  "declarant.phone": { id: "decl-phone", label: "Téléphone pour être rappelé" },
  "declarant.otherContact": { id: "decl-other-contact", label: "Autre contact" },
  title: { id: "decl-title", label: "Titre court" },
  description: { id: "decl-description", label: "Description" },
  detectedAt: { id: "decl-detected-at", label: "Date et heure de constatation" },
  startedAt: { id: "decl-started-at", label: "Date de début" },
  proposedOrigin: { id: "decl-origin-0", label: "Origine" },
  proposedMaliciousTypes: { id: "decl-malicious-0", label: "Types d'incident malveillant" },
  proposedNonMaliciousTypes: { id: "decl-non-malicious-0", label: "Types d'incident non malveillant" },
  affectedSystems: { id: "decl-systems-0", label: "Systèmes touchés" },
  operationalImpact: { id: "decl-impact-0", label: "Fonctionnement de la structure" },
  degradedSince: { id: "decl-degraded-since", label: "Mode dégradé depuis" },
  degradedModeHours: { id: "decl-degraded-hours", label: "Durée estimée" },
  patientEndangerment: { id: "decl-patients-0", label: "Mise en danger de patients" },
  patientEndangermentDetails: { id: "decl-patients-details", label: "Précisions sur les patients" },
  dataImpacts: { id: "decl-data-impacts-0", label: "Impact sur les données" },
  dataTypes: { id: "decl-data-types-0", label: "Types de données" },
  personsAffected: { id: "decl-persons", label: "Nombre de personnes concernées" },
  otherStructuresAffected: { id: "decl-other-structures", label: "Autres structures touchées" },
  stateAtDeclaration: { id: "decl-state-0", label: "État actuel" },
  measuresTaken: { id: "decl-measures", label: "Mesures déjà prises" },
  supportRequested: { id: "decl-support-0", label: "Accompagnement par le CERT" },
  filings: { id: "decl-filings-0", label: "Démarches effectuées" },
  providerName: { id: "decl-provider", label: "Nom du prestataire" },
  tlp: { id: "decl-tlp-0", label: "Diffusion (TLP)" },
} satisfies Record<string, { id: string; label: string }>;

/** The same, by any name (`undefined` for a name the form does not show). */
export const specOf = (name: string): { id: string; label: string } | undefined =>
  (fieldSpecs as Record<string, { id: string; label: string }>)[name];

/** The id of a radio or checkbox group (its inputs are `<id>-0`, `<id>-1`…). */
export function groupId(name: string): string {
  return (specOf(name)?.id ?? name).replace(/-0$/, "");
}
