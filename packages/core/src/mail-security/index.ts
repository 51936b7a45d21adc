export * from "./campaigns.ts";
export * from "./filtering/battery.ts";
export * from "./filtering/imap-check.ts";
export * from "./filtering/send-battery.ts";
export * from "./mail-guard.ts";
export * from "./posture/test-mail-posture.ts";
export * from "./posture-tests.ts";
export * from "./scope.ts";
