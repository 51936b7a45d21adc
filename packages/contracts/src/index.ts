import { z } from "zod";

export * from "./alerting.ts";
export * from "./assets.ts";
export * from "./attachment.ts";
export * from "./audit.ts";
export * from "./auth.ts";
export * from "./case.ts";
export * from "./declaration.ts";
export * from "./directory.ts";
export * from "./errors.ts";
export * from "./exchange.ts";
export * from "./exposure-audits.ts";
export * from "./feeds.ts";
export * from "./indicators.ts";
export * from "./leaks.ts";
export * from "./mail.ts";
export * from "./mail-security.ts";
export * from "./observatory.ts";
export * from "./oncall.ts";
export * from "./permissions.ts";
export * from "./publications.ts";
export * from "./reflex-sheets.ts";
export * from "./registration.ts";
export * from "./roles.ts";
export * from "./taxonomy.ts";
export * from "./watch.ts";
export * from "./watch-matching.ts";
export * from "./watch-tickets.ts";

// Validation messages in French everywhere zod is used (server, web, CLI).
z.config(z.locales.fr());
