export * from "./manage-reflex-sheets.ts";
export * from "./present.ts";
export * from "./read-reflex-sheets.ts";
export * from "./seed-reflex-sheets.ts";
export * from "./send-reflex-sheet.ts";
export * from "./starter-library.ts";
