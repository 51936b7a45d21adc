export * from "./access.ts";
export * from "./import-assets.ts";
export * from "./manage-assets.ts";
export * from "./validate-asset.ts";
