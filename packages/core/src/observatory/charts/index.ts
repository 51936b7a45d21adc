export * from "./charts.ts";
export * from "./charts-for.ts";
