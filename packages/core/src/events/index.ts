export * from "./manage-events.ts";
export * from "./present.ts";
export * from "./read-events.ts";
export * from "./send-event-message.ts";
export * from "./shared-analysis.ts";
