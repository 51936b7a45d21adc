import { AuditPageView, AuditQuery, AuditVerificationView } from "@vigie/contracts";
import { searchAuditLog, verifyAuditChain } from "@vigie/core";
import type { AppDeps, TypedApp } from "../app.ts";

/** The audit screen: search the log and check that its hash chain is intact. */
export function auditRoutes(app: TypedApp, deps: AppDeps): void {
  app.get(
    "/audit",
    {
      config: { access: "audit:read" },
      schema: {
        tags: ["Audit"],
        summary: "Parcourir le journal d'audit (du plus récent au plus ancien)",
        description:
          "Filtres par acteur (identifiant ou libellé), action, type et identifiant d'objet. " +
          "Pagination par curseur : passez `nextCursor` de la page précédente dans `cursor`.",
        querystring: AuditQuery,
        response: { 200: AuditPageView },
      },
    },
    async (request) => searchAuditLog(deps.database.db, request.query),
  );

  app.get(
    "/audit/verify",
    {
      config: { access: "audit:read" },
      schema: {
        tags: ["Audit"],
        summary: "Vérifier l'intégrité de la chaîne du journal d'audit",
        description:
          "Recalcule l'empreinte de chaque entrée : signale les entrées modifiées, supprimées ou insérées.",
        response: { 200: AuditVerificationView },
      },
    },
    async () => verifyAuditChain(deps.database.db),
  );
}
