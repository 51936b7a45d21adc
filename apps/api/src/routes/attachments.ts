import fastifyMultipart from "@fastify/multipart";
import {
  AppError,
  AttachmentUploadQuery,
  AttachmentUploadResult,
  attachmentLimits,
  type RejectedAttachment,
} from "@vigie/contracts";
import {
  type AttachmentCipher,
  type AttachmentContent,
  deletePendingAttachment,
  readAttachment,
  storePendingAttachment,
} from "@vigie/core";
import type { FastifyReply } from "fastify";
import { z } from "zod";
import type { AppDeps, TypedApp } from "../app.ts";
import { routeRateLimit } from "../plugins/rate-limit.ts";

const MB = 1024 * 1024;
const attachmentId = z.object({ id: z.uuid({ error: "Identifiant de pièce jointe invalide." }) });

/**
 * Attachments: upload under a pending key (anyone filling a declaration or a message, before
 * it is sent), removal of a pending upload, and download of an incident's file by those who
 * may see the incident. Files are encrypted at rest (AES-256-GCM).
 */
export function attachmentRoutes(app: TypedApp, deps: AppDeps): void {
  // Multipart parsing only in this scope: every other route keeps refusing multipart bodies.
  app.register(async (scope) => {
    await scope.register(fastifyMultipart, {
      throwFileSizeLimit: false,
      limits: {
        fileSize: attachmentLimits.maxFileBytes,
        files: attachmentLimits.maxFiles,
        fields: 10,
        fieldSize: 1024,
        parts: attachmentLimits.maxFiles + 10,
      },
    });
    uploadRoutes(scope as TypedApp, deps);
  });
}

function requireCipher(deps: AppDeps): AttachmentCipher {
  if (!deps.attachmentCipher) {
    throw new AppError("SERVICE_UNAVAILABLE", {
      message: "Le dépôt de pièces jointes n'est pas configuré (clé de chiffrement absente).",
    });
  }
  return deps.attachmentCipher;
}

function uploadRoutes(app: TypedApp, deps: AppDeps): void {
  app.post(
    "/attachments",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 60, "1 minute") },
      schema: {
        tags: ["Pièces jointes"],
        summary: "Déposer des pièces jointes (multipart/form-data, un ou plusieurs fichiers)",
        description:
          `Les fichiers attendent sous \`pendingKey\` (la clé d'idempotence de la déclaration, ou un UUID ` +
          `propre au message) jusqu'à l'envoi. Limites : ${attachmentLimits.maxFileBytes / MB} Mo par fichier, ` +
          `${attachmentLimits.maxFiles} fichiers et ${attachmentLimits.maxTotalBytes / MB} Mo au total par clé. ` +
          "Le type est vérifié sur le contenu. Les fichiers acceptés sont conservés même si d'autres sont " +
          "refusés (réponse 201 avec `rejected`) ; si aucun n'est accepté, la réponse est une erreur " +
          "qui nomme chaque fichier (`files[i]`).",
        querystring: AttachmentUploadQuery,
        consumes: ["multipart/form-data"],
        response: { 201: AttachmentUploadResult },
      },
    },
    async (request, reply) => {
      const cipher = requireCipher(deps);
      if (!request.isMultipart()) {
        throw new AppError("VALIDATION_FAILED", {
          fields: [{ field: "file", message: "Envoyez les fichiers en multipart/form-data." }],
        });
      }
      const items: z.infer<typeof AttachmentUploadResult>["items"] = [];
      const rejected: z.infer<typeof RejectedAttachment>[] = [];
      let index = 0;
      try {
        for await (const part of request.files()) {
          const field = `files[${index++}]`;
          const data = await part.toBuffer();
          const outcome = await storePendingAttachment(
            deps.database.db,
            cipher,
            {
              pendingKey: request.query.pendingKey,
              actor: request.actor,
              ip: request.ip,
              file: { field, fileName: part.filename ?? "", data, truncated: part.file.truncated },
            },
            deps.clock(),
          );
          if (outcome.ok) items.push(outcome.item);
          else rejected.push(outcome.rejected);
        }
      } catch (error) {
        if ((error as { code?: string }).code !== "FST_FILES_LIMIT") throw error;
        // The files already read are kept; the ones past the limit were never read.
        rejected.push({
          field: `files[${index}]`,
          fileName: "",
          code: "ATTACHMENT_LIMIT_REACHED",
          reason: `${attachmentLimits.maxFiles} fichiers au maximum par envoi : les suivants ont été ignorés.`,
        });
      }
      if (items.length === 0) {
        if (rejected.length === 0) {
          throw new AppError("VALIDATION_FAILED", {
            fields: [{ field: "file", message: "Aucun fichier reçu." }],
          });
        }
        const [first] = rejected as [z.infer<typeof RejectedAttachment>];
        throw new AppError(first.code, {
          message: rejected.map((r) => r.reason).join(" "),
          fields: rejected.map((r) => ({ field: r.field, message: r.reason })),
          details: { rejected },
        });
      }
      return reply.status(201).send({ items, rejected });
    },
  );

  app.delete(
    "/attachments/:id",
    {
      config: { access: "public", rateLimit: routeRateLimit(deps, 60, "1 minute") },
      schema: {
        tags: ["Pièces jointes"],
        summary: "Retirer une pièce jointe pas encore envoyée (avec sa clé de dépôt)",
        params: attachmentId,
        querystring: AttachmentUploadQuery,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await deletePendingAttachment(
        deps.database.db,
        { id: request.params.id, pendingKey: request.query.pendingKey, actor: request.actor, ip: request.ip },
        deps.clock(),
      );
      return reply.status(204).send(null);
    },
  );

  app.get(
    "/attachments/:id",
    {
      config: { access: "authenticated", rateLimit: routeRateLimit(deps, 120, "1 minute") },
      schema: {
        tags: ["Pièces jointes"],
        summary: "Télécharger une pièce jointe d'une déclaration que vous pouvez consulter",
        description:
          "Déchiffrée et vérifiée (SHA-256) à la volée ; toujours proposée en téléchargement, jamais " +
          "affichée dans le navigateur. Chaque téléchargement est journalisé.",
        params: attachmentId,
      },
    },
    async (request, reply) => {
      const cipher = requireCipher(deps);
      if (!request.actor) throw new AppError("UNAUTHENTICATED");
      const content = await readAttachment(
        deps.database.db,
        cipher,
        { id: request.params.id, actor: request.actor, ip: request.ip },
        deps.clock(),
      );
      return sendAttachment(reply, content);
    },
  );
}

/**
 * Sends decrypted attachment bytes as a download: never inline, never sniffed, never cached.
 * Exported for the follow-up link's download route.
 */
export function sendAttachment(reply: FastifyReply, content: AttachmentContent): FastifyReply {
  return reply
    .status(200)
    .header("content-type", content.contentType)
    .header("content-disposition", contentDisposition(content.fileName))
    .header("x-content-type-options", "nosniff")
    .header("cache-control", "private, no-store")
    .header("content-length", String(content.data.byteLength))
    .send(content.data);
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 / 8187). */
export function contentDisposition(fileName: string): string {
  const fallback =
    fileName
      .normalize("NFD")
      .replace(/[^\x20-\x7e]/g, "")
      .replace(/["\\]/g, "_") || "fichier";
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
