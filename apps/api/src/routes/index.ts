import type { AppDeps, TypedApp } from "../app.ts";

/** Every /api route module, registered under the /api prefix. */
export async function apiRoutes(app: TypedApp, deps: AppDeps): Promise<void> {
  void app;
  void deps;
}
