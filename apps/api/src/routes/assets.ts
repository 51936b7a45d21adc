import {
  AssetImportReport,
  AssetListQuery,
  AssetListResponse,
  AssetView,
  CreateAssetRequest,
  ImportAssetsRequest,
  UpdateAssetRequest,
} from "@vigie/contracts";
import {
  assertPermission,
  assetImportRejected,
  createAsset,
  deleteAsset,
  getAsset,
  importAssetCsv,
  listAssets,
  updateAsset,
} from "@vigie/core";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";

const AssetParams = z.object({ id: z.uuid({ error: "Identifiant d'actif invalide." }) });
const TAGS = ["Veille : actifs exposés"];

/**
 * The inventory of exposed assets (domains, addresses and ranges, products, services): a
 * declarant manages its own structures', the CERT every structure's.
 */
export function assetRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/assets",
    {
      config: { access: "watch:read" },
      schema: {
        tags: TAGS,
        summary: "Lister les actifs exposés",
        description:
          "Ceux des structures du déclarant, ou de toutes les structures pour le CERT. Filtres : " +
          "`structure` (identifiant ou numéro FINESS ET), `kind`, `q` (mots cherchés dans le domaine, " +
          "l'adresse, l'hôte, l'éditeur, le produit, la version, le service, le libellé). Paginé.",
        querystring: AssetListQuery,
        response: { 200: AssetListResponse },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:read");
      return listAssets(deps.database.db, request.actor, request.query);
    },
  );

  app.get(
    "/assets/:id",
    {
      config: { access: "watch:read" },
      schema: {
        tags: TAGS,
        summary: "Consulter un actif",
        params: AssetParams,
        response: { 200: AssetView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:read");
      return getAsset(deps.database.db, request.actor, request.params.id);
    },
  );

  app.post(
    "/assets",
    {
      config: { access: "watch:manage" },
      schema: {
        tags: TAGS,
        summary: "Ajouter un actif à l'inventaire d'une structure",
        description:
          "Un nom de domaine ou une plage d'adresses n'appartient qu'à une structure : un domaine déjà " +
          "déclaré ailleurs, ou une adresse ou plage chevauchant celle d'une autre structure, est refusé " +
          "(409). Une plage s'écrit avec l'adresse de son réseau ; /32 et /128 sont des adresses.",
        body: CreateAssetRequest,
        response: { 201: AssetView },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "watch:manage");
      const asset = await createAsset(deps.database.db, request.actor, request.body, {
        now: deps.clock(),
        ip: request.ip,
      });
      return reply.status(201).send(asset);
    },
  );

  app.put(
    "/assets/:id",
    {
      config: { access: "watch:manage" },
      schema: {
        tags: TAGS,
        summary: "Modifier un actif",
        params: AssetParams,
        body: UpdateAssetRequest,
        response: { 200: AssetView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:manage");
      return updateAsset(deps.database.db, request.actor, request.params.id, request.body, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );

  app.delete(
    "/assets/:id",
    {
      config: { access: "watch:manage" },
      schema: {
        tags: TAGS,
        summary: "Retirer un actif de l'inventaire",
        description:
          "Ses tickets de veille encore ouverts passent à « corrigé » (actif retiré de l'inventaire).",
        params: AssetParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      assertPermission(request.actor, "watch:manage");
      await deleteAsset(deps.database.db, request.actor, request.params.id, {
        now: deps.clock(),
        ip: request.ip,
      });
      return reply.status(204).send(null);
    },
  );

  app.post(
    "/assets/import",
    {
      bodyLimit: 3 * 1024 * 1024,
      config: { access: "watch:manage", rateLimit: routeRateLimit(deps, 20, "1 minute") },
      schema: {
        tags: TAGS,
        summary: "Importer des actifs depuis un fichier CSV",
        description:
          "`content` : le texte du fichier, en-tête `type;valeur;editeur;produit;version;cpe;hote;port;" +
          "protocole;service;libelle` (séparateur `;` ou `,`). Chaque ligne est vérifiée avant toute " +
          "écriture ; une seule ligne invalide et rien n'est importé (422 `IMPORT_REJECTED`, " +
          "`error.details.report` : ligne, colonne et message de chaque problème). Un actif déjà " +
          "présent est laissé inchangé : réimporter le même fichier ne change rien.",
        body: ImportAssetsRequest,
        response: { 200: AssetImportReport },
      },
    },
    async (request) => {
      assertPermission(request.actor, "watch:manage");
      const report = await importAssetCsv(
        deps.database.db,
        request.actor,
        request.body.structure,
        request.body.content,
        {
          now: deps.clock(),
          ip: request.ip,
        },
      );
      if (report.rejected > 0) throw assetImportRejected(report);
      return report;
    },
  );
}
