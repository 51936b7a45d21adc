export * from "./extract.ts";
export * from "./extract-pending.ts";
export * from "./manage-indicators.ts";
