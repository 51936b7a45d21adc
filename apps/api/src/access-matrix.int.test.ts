import { randomUUID } from "node:crypto";
import { loadConfig } from "@vigie/config";
import { type Permission, permissions, type Role, roles } from "@vigie/contracts";
import { rolePermissions } from "@vigie/core";
import {
  createStructure,
  createTestApp,
  createUser,
  type SessionHeaders,
  signIn,
  type TestUser,
} from "@vigie/test-kit";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, type TypedApp } from "./app.ts";
import { type CatalogueRoute, listRoutes } from "./route-catalogue.ts";

/**
 * The role × route matrix, generated from the app itself: every /api route, every role and
 * anonymous. A new route is covered the moment it is registered.
 */

const t = await createTestApp();
const validAccess = new Set<string>(["public", "partial", "authenticated", ...permissions]);

// Routes that end the caller's session run last, so they do not sign the others out.
const endsSession = (route: CatalogueRoute) =>
  route.method !== "GET" && /logout|sign-?out|session/.test(route.url);
const apiRoutes = listRoutes(t.app)
  .filter((r) => r.url.startsWith("/api/") && !r.url.startsWith("/api/docs") && r.method !== "HEAD")
  .sort((a, b) => Number(endsSession(a)) - Number(endsSession(b)));

const users = {} as Record<Role, TestUser>;
const sessions = {} as Record<Role, SessionHeaders>;

beforeAll(async () => {
  const db = t.database.db;
  const structure = await createStructure(db);
  for (const role of roles) {
    users[role] = await createUser(db, role, role === "declarant" ? { structureIds: [structure.id] } : {});
  }
  // Each role signs in once, through the real login endpoints.
  for (const role of roles) sessions[role] = await signIn(t, users[role]);
});
afterAll(async () => {
  await t.close();
});

function requestFor(route: CatalogueRoute, headers: Record<string, string>): InjectOptions {
  const url = route.url.replace(/:[A-Za-z0-9_]+/g, () => randomUUID()).replace(/\*$/, "x");
  const withBody = ["POST", "PUT", "PATCH"].includes(route.method);
  return {
    method: route.method as InjectOptions["method"],
    url,
    headers,
    ...(withBody ? { payload: {} } : {}),
  };
}

interface Outcome {
  status: number;
  code: string | undefined;
}

async function send(route: CatalogueRoute, headers: Record<string, string>): Promise<Outcome> {
  const response = await t.app.inject(requestFor(route, headers));
  let code: string | undefined;
  try {
    code = (response.json() as { error?: { code?: string } }).error?.code;
  } catch {
    code = undefined;
  }
  return { status: response.statusCode, code };
}

/** Whether the role passes the route's access check ("public" routes: anyone). */
function allowed(role: Role, access: string): boolean {
  if (access === "public" || access === "partial" || access === "authenticated") return true;
  return rolePermissions[role].includes(access as Permission);
}

describe("role × route access matrix", () => {
  it("finds the application's routes", () => {
    expect(apiRoutes.length).toBeGreaterThan(0);
    const urls = apiRoutes.map((r) => `${r.method} ${r.url}`);
    expect(urls).toEqual(
      expect.arrayContaining(["GET /api/audit", "POST /api/tokens", "DELETE /api/tokens/:id"]),
    );
  });

  it("every /api route declares a valid access", () => {
    const undeclared = apiRoutes.filter((r) => r.access === undefined || !validAccess.has(r.access));
    expect(undeclared).toEqual([]);
  });

  it("refuses to start with an /api route that does not declare its access", async () => {
    const app: TypedApp = await buildApp({
      config: loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", VIGIE_NO_DEMO: "true" }),
      database: t.database,
      clock: () => new Date(),
    });
    app.register(
      async (api) => {
        api.get("/sans-acces", async () => ({ ok: true }));
      },
      { prefix: "/api" },
    );
    await expect(app.ready()).rejects.toThrow(
      "La route GET /api/sans-acces ne déclare pas son accès (config.access).",
    );
    await app.close().catch(() => undefined);
  });

  it.each(apiRoutes.map((r) => [`${r.method} ${r.url} (${r.access})`, r] as const))(
    "%s",
    async (_name, route) => {
      const access = route.access ?? "";
      const mismatches: string[] = [];

      const anonymous = await send(route, {});
      if (access === "public") {
        if (anonymous.code === "FORBIDDEN")
          mismatches.push(`anonyme : ${anonymous.status} ${anonymous.code}`);
      } else if (anonymous.status !== 401) {
        mismatches.push(`anonyme : attendu 401, reçu ${anonymous.status} ${anonymous.code ?? ""}`);
      }

      for (const role of roles) {
        let outcome = await send(route, sessions[role]);
        if (outcome.status === 401 && access !== "public") {
          // A route run earlier may have ended this session (logout): sign in again, retry once.
          sessions[role] = await signIn(t, users[role]);
          outcome = await send(route, sessions[role]);
        }
        if (allowed(role, access)) {
          if (access !== "public" && (outcome.status === 401 || outcome.status === 403)) {
            mismatches.push(`${role} : autorisé, reçu ${outcome.status} ${outcome.code ?? ""}`);
          }
          if (outcome.code === "FORBIDDEN") mismatches.push(`${role} : autorisé, reçu FORBIDDEN`);
        } else if (outcome.status !== 403 || outcome.code !== "FORBIDDEN") {
          mismatches.push(`${role} : attendu 403 FORBIDDEN, reçu ${outcome.status} ${outcome.code ?? ""}`);
        }
      }
      expect(mismatches).toEqual([]);
    },
  );
});
