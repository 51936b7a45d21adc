export * from "./authority-cases.ts";
export * from "./regional-dashboard.ts";
