import { AppError, type FieldIssue } from "@vigie/contracts";
import type { FastifyError, FastifyInstance } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";

/** Maps every error to the catalogue's JSON body; unknown errors become INTERNAL. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const fields: FieldIssue[] = error.validation.map((v) => ({
        field: fieldName(error.validationContext, v.instancePath),
        message: v.message ?? "valeur invalide",
      }));
      return reply.status(400).send(new AppError("VALIDATION_FAILED", { fields }).toBody());
    }
    if (error instanceof AppError) {
      return reply.status(error.status).send(error.toBody());
    }
    if (error.statusCode === 429) {
      return reply.status(429).send(new AppError("RATE_LIMITED").toBody());
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      const code = error.statusCode === 404 ? "NOT_FOUND" : "BAD_REQUEST";
      return reply.status(error.statusCode).send(new AppError(code).toBody());
    }
    request.log.error({ err: error }, "unexpected error");
    return reply.status(500).send(new AppError("INTERNAL").toBody());
  });
}

function fieldName(context: string | undefined, instancePath: string): string {
  const path = instancePath.replace(/^\//, "").replaceAll("/", ".");
  return path || context || "body";
}
