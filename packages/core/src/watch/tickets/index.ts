export * from "./close-tickets-of-asset.ts";
export * from "./present-ticket.ts";
export * from "./read-tickets.ts";
export * from "./transition-tickets.ts";
