export * from "./feeds.ts";
export * from "./manage-publications.ts";
export * from "./present.ts";
export * from "./read-publications.ts";
export * from "./visibility.ts";
