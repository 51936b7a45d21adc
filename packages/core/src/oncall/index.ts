export * from "./dispatch-pages.ts";
export * from "./manage-shifts.ts";
export * from "./page-oncall.ts";
export * from "./pages.ts";
export * from "./settings.ts";
