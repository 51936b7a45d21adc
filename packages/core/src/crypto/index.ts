export * from "./attachment-cipher.ts";
export * from "./resolve-key.ts";
