export * from "./ct-import.ts";
export * from "./perimeter.ts";
export * from "./present.ts";
export * from "./report/index.ts";
export * from "./run-audit.ts";
export * from "./schedule.ts";
export * from "./stats.ts";
