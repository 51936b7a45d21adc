export * from "./canonical.ts";
export * from "./export-incidents.ts";
export * from "./import-incidents.ts";
export * from "./parse-incident-file.ts";
export * from "./problems.ts";
export * from "./validate-record.ts";
