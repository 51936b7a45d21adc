import {
  type ActivityReference,
  type ActivityReferenceInput,
  ActivityReferenceInputSchema,
  AppError,
  type FieldIssue,
  metropolitanRegionCodes,
} from "@vigie/contracts";
import { type ActivityReferenceRow, type Database, type Executor, observatoryRepo } from "@vigie/db";
import type { Transaction } from "kysely";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";

/**
 * The shares of a reference are fractions of national activity, each rounded by its source: their
 * sum may exceed 1 by this much (13 shares rounded to 0.1 % are off by 0.65 % at worst).
 */
export const ACTIVITY_SHARES_TOLERANCE = 0.01;

const percent = (value: number) => `${(value * 100).toLocaleString("fr-FR", { maximumFractionDigits: 2 })} %`;

/**
 * Checks a reference beyond its shape: at least one share, only the 13 metropolitan regions
 * (the index covers those), a sum of at most 100 % (with the rounding tolerance). Every problem
 * is named by its field (`shares` or `shares.<code>`).
 */
export function activityReferenceProblems(input: ActivityReferenceInput): FieldIssue[] {
  const problems: FieldIssue[] = [];
  const entries = Object.entries(input.shares);
  if (entries.length === 0) {
    problems.push({ field: "shares", message: "Indiquez au moins la part d'activité d'une région." });
  }
  const metropolitan: readonly string[] = metropolitanRegionCodes;
  for (const [code] of entries) {
    if (!metropolitan.includes(code)) {
      problems.push({
        field: `shares.${code}`,
        message:
          `« ${code} » n'est pas le code d'une région métropolitaine : l'indice d'activité couvre les ` +
          `13 régions de métropole (${metropolitan.join(", ")}).`,
      });
    }
  }
  const sum = entries.reduce((total, [, share]) => total + share, 0);
  if (sum > 1 + ACTIVITY_SHARES_TOLERANCE) {
    problems.push({
      field: "shares",
      message: `La somme des parts d'activité (${percent(sum)}) dépasse 100 % : les parts sont des fractions de l'activité nationale.`,
    });
  }
  return problems;
}

/** Parses and checks a reference given as plain values (the command line); French errors. */
export function parseActivityReference(value: unknown): ActivityReferenceInput {
  const parsed = ActivityReferenceInputSchema.safeParse(value);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({
      field: issue.path.map(String).join(".") || "référence",
      message: issue.message,
    }));
    throw new AppError("VALIDATION_FAILED", {
      message: "Référence d'activité régionale invalide.",
      fields,
    });
  }
  return parsed.data;
}

function toView(row: ActivityReferenceRow): ActivityReference {
  return {
    referenceYear: row.reference_year,
    source: row.source,
    loadedAt: row.loaded_at.toISOString(),
    loadedBy: row.loaded_by_name,
    shares: row.shares,
  };
}

/**
 * Loads the regional activity reference of a year (decision 0010), replacing the one already
 * loaded for that year, with its audit entry, in one transaction. A user needs
 * `observatory:manage`; `"command-line"` is an operator with access to the server.
 */
export async function loadActivityReference(
  db: Executor,
  by: Actor | null | "command-line",
  input: ActivityReferenceInput,
  options: { now?: Date; ip?: string | null } = {},
): Promise<ActivityReference> {
  const actor = by === "command-line" ? null : by;
  if (by !== "command-line") assertPermission(by, "observatory:manage");
  const reference = parseActivityReference(input);
  const problems = activityReferenceProblems(reference);
  if (problems.length > 0) {
    throw new AppError("VALIDATION_FAILED", {
      message: problems.map((p) => p.message).join(" "),
      fields: problems,
    });
  }
  const now = options.now ?? new Date();
  const run = async (trx: Transaction<Database>): Promise<ActivityReference> => {
    const id = await observatoryRepo.replaceActivityReference(trx, {
      referenceYear: reference.referenceYear,
      source: reference.source,
      loadedAt: now,
      loadedByUserId: actor?.userId ?? null,
      shares: reference.shares,
    });
    await recordAudit(
      trx,
      {
        actor,
        actorLabel: "ligne de commande",
        action: "observatory.activity_reference.loaded",
        objectType: "region_activity_reference",
        objectId: id,
        ip: options.ip ?? null,
        details: {
          referenceYear: reference.referenceYear,
          source: reference.source,
          regions: Object.keys(reference.shares).length,
        },
      },
      now,
    );
    const stored = (await observatoryRepo.listActivityReferences(trx)).find((r) => r.id === id);
    if (!stored) throw new Error("reference just written not found");
    return toView(stored);
  };
  return db.isTransaction ? run(db as Transaction<Database>) : db.transaction().execute(run);
}

/**
 * Every regional activity reference loaded, the most recent reference year first
 * (`observatory:read`, or `"command-line"`).
 */
export async function listActivityReferences(
  db: Executor,
  by: Actor | null | "command-line",
): Promise<ActivityReference[]> {
  if (by !== "command-line") assertPermission(by, "observatory:read");
  return (await observatoryRepo.listActivityReferences(db)).map(toView);
}
