export * from "./ack-link.ts";
export * from "./notify-structures.ts";
export * from "./watch-mail.ts";
