export * from "./errors.ts";
export * from "./permissions.ts";
export * from "./roles.ts";

import { z } from "zod";

// Validation messages in French everywhere zod is used (server, web, CLI).
z.config(z.locales.fr());
