export * from "./attachment-view.ts";
export * from "./claim.ts";
export * from "./download.ts";
export * from "./file-checks.ts";
export * from "./file-name.ts";
export * from "./upload.ts";
