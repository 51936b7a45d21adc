export * from "./contacts.ts";
export * from "./dry-run.ts";
export * from "./facts.ts";
export * from "./proposals.ts";
export * from "./rule-sets.ts";
export * from "./rules.ts";
export * from "./send-alert.ts";
export * from "./templates.ts";
