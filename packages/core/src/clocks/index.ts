export * from "./deadlines.ts";
export * from "./journal.ts";
export * from "./mails.ts";
export * from "./manage-clocks.ts";
export * from "./open-clocks.ts";
export * from "./remind-clocks.ts";
