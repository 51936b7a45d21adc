export * from "./import-leaked-credentials.ts";
export * from "./list-leak-imports.ts";
export * from "./parse-leak-list.ts";
