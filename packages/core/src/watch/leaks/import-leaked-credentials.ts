import { AppError, type LeakImportReport, LeakSourceSchema } from "@vigie/contracts";
import { type Executor, leaksRepo } from "@vigie/db";
import { type Actor, assertPermission } from "../../access/policy.ts";
import { recordAudit } from "../../audit/record-audit.ts";
import { type Finding, recordFindings } from "../tickets/record-findings.ts";
import { emailDomain, type ParsedLeakList, parseLeakList } from "./parse-leak-list.ts";

/** What the structure is asked to do about a leaked account. */
export const LEAKED_ACCOUNT_ACTION =
  "Changer le mot de passe de ce compte et de tous les comptes qui le réutilisaient, fermer les " +
  "sessions ouvertes, activer l'authentification multifacteur, vérifier les règles de transfert " +
  "de la messagerie.";

export interface ImportLeakedCredentialsInput {
  /** The name the CERT gives the list, e.g. « Combolist Telegram 2026-11 ». */
  source: string;
  /** The file as received, or a list already parsed (the command line reads it as a stream). */
  content: string | Uint8Array | ParsedLeakList;
  /** The CERT member importing (`watch:handle`); null for the command line. */
  actor: Actor | null;
  now: Date;
  ip?: string | null;
}

/**
 * Which structures own a domain: the structures of the longest of the domain's suffixes that
 * is a mail domain or a domain asset (`mail.ch-x.fr` → `ch-x.fr`), so a domain shared by a GHT
 * only matches when no member has its own, more specific one.
 */
export class MailDomainIndex {
  private readonly owners = new Map<string, Set<string>>();

  constructor(rows: readonly { domain: string; structure_id: string }[]) {
    for (const row of rows) {
      const set = this.owners.get(row.domain) ?? new Set<string>();
      set.add(row.structure_id);
      this.owners.set(row.domain, set);
    }
  }

  /** The structures an address on `domain` belongs to (empty when none). */
  structuresOf(domain: string): readonly string[] {
    let candidate = domain;
    for (;;) {
      const found = this.owners.get(candidate);
      if (found) return [...found];
      const dot = candidate.indexOf(".");
      if (dot === -1) return [];
      candidate = candidate.slice(dot + 1);
    }
  }
}

function isParsed(content: ImportLeakedCredentialsInput["content"]): content is ParsedLeakList {
  return typeof content === "object" && !(content instanceof Uint8Array);
}

/**
 * Imports a list of leaked credentials: keeps only the addresses (every password or hash is
 * dropped by the parser), matches them to the structures' mail domains and domain assets, and
 * raises one `leaked_credential` ticket per structure and address — in one transaction, with
 * the import's counts and an audit entry (counts only). Unmatched addresses are counted, never
 * stored. A re-import opens nothing new (tickets are keyed by `leak:<address>`).
 */
export async function importLeakedCredentials(
  db: Executor,
  input: ImportLeakedCredentialsInput,
): Promise<LeakImportReport> {
  if (input.actor) assertPermission(input.actor, "watch:handle");
  const source = LeakSourceSchema.safeParse(input.source);
  if (!source.success) {
    throw new AppError("VALIDATION_FAILED", {
      fields: [{ field: "source", message: source.error.issues[0]?.message ?? "Source invalide." }],
    });
  }
  const parsed = isParsed(input.content) ? input.content : parseLeakList(input.content);
  if (parsed.addresses.length === 0) {
    throw new AppError("LEAK_LIST_EMPTY", {
      fields: parsed.problems.map((p) => ({
        field: p.column ? `ligne ${p.line}, colonne ${p.column}` : `ligne ${p.line}`,
        message: p.message,
      })),
      details: {
        format: parsed.format,
        lines: parsed.lines,
        rejected: parsed.rejected,
        problems: parsed.problems,
        problemsTruncated: parsed.problemsTruncated,
      },
    });
  }

  const now = input.now;
  const run = async (trx: Executor): Promise<LeakImportReport> => {
    const index = new MailDomainIndex(await leaksRepo.listMailDomainOwners(trx));
    const findings: Finding[] = [];
    const structures = new Set<string>();
    let matched = 0;
    for (const address of parsed.addresses) {
      const owners = index.structuresOf(emailDomain(address));
      if (owners.length === 0) continue;
      matched++;
      for (const structureId of owners) {
        structures.add(structureId);
        findings.push({
          structureId,
          assetId: null,
          kind: "leaked_credential",
          findingKey: `leak:${address}`,
          cveId: null,
          confidence: "confirmed",
          urgency: "high",
          details: {
            title: `Compte de messagerie compromis : ${address}`,
            action: LEAKED_ACCOUNT_ACTION,
            email: address,
            source: source.data,
          },
        });
      }
    }
    // No scope: a leaked account is never fixed by the next list not naming it.
    const recorded = await recordFindings(trx, findings, now);
    const row = await leaksRepo.insertLeakImport(trx, {
      source: source.data,
      imported_at: now,
      imported_by_user_id: input.actor?.userId ?? null,
      lines: parsed.lines,
      addresses: parsed.addresses.length,
      matched,
      rejected: parsed.rejected,
    });
    const counts = {
      lines: parsed.lines,
      addresses: parsed.addresses.length,
      matched,
      unmatched: parsed.addresses.length - matched,
      rejected: parsed.rejected,
      structures: structures.size,
      opened: recorded.opened,
      reopened: recorded.reopened,
    };
    await recordAudit(
      trx,
      {
        actor: input.actor,
        actorLabel: input.actor ? undefined : "ligne de commande",
        action: "watch.leaks.import",
        objectType: "leak_import",
        objectId: row.id,
        ip: input.ip ?? null,
        details: counts,
      },
      now,
    );
    return {
      id: row.id,
      source: row.source,
      importedAt: new Date(row.imported_at).toISOString(),
      format: parsed.format,
      lines: counts.lines,
      addresses: counts.addresses,
      matched,
      unmatched: counts.unmatched,
      rejected: counts.rejected,
      structures: counts.structures,
      tickets: {
        opened: recorded.opened,
        reopened: recorded.reopened,
        alreadyKnown: recorded.seen + recorded.raised,
      },
      problems: parsed.problems,
      problemsTruncated: parsed.problemsTruncated,
    };
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
