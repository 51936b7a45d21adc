import { buildApp, CSRF_HEADER, SESSION_COOKIE, type TypedApp } from "@vigie/api";
import { loadConfig } from "@vigie/config";
import { AttachmentCipher } from "@vigie/core";
import { TOTP } from "otpauth";
import { createTestDatabase, type TestDatabase } from "./database.ts";
import type { TestUser } from "./factories.ts";

/** The fixed attachments key of test apps (base64 of 32 bytes), so tests can decrypt what they read. */
export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");

/** An API on a fresh database, with a clock tests can move. */
export interface TestApp {
  app: TypedApp;
  database: TestDatabase;
  clock: { now: Date; advance(ms: number): void };
  close(): Promise<void>;
}

/** Builds the API on a fresh, migrated database (PGlite or PostgreSQL per the environment). */
export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const clock = {
    now: new Date(),
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    VIGIE_NO_DEMO: "true",
    RATE_LIMIT_SCALE: "100",
    ...env,
  });
  const attachmentCipher = new AttachmentCipher([Buffer.from(TEST_ENCRYPTION_KEY, "base64")]);
  const app = await buildApp({ config, database, clock: () => clock.now, attachmentCipher });
  await app.ready();
  return {
    app,
    database,
    clock,
    close: async () => {
      await app.close();
      await database.destroy();
    },
  };
}

/** The current TOTP code of a secret. */
export function totpCode(secret: string, at: Date = new Date()): string {
  return new TOTP({ secret, digits: 6, period: 30, algorithm: "SHA1" }).generate({ timestamp: at.getTime() });
}

/** Headers of a signed-in session: its cookie and CSRF token. */
export type SessionHeaders = Record<string, string>;

/**
 * Signs a user in through the real login endpoints (password, then TOTP when enabled) and
 * returns the headers to send with later requests.
 */
export async function signIn(testApp: TestApp, user: TestUser): Promise<SessionHeaders> {
  const login = await testApp.app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { email: user.email, password: user.password },
  });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
  const cookie = login.cookies.find((c) => c.name === SESSION_COOKIE);
  if (!cookie) throw new Error("no session cookie");
  const body = login.json() as { csrfToken: string; stage: string };
  const headers: SessionHeaders = {
    cookie: `${SESSION_COOKIE}=${cookie.value}`,
    [CSRF_HEADER]: body.csrfToken,
  };
  if (body.stage === "mfa_required" && user.totpSecret) {
    const verify = await testApp.app.inject({
      method: "POST",
      url: "/api/auth/totp/verify",
      headers,
      payload: { code: totpCode(user.totpSecret, testApp.clock.now) },
    });
    if (verify.statusCode !== 200) throw new Error(`totp failed: ${verify.statusCode} ${verify.body}`);
  }
  return headers;
}
