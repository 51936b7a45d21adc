import type { Config } from "@vigie/config";
import pino, { type DestinationStream, type Logger } from "pino";

/** The process's JSON logger; secrets and cookies are redacted. */
export function createLogger(
  config: Pick<Config, "LOG_LEVEL">,
  name = "vigie",
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    name,
    level: config.LOG_LEVEL,
    redact: {
      paths: [
        "req.headers.cookie",
        "req.headers.authorization",
        'req.headers["x-csrf-token"]',
        // Never a request body (leaked-credential lists, passwords): Fastify does not log it, keep it so.
        "req.body",
        'res.headers["set-cookie"]',
        "*.password",
        "*.newPassword",
        "*.currentPassword",
        "*.token",
      ],
      censor: "[masqué]",
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
