export * from "./app.ts";
export * from "./logger.ts";
export * from "./plugins/auth.ts";
export * from "./plugins/session-cookie.ts";
export * from "./server.ts";
export * from "./types.ts";
