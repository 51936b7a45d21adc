import { AppError } from "@vigie/contracts";
import { type Executor, exposureAuditsRepo as repo } from "@vigie/db";
import { type Actor, assertPermission } from "../access/policy.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { resolveInventoryStructure } from "../watch/assets/access.ts";
import { normaliseDomain } from "../watch/assets/validate-asset.ts";
import { PerimeterGuard } from "./scan/perimeter-guard.ts";

/** Largest export read (bytes) and most names kept from one. */
export const CT_IMPORT_LIMITS = { maxBytes: 20 * 1024 * 1024, maxNames: 100_000 } as const;

/** One name read from a certificate transparency export. */
export interface CtEntry {
  name: string;
  notBefore: string | null;
  notAfter: string | null;
  issuer: string | null;
}

/** What an import kept and ignored. */
export interface CtImportReport {
  /** Distinct names of the perimeter's domains, stored. */
  kept: number;
  /** Entries ignored: not a valid host name, or outside the perimeter's domains. */
  ignored: number;
  /** Names read, before filtering. */
  read: number;
}

const dateOf = (value: unknown): string | null => {
  if (typeof value !== "string") return null;
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(value.trim());
  return match ? (match[1] as string) : null;
};

function splitCsvLine(line: string, separator: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      cells.push(cell);
      cell = "";
    } else cell += c;
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

/**
 * Reads a certificate transparency export: crt.sh JSON (`name_value` holding names separated by
 * new lines, `not_before`, `not_after`, `issuer_name`), CSV with a `name` (or `name_value`,
 * `common_name`, `domain`) column, or one name per line. Names are returned as read.
 */
export function parseCtExport(text: string): CtEntry[] {
  const content = text.replace(/^\uFEFF/, "").trim();
  if (!content) return [];
  if (content.startsWith("[") || content.startsWith("{")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      throw new AppError("VALIDATION_FAILED", {
        message: "Fichier JSON illisible : exportez la liste depuis crt.sh au format JSON (« output=json »).",
        fields: [{ field: "file", message: "Fichier JSON illisible." }],
      });
    }
    const items = Array.isArray(parsed) ? parsed : [parsed];
    const entries: CtEntry[] = [];
    for (const item of items) {
      if (typeof item === "string") {
        entries.push({ name: item, notBefore: null, notAfter: null, issuer: null });
        continue;
      }
      if (!item || typeof item !== "object") continue;
      const record = item as Record<string, unknown>;
      const names = new Set<string>();
      for (const key of ["name_value", "common_name", "name"]) {
        const value = record[key];
        if (typeof value === "string")
          for (const n of value.split(/\r?\n/)) if (n.trim()) names.add(n.trim());
      }
      for (const name of names) {
        entries.push({
          name,
          notBefore: dateOf(record.not_before),
          notAfter: dateOf(record.not_after),
          issuer: typeof record.issuer_name === "string" ? record.issuer_name.slice(0, 500) : null,
        });
      }
    }
    return entries;
  }
  const lines = content.split(/\r?\n/).filter((l) => l.trim() !== "");
  const first = lines[0] ?? "";
  const separator = first.includes(";")
    ? ";"
    : first.includes(",")
      ? ","
      : first.includes("\t")
        ? "\t"
        : null;
  if (separator) {
    const header = splitCsvLine(first, separator).map((h) => h.toLowerCase());
    const nameColumn = ["name", "name_value", "common_name", "domain", "nom"]
      .map((h) => header.indexOf(h))
      .find((i) => i >= 0);
    if (nameColumn !== undefined) {
      const column = (names: string[]) => names.map((h) => header.indexOf(h)).find((i) => i >= 0);
      const before = column(["not_before", "notbefore"]);
      const after = column(["not_after", "notafter"]);
      const issuer = column(["issuer_name", "issuer"]);
      const entries: CtEntry[] = [];
      for (const line of lines.slice(1)) {
        const cells = splitCsvLine(line, separator);
        for (const name of (cells[nameColumn] ?? "").split(/\s+/).filter(Boolean)) {
          entries.push({
            name,
            notBefore: before !== undefined ? dateOf(cells[before]) : null,
            notAfter: after !== undefined ? dateOf(cells[after]) : null,
            issuer: issuer !== undefined ? (cells[issuer]?.slice(0, 500) ?? null) || null : null,
          });
        }
      }
      return entries;
    }
  }
  return lines.map((line) => ({ name: line.trim(), notBefore: null, notAfter: null, issuer: null }));
}

