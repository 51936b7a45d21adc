export * from "./boss.ts";
