export * from "./boss.ts";
export * from "./clocks.ts";
export * from "./complements.ts";
export * from "./definition.ts";
export * from "./housekeeping.ts";
export * from "./indicators.ts";
export * from "./mail.ts";
export * from "./oncall.ts";
