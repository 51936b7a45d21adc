export * from "./cpe.ts";
export * from "./match.ts";
export * from "./run-matching.ts";
export * from "./versions.ts";
