export * from "./app.ts";
export * from "./plugins/auth.ts";
export * from "./plugins/session-cookie.ts";
export * from "./types.ts";
export * from "./logger.ts";
export * from "./server.ts";
