export * from "./app.ts";
export * from "./database.ts";
export * from "./factories.ts";
export * from "./files.ts";
export * from "./targets/knot.ts";
