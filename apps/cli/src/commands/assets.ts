import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { AppError, AssetListQuery, type AssetView, assetKindLabels, assetKinds } from "@vigie/contracts";
import { importAssetCsv, listAssets } from "@vigie/core";
import type { Command } from "commander";
import { fail, withDatabase } from "../context.ts";

const count = (n: number) => n.toLocaleString("fr-FR");

async function readAssetFile(path: string): Promise<Buffer> {
  try {
    return await readFile(resolve(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "fichier introuvable"
        : code === "EISDIR"
          ? "c'est un dossier"
          : "lecture impossible";
    throw new AppError("BAD_REQUEST", { message: `Impossible de lire « ${path} » : ${why}.` });
  }
}

function describeAsset(asset: AssetView): string {
  const where = asset.host ? `${asset.host}${asset.port ? `:${asset.port}/${asset.transport}` : ""}` : "";
  const what =
    asset.kind === "product"
      ? [asset.vendor, asset.product, asset.version].filter(Boolean).join(" ")
      : asset.kind === "service"
        ? (asset.service ?? "")
        : (asset.value ?? "");
  return [assetKindLabels[asset.kind], what, where, asset.label ? `— ${asset.label}` : ""]
    .filter(Boolean)
    .join("  ");
}

/** `vigie assets import <file> --structure <FINESS>` and `vigie assets list`, for the CERT. */
export function registerAssets(program: Command): void {
  const assets = program
    .command("assets")
    .description("Inventaire des actifs exposés des structures (veille)")
    .helpOption("-h, --help", "Affiche l'aide");

  assets
    .command("import")
    .description(
      "Importe les actifs exposés d'une structure depuis un fichier CSV (UTF-8, séparateur « ; » ou « , ») " +
        "d'en-tête type;valeur;editeur;produit;version;cpe;hote;port;protocole;service;libelle. Chaque ligne " +
        "est vérifiée avant toute écriture : une seule ligne invalide et rien n'est importé. Un actif déjà " +
        "présent est laissé inchangé : réimporter le même fichier ne change rien.",
    )
    .argument("<fichier>", "chemin du fichier CSV")
    .requiredOption("--structure <finess>", "numéro FINESS ET de la structure")
    .helpOption("-h, --help", "Affiche l'aide")
    .action(async (file: string, options: { structure: string }) => {
      let bytes: Buffer;
      try {
        bytes = await readAssetFile(file);
      } catch (error) {
        fail(error);
        return;
      }
      await withDatabase(async ({ database }) => {
        const report = await importAssetCsv(database.db, null, options.structure, bytes, {
          now: new Date(),
          actorLabel: "ligne de commande",
        });
        if (report.rejected > 0) {
          for (const p of report.problems) {
            console.error(
              p.column
                ? `ligne ${p.line}, colonne ${p.column} : ${p.message}`
                : `ligne ${p.line} : ${p.message}`,
            );
          }
          if (report.truncated) console.error("… d'autres problèmes n'ont pas été listés.");
          throw new AppError("VALIDATION_FAILED", {
            message: `Fichier refusé (${count(report.rejected)} ${report.rejected > 1 ? "lignes rejetées" : "ligne rejetée"}) : rien n'a été importé.`,
          });
        }
        console.log(
          `Import terminé : ${count(report.lines)} ${report.lines > 1 ? "lignes lues" : "ligne lue"}` +
            ` — ${count(report.added)} ${report.added > 1 ? "actifs ajoutés" : "actif ajouté"},` +
            ` ${count(report.unchanged)} ${report.unchanged > 1 ? "inchangés" : "inchangé"}, 0 rejeté.`,
        );
      });
    });

  assets
    .command("list")
    .description("Liste les actifs exposés (d'une structure, ou de toutes)")
    .option("--structure <finess>", "numéro FINESS ET de la structure")
    .option("--kind <type>", `type d'actif : ${assetKinds.join(", ")}`)
    .helpOption("-h, --help", "Affiche l'aide")
    .action(async (options: { structure?: string; kind?: string }) => {
      const query = AssetListQuery.safeParse({
        structure: options.structure,
        kind: options.kind,
        pageSize: 200,
      });
      if (!query.success) {
        fail(new AppError("BAD_REQUEST", { message: `Type d'actif inconnu : ${assetKinds.join(", ")}.` }));
        return;
      }
      await withDatabase(async ({ database }) => {
        let page = 1;
        for (;;) {
          const result = await listAssets(database.db, null, { ...query.data, page });
          for (const asset of result.items) console.log(`${asset.structureFiness}  ${describeAsset(asset)}`);
          if (page * result.pageSize >= result.total) break;
          page++;
        }
      });
    });
}
