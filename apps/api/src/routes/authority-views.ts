import {
  AuthorityCaseListQuery,
  AuthorityCasePage,
  AuthorityCaseView,
  RegionalDashboard,
  RegionalDashboardQuery,
} from "@vigie/contracts";
import { assertPermission, getAuthorityCase, getRegionalDashboard, listAuthorityCases } from "@vigie/core";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";

const CaseParams = z.object({ id: z.uuid({ error: "Identifiant de cas invalide." }) });

/** What the authorities were sent (decision 0009), and the ARS's regional dashboard. */
export function authorityViewRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/authority/cases",
    {
      config: { access: "alerts:read" },
      schema: {
        tags: ["Autorités"],
        summary: "Lister les cas signalés à mon autorité",
        description:
          "Les cas pour lesquels au moins une alerte a été envoyée à l'autorité du compte, les plus " +
          "récemment signalés d'abord : référence, type de structure, région, dates d'envoi et statut " +
          "actuel du cas. Rien d'autre de la déclaration.",
        querystring: AuthorityCaseListQuery,
        response: { 200: AuthorityCasePage },
      },
    },
    async (request) => {
      assertPermission(request.actor, "alerts:read");
      return listAuthorityCases(deps.database.db, request.actor, request.query);
    },
  );

  app.get(
    "/authority/cases/:id",
    {
      config: { access: "alerts:read" },
      schema: {
        tags: ["Autorités"],
        summary: "Consulter un cas signalé à mon autorité : les messages reçus et son statut",
        params: CaseParams,
        response: { 200: AuthorityCaseView },
      },
    },
    async (request) => {
      assertPermission(request.actor, "alerts:read");
      return getAuthorityCase(deps.database.db, request.actor, request.params.id, {
        now: deps.clock(),
        ip: request.ip,
      });
    },
  );

  app.get(
    "/ars/dashboard",
    {
      config: { access: "dashboards:read" },
      schema: {
        tags: ["Autorités"],
        summary: "Tableau de bord régional des déclarations pour une année",
        description:
          "ARS : sa région, hors déclarations TLP:RED et TLP:AMBER+STRICT ; CERT : la région choisie " +
          "(`region`, obligatoire). Déclarations par mois (heure de Paris), type de structure, origine " +
          "et impact sur le fonctionnement (valeurs qualifiées, déclarées avant qualification).",
        querystring: RegionalDashboardQuery,
        response: { 200: RegionalDashboard },
      },
    },
    async (request) => {
      assertPermission(request.actor, "dashboards:read");
      return getRegionalDashboard(deps.database.db, request.actor, request.query, deps.clock());
    },
  );
}
