import type { FastifyInstance } from "fastify";
import type { RouteAccess } from "./types.ts";

/** One route of the application and the access it declares. */
export interface CatalogueRoute {
  method: string;
  url: string;
  access: RouteAccess | undefined;
}

const catalogues = new WeakMap<FastifyInstance, CatalogueRoute[]>();

/**
 * Records every route registered from now on (hooks reach child plugins registered later),
 * so tests and tooling can enumerate what the app serves, e.g. the role × route matrix.
 */
export function registerRouteCatalogue(app: FastifyInstance): void {
  const routes: CatalogueRoute[] = [];
  catalogues.set(app, routes);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) {
      routes.push({ method, url: route.url, access: route.config?.access });
    }
  });
}

/** The routes of an app built by `buildApp`, in registration order. */
export function listRoutes(app: FastifyInstance): readonly CatalogueRoute[] {
  const routes = catalogues.get(app);
  if (!routes)
    throw new Error("Catalogue des routes absent : l'application n'a pas été construite par buildApp.");
  return routes;
}
