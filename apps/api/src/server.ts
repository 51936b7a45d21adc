import type { AppDeps } from "./app.ts";
import { buildApp, type TypedApp } from "./app.ts";

/** Builds the app and listens on the configured host and port; returns the app and its URL. */
export async function listen(deps: AppDeps): Promise<{ app: TypedApp; url: string }> {
  const app = await buildApp(deps);
  const address = await app.listen({ host: deps.config.HOST, port: deps.config.PORT });
  return { app, url: address };
}
