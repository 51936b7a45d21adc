import type { Config } from "@vigie/config";
import pino, { type Logger } from "pino";

/** The process's JSON logger; secrets and cookies are redacted. */
export function createLogger(config: Pick<Config, "LOG_LEVEL">, name = "vigie"): Logger {
  return pino({
    name,
    level: config.LOG_LEVEL,
    redact: {
      paths: [
        "req.headers.cookie",
        "req.headers.authorization",
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        "*.password",
        "*.newPassword",
        "*.currentPassword",
        "*.token",
      ],
      censor: "[masqué]",
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
