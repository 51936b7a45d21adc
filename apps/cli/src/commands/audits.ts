import { readFile, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { AppError, AuthorisationInput, exposureAuditStatusLabels } from "@vigie/contracts";
import {
  type AuditOutcome,
  authorisePerimeter,
  exportAuditReport,
  getPerimeter,
  importCtNames,
  launchAuditNow,
  runDueAudits,
  savePerimeter,
  scheduleAudits,
  submitPerimeter,
} from "@vigie/core";
import { usersRepo } from "@vigie/db";
import type { Command } from "commander";
import { withDatabase } from "../context.ts";

const CLI = { actorLabel: "ligne de commande" } as const;
const collect = (value: string, previous: string[]) => [...previous, value];
const count = (n: number) => n.toLocaleString("fr-FR");

function outcomeLine(audit: AuditOutcome): string {
  const status = exposureAuditStatusLabels[audit.status];
  return audit.status === "succeeded"
    ? `Audit ${audit.id} : ${status} — ${count(audit.findings)} constats, ${count(audit.ticketsOpened)} tickets ouverts, ${count(audit.ticketsFixed)} corrigés.`
    : `Audit ${audit.id} : ${status} — ${audit.error ?? ""}`;
}

function parsePorts(value: string | undefined): number[] | undefined {
  if (!value) return undefined;
  const ports = value.split(",").map((p) => Number(p.trim()));
  if (ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
    throw new AppError("VALIDATION_FAILED", {
      message: `Option --ports invalide (« ${value} ») : des ports de 1 à 65535 séparés par des virgules sont attendus.`,
    });
  }
  return ports;
}

/**
 * `vigie audits …`: the cybersurveillance audits from the command line (the CERT's operator):
 * perimeter and authorisation, certificate transparency import, scheduling, running, reports.
 */
export function registerAudits(program: Command): void {
  const audits = program
    .command("audits")
    .description("Audits de cybersurveillance de l'exposition sur Internet des structures")
    .helpOption("-h, --help", "Affiche l'aide");

  audits
    .command("perimeter")
    .description(
      "Enregistre le périmètre d'audit d'une structure (noms de domaine et plages d'adresses) ; avec " +
        "--authorise, le soumet et l'autorise aussitôt au nom d'un membre du CERT (--by).",
    )
    .argument("<structure>", "identifiant ou numéro FINESS ET de la structure")
    .option("--domain <nom>", "nom de domaine (répétable)", collect, [])
    .option("--network <cidr>", "plage d'adresses, par exemple 192.0.2.0/24 (répétable)", collect, [])
    .option("--default-credentials", "la structure accepte l'essai d'identifiants par défaut")
    .option("--submit", "soumet le périmètre au CERT")
    .option("--authorise", "autorise les audits du périmètre (implique --submit)")
    .option("--until <date>", "dernier jour autorisé, AAAA-MM-JJ (avec --authorise)")
    .option("--reference <texte>", "référence du mandat signé (avec --authorise)")
    .option("--by <courriel>", "adresse du membre du CERT qui accorde l'autorisation (avec --authorise)")
    .helpOption("-h, --help", "Affiche l'aide")
    .action(
      (
        structure: string,
        options: {
          domain: string[];
          network: string[];
          defaultCredentials?: boolean;
          submit?: boolean;
          authorise?: boolean;
          until?: string;
          reference?: string;
          by?: string;
        },
      ) =>
        withDatabase(async ({ database }) => {
          const db = database.db;
          const now = new Date();
          let grantedBy: string | undefined;
          let authorisation: AuthorisationInput | undefined;
          if (options.authorise) {
            const parsed = AuthorisationInput.safeParse({
              validUntil: options.until ?? "",
              reference: options.reference ?? "",
            });
            if (!parsed.success) {
              throw new AppError("VALIDATION_FAILED", {
                message: `Autorisation incomplète : ${parsed.error.issues.map((i) => i.message).join(" ")} (options --until et --reference)`,
              });
            }
            authorisation = parsed.data;
            const user = options.by
              ? await usersRepo.findUserByEmail(db, options.by.trim().toLowerCase())
              : undefined;
            if (!user || (user.role !== "cert_analyst" && user.role !== "cert_lead")) {
              throw new AppError("VALIDATION_FAILED", {
                message:
                  "Option --by : indiquez l'adresse d'un compte existant du CERT (analyste ou responsable) qui accorde l'autorisation.",
              });
            }
            grantedBy = user.id;
          }
          const current = await getPerimeter(db, null, structure, now);
          const saved = await savePerimeter(
            db,
            null,
            structure,
            {
              domains: options.domain.length > 0 ? options.domain : current.domains,
              networks: options.network.length > 0 ? options.network : current.networks,
              defaultCredentialsOptIn: options.defaultCredentials ?? current.defaultCredentialsOptIn,
              filteringMailbox: current.filteringMailbox,
            },
            { now, ...CLI },
          );
          let view = saved;
          if (
            (options.submit || options.authorise) &&
            saved.status !== "submitted" &&
            saved.status !== "validated"
          ) {
            view = await submitPerimeter(db, null, structure, { now, ...CLI });
          }
          if (authorisation && grantedBy) {
            view = await authorisePerimeter(db, null, structure, authorisation, {
              now,
              grantedByUserId: grantedBy,
              ...CLI,
            });
          }
          console.log(
            `Périmètre de ${view.structureName} : ${view.status === "validated" ? "validé et autorisé" : view.status}.`,
          );
          console.log(`Domaines : ${view.domains.join(", ") || "aucun"}`);
          console.log(`Plages : ${view.networks.join(", ") || "aucune"}`);
          if (view.authorisation?.inForce) {
            console.log(
              `Autorisation ${view.authorisation.id} en vigueur jusqu'au ${view.authorisation.validUntil} (réf. ${view.authorisation.reference}).`,
            );
          }
        }),
    );

  audits
    .command("ct-import")
    .description(
      "Importe un export de transparence des certificats (JSON de crt.sh, CSV avec une colonne name, ou un nom par ligne) : seuls les noms des domaines du périmètre sont gardés.",
    )
    .argument("<structure>", "identifiant ou numéro FINESS ET de la structure")
    .argument("<fichier>", "chemin de l'export")
    .helpOption("-h, --help", "Affiche l'aide")
    .action((structure: string, file: string) =>
      withDatabase(async ({ database }) => {
        let content: Buffer;
        try {
          content = await readFile(resolve(file));
        } catch {
          throw new AppError("BAD_REQUEST", {
            message: `Impossible de lire « ${file} » : fichier introuvable ou illisible.`,
          });
        }
        const report = await importCtNames(database.db, null, structure, content, {
          now: new Date(),
          ...CLI,
        });
        console.log(
          `Import terminé : ${count(report.read)} noms lus, ${count(report.kept)} gardés, ${count(report.ignored)} ignorés (hors périmètre ou invalides).`,
        );
      }),
    );

  audits
    .command("schedule")
    .description(
      "Planifie le prochain audit de chaque structure autorisée (comme la tâche quotidienne audits.schedule)",
    )
    .helpOption("-h, --help", "Affiche l'aide")
    .action(() =>
      withDatabase(async ({ database }) => {
        const report = await scheduleAudits(database.db, new Date());
        console.log(
          `${count(report.scheduled)} audits planifiés ; ${count(report.beyondAuthorisation)} structures dont l'autorisation se termine avant le prochain audit.`,
        );
      }),
    );

  audits
    .command("run")
    .description(
      "Exécute les audits prévus dont l'heure est venue ; avec --structure, lance tout de suite l'audit de cette structure (autorisation en vigueur requise).",
    )
    .option("--structure <structure>", "identifiant ou numéro FINESS ET de la structure à auditer maintenant")
    .option("--ports <liste>", "ports testés, séparés par des virgules (sinon AUDIT_PORTS)")
    .helpOption("-h, --help", "Affiche l'aide")
    .action((options: { structure?: string; ports?: string }) =>
      withDatabase(async ({ config, database }) => {
        const ports = parsePorts(options.ports);
        const now = new Date();
        let structureId: string | undefined;
        if (options.structure) {
          const launched = await launchAuditNow(database.db, null, options.structure, { now, ...CLI });
          structureId = launched.structureId;
        }
        const report = await runDueAudits(database.db, config, now, {
          ...(structureId ? { structureId } : {}),
          ...(ports ? { ports } : {}),
        });
        if (report.audits.length === 0) console.log("Aucun audit à exécuter.");
        for (const audit of report.audits) console.log(outcomeLine(audit));
        if (report.audits.some((a) => a.status === "failed")) process.exitCode = 1;
      }),
    );

  audits
    .command("report")
    .description("Écrit le rapport d'un audit en HTML ou en PDF (Chromium, CHROMIUM_PATH)")
    .argument("<audit>", "identifiant de l'audit")
    .option("--format <format>", "html ou pdf", "html")
    .requiredOption("--output <fichier>", "fichier écrit")
    .helpOption("-h, --help", "Affiche l'aide")
    .action((auditId: string, options: { format: string; output: string }) =>
      withDatabase(async ({ config, database }) => {
        if (options.format !== "html" && options.format !== "pdf") {
          throw new AppError("VALIDATION_FAILED", {
            message: `Option --format invalide (« ${options.format} ») : html ou pdf.`,
          });
        }
        const file = await exportAuditReport(database.db, null, auditId, options.format, {
          chromiumPath: config.CHROMIUM_PATH,
        });
        try {
          await writeFile(resolve(options.output), file.content);
        } catch {
          throw new AppError("BAD_REQUEST", {
            message: `Impossible d'écrire « ${options.output} » (option --output) : dossier absent ou accès refusé.`,
          });
        }
        console.log(`Rapport écrit : ${resolve(options.output)} (${count(file.content.length)} octets).`);
      }),
    );
}
