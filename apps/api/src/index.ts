export * from "./app.ts";
export * from "./plugins/auth.ts";
export * from "./types.ts";
