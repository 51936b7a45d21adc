import { z } from "zod";

export * from "./alerting.ts";
export * from "./attachment.ts";
export * from "./audit.ts";
export * from "./auth.ts";
export * from "./case.ts";
export * from "./declaration.ts";
export * from "./directory.ts";
export * from "./errors.ts";
export * from "./exchange.ts";
export * from "./indicators.ts";
export * from "./mail.ts";
export * from "./observatory.ts";
export * from "./oncall.ts";
export * from "./permissions.ts";
export * from "./reflex-sheets.ts";
export * from "./registration.ts";
export * from "./roles.ts";
export * from "./taxonomy.ts";
export * from "./watch.ts";

// Validation messages in French everywhere zod is used (server, web, CLI).
z.config(z.locales.fr());