/**
 * The names of the entries inside `domains` (a domain or one of its subdomains), normalised:
 * lower case, punycode, no trailing dot, `*.x` read as `x`. Returns the names kept (with their
 * earliest and latest dates) and how many entries were ignored.
 */
export function filterCtNames(
  entries: readonly CtEntry[],
  domains: readonly string[],
): {
  names: Map<string, { firstSeen: string | null; lastSeen: string | null; issuer: string | null }>;
  ignored: number;
} {
  const guard = new PerimeterGuard(domains, []);
  const names = new Map<
    string,
    { firstSeen: string | null; lastSeen: string | null; issuer: string | null }
  >();
  let ignored = 0;
  for (const entry of entries) {
    const typed = entry.name.trim().toLowerCase().replace(/^\*\./, "");
    const domain = normaliseDomain(typed);
    if (!domain.ok || !guard.allowsName(domain.value)) {
      ignored++;
      continue;
    }
    const seen = entry.notBefore;
    const previous = names.get(domain.value);
    if (!previous) {
      if (names.size >= CT_IMPORT_LIMITS.maxNames) {
        ignored++;
        continue;
      }
      names.set(domain.value, { firstSeen: seen, lastSeen: seen, issuer: entry.issuer });
      continue;
    }
    if (seen && (!previous.firstSeen || seen < previous.firstSeen)) previous.firstSeen = seen;
    if (seen && (!previous.lastSeen || seen > previous.lastSeen)) {
      previous.lastSeen = seen;
      previous.issuer = entry.issuer ?? previous.issuer;
    }
  }
  return { names, ignored };
}

/**
 * Imports a certificate transparency export for a structure (`watch:manage`): only the names
 * under the perimeter's domains are kept (`audit_ct_names`), to be resolved by the next audit.
 */
export async function importCtNames(
  db: Executor,
  actor: Actor | null,
  structureRef: string,
  content: Buffer | string,
  context: { now: Date; ip?: string | null; actorLabel?: string },
): Promise<CtImportReport> {
  if (actor) assertPermission(actor, "watch:manage");
  const structure = await resolveInventoryStructure(db, actor, structureRef);
  const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
  if (bytes.length > CT_IMPORT_LIMITS.maxBytes) {
    throw new AppError("FILE_TOO_LARGE", {
      message: "Fichier trop volumineux (20 Mo au plus) : filtrez l'export sur les domaines de la structure.",
    });
  }
  const perimeter = await repo.findPerimeter(db, structure.id);
  const domains = perimeter?.domains ?? [];
  if (domains.length === 0) {
    const message =
      "Le périmètre de la structure ne compte aucun nom de domaine : déclarez-les avant d'importer des noms.";
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "file", message }] });
  }
  const entries = parseCtExport(bytes.toString("utf8"));
  if (entries.length === 0) {
    const message =
      "Aucun nom dans ce fichier (JSON de crt.sh, CSV avec une colonne name, ou un nom par ligne).";
    throw new AppError("VALIDATION_FAILED", { message, fields: [{ field: "file", message }] });
  }
  const { names, ignored } = filterCtNames(entries, domains);
  return db.transaction().execute(async (trx) => {
    await repo.upsertCtNames(
      trx,
      [...names].map(([name, seen]) => ({
        structure_id: structure.id,
        name,
        first_seen: seen.firstSeen,
        last_seen: seen.lastSeen,
        issuer: seen.issuer,
        imported_at: context.now,
      })),
    );
    const report = { kept: names.size, ignored, read: entries.length };
    await recordAudit(
      trx,
      {
        actor,
        actorLabel: context.actorLabel,
        action: "audit_perimeter.ct_imported",
        objectType: "structure",
        objectId: structure.id,
        ip: context.ip ?? null,
        details: { ...report },
      },
      context.now,
    );
    return report;
  });
}
