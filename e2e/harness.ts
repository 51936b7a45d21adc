import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { buildApp, type TypedApp } from "@vigie/api";
import { loadConfig } from "@vigie/config";
import type { Role } from "@vigie/contracts";
import { AttachmentCipher } from "@vigie/core";
import {
  createStructure,
  createTestDatabase,
  createUser,
  TEST_ENCRYPTION_KEY,
  type TestDatabase,
  type TestUser,
  totpCode,
} from "@vigie/test-kit";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Locator,
  type Page,
} from "playwright-core";
import { expect } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
/** The built web app the API serves (npm run build:web). */
export const WEB_ROOT = resolve(here, "../apps/web/dist");
export const CHROMIUM_PATH = process.env.VIGIE_CHROMIUM ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-quic",
  "--no-first-run",
  "--disable-sync",
];

/**
 * Whether the journeys can run. Without Chromium they fail in CI (a silent skip there would
 * hide a broken pipeline) and are skipped with a visible warning on a developer machine.
 */
export const browserAvailable: boolean = (() => {
  if (existsSync(CHROMIUM_PATH)) return true;
  const message = `Chromium introuvable (${CHROMIUM_PATH}) : installez-le avec « apt-get install -y chromium » ou indiquez son chemin dans VIGIE_CHROMIUM.`;
  if (process.env.CI === "true")
    throw new Error(`${message} Les tests de bout en bout ne peuvent pas être ignorés en CI.`);
  console.warn(`\n⚠️  TESTS DE BOUT EN BOUT IGNORÉS — ${message}\n`);
  return false;
})();

/** The seeded directory. */
export interface SeededStructures {
  home: { id: string; finessEt: string; name: string };
  lyon: { id: string; finessEt: string; name: string };
  ehpad: { id: string; finessEt: string; name: string };
  lab: { id: string; finessEt: string; name: string };
}

/** One account per role (MFA on for every role but declarant) and a privileged one still to enrol. */
export type SeededUsers = Record<Role, TestUser> & { enrolling: TestUser };

export interface Harness {
  baseUrl: string;
  app: TypedApp;
  database: TestDatabase;
  browser: Browser;
  structures: SeededStructures;
  users: SeededUsers;
  /**
   * A fresh browser context (own cookies) and page, watched for CSP violations and crashes.
   * Options override the context's (e.g. `phone` for a 360 px touch screen).
   */
  newPage(options?: BrowserContextOptions): Promise<WatchedPage>;
  close(): Promise<void>;
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** CSP violations, uncaught exceptions and console errors other than expected HTTP statuses. */
  problems: string[];
}

/**
 * Starts the real API (buildApp) on a fresh database with the built web app, listening on
 * 127.0.0.1 on a free port, seeds regions, structures and users, and launches Chromium.
 */
export async function startHarness(): Promise<Harness> {
  if (!existsSync(join(WEB_ROOT, "index.html"))) {
    throw new Error(`Application web non construite (${WEB_ROOT}) : lancez « npm run build:web » d'abord.`);
  }
  const database = await createTestDatabase();
  const db = database.db;
  const home = await createStructure(db, {
    name: "Centre hospitalier de Vigie-sur-Mer",
    regionCode: "11",
    departmentCode: "92",
    town: "VIGIE-SUR-MER",
    mailDomains: ["ch-vigie.fr"],
  });
  const lyon = await createStructure(db, {
    name: "Hôpital de la Croix-Rousse",
    regionCode: "84",
    departmentCode: "69",
    town: "LYON",
  });
  const ehpad = await createStructure(db, {
    name: "EHPAD Les Tilleuls",
    regionCode: "11",
    departmentCode: "75",
    town: "PARIS",
    structureType: "esms",
  });
  const lab = await createStructure(db, {
    name: "Laboratoire de biologie Pasteur",
    regionCode: "84",
    departmentCode: "69",
    town: "VILLEURBANNE",
    structureType: "lbm",
  });
  const users: SeededUsers = {
    declarant: await createUser(db, "declarant", {
      email: "rssi@ch-vigie.fr",
      structureIds: [home.id],
    }),
    cert_analyst: await createUser(db, "cert_analyst", { email: "analyste@cert-sante.test" }),
    cert_lead: await createUser(db, "cert_lead", { email: "responsable@cert-sante.test" }),
    ars: await createUser(db, "ars", { email: "ars@ars-idf.test", regionCode: "11" }),
    authority: await createUser(db, "authority", { email: "veille@anssi.test", authority: "anssi" }),
    admin: await createUser(db, "admin", { email: "admin@cert-sante.test" }),
    enrolling: await createUser(db, "cert_analyst", { email: "nouvel.analyste@cert-sante.test", mfa: false }),
  };

  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    VIGIE_NO_DEMO: "true",
    HOST: "127.0.0.1",
    PORT: "0",
  });
  const attachmentCipher = new AttachmentCipher([Buffer.from(TEST_ENCRYPTION_KEY, "base64")]);
  const app = await buildApp({
    config,
    database,
    clock: () => new Date(),
    webRoot: WEB_ROOT,
    attachmentCipher,
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  if (!address || typeof address === "string") throw new Error("adresse d'écoute inattendue");
  // localhost, not 127.0.0.1: browsers accept Secure cookies over plain HTTP only there.
  const baseUrl = `http://localhost:${address.port}`;

  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

  return {
    baseUrl,
    app,
    database,
    browser,
    structures: { home, lyon, ehpad, lab },
    users,
    async newPage(options?: BrowserContextOptions) {
      const context = await browser.newContext({
        baseURL: baseUrl,
        locale: "fr-FR",
        timezoneId: "Europe/Paris",
        ...options,
      });
      const page = await context.newPage();
      const problems: string[] = [];
      page.on("pageerror", (error) => problems.push(`exception : ${error.message}`));
      page.on("console", (message) => {
        if (message.type() !== "error") return;
        const text = message.text();
        // 401 on the session probe, 4xx answers the UI handles: expected, not problems.
        if (/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return;
        problems.push(`console : ${text}`);
      });
      return { context, page, problems };
    },
    async close() {
      await browser.close().catch(() => undefined);
      await app.close().catch(() => undefined);
      await database.destroy().catch(() => undefined);
    },
  };
}

/** A small phone: 360 × 740 CSS pixels, touch screen (the declarant at 3 a.m.). */
export const phone: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

// A TOTP code is accepted once: remember the 30-second step last used per secret, and wait
// for the next one when a journey signs the same user in twice.
const usedSteps = new Map<string, number>();

/** The next unused TOTP code of a secret (waits for a new 30 s step if needed). */
export async function freshTotp(secret: string): Promise<string> {
  let step = Math.floor(Date.now() / 30_000);
  if (usedSteps.get(secret) === step) {
    await new Promise((r) => setTimeout(r, (step + 1) * 30_000 - Date.now() + 200));
    step = Math.floor(Date.now() / 30_000);
  }
  usedSteps.set(secret, step);
  return totpCode(secret, new Date());
}

/** Signs in through the login page: password, then the TOTP code when the account has MFA. */
export async function signIn(page: Page, user: TestUser): Promise<void> {
  await page.goto("/connexion");
  await page.locator("#login-email").fill(user.email);
  await page.locator("#login-password").fill(user.password);
  await page.getByRole("button", { name: "Se connecter", exact: true }).click();
  if (user.totpSecret) {
    await page.getByRole("heading", { name: "Code de vérification" }).waitFor();
    await page.locator("#login-totp").fill(await freshTotp(user.totpSecret));
    await page.getByRole("button", { name: "Valider" }).click();
  }
  await page.getByRole("heading", { level: 1, name: /^Bonjour/ }).waitFor();
}

/** A new page signed in as `user`, waiting up to 15 s for what it looks for. */
export async function signedInPage(h: Harness, user: TestUser): Promise<WatchedPage> {
  const watched = await h.newPage();
  watched.page.setDefaultTimeout(15_000);
  await signIn(watched.page, user);
  return watched;
}

/**
 * Follows an entry of the main navigation — opening its menu first when it has one — and waits
 * for the page's title (the entry's name unless told).
 */
export async function navigateTo(
  page: Page,
  entry: string,
  options: { menu?: string; heading?: string } = {},
) {
  const nav = page.locator("#en-tete-main-navigation");
  if (options.menu) await nav.getByRole("button", { name: options.menu, exact: true }).click();
  await nav.getByRole("link", { name: entry, exact: true }).click();
  await expectText(page.getByRole("heading", { level: 1 }), options.heading ?? entry);
}

/** Runs axe on the page and fails with a readable list of violations. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  if (results.violations.length > 0) {
    const report = results.violations
      .map(
        (v) =>
          `- [${v.impact}] ${v.id} : ${v.help}\n${v.nodes
            .slice(0, 5)
            .map((n) => `    ${n.target.join(" ")} — ${n.failureSummary?.replaceAll("\n", " ")}`)
            .join("\n")}`,
      )
      .join("\n");
    console.error(`Violations d'accessibilité sur « ${label} » (${page.url()}) :\n${report}`);
  }
  expect(results.violations, `violations axe sur « ${label} »`).toEqual([]);
}

/** Saves a screenshot when VIGIE_E2E_SCREENSHOTS names a folder (for visual review). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const folder = process.env.VIGIE_E2E_SCREENSHOTS;
  if (!folder) return;
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
}

/** Fails when the page reported CSP violations, exceptions or unexpected console errors. */
export function expectNoProblems(watched: WatchedPage): void {
  expect(watched.problems, "erreurs de la console du navigateur").toEqual([]);
}

/** Waits until the locator is visible (playwright-core has no web-first assertions). */
export async function visible(locator: Locator, timeout = 10_000): Promise<void> {
  await locator.first().waitFor({ state: "visible", timeout });
}

/** Polls the text of the (first) element until it matches. */
export async function expectText(
  locator: Locator,
  expected: string | RegExp,
  timeout = 10_000,
): Promise<void> {
  const poll = expect.poll(async () => ((await locator.first().textContent({ timeout })) ?? "").trim(), {
    timeout,
  });
  if (typeof expected === "string") await poll.toBe(expected);
  else await poll.toMatch(expected);
}

/** Polls until the element has the focus. */
export async function expectFocused(locator: Locator, timeout = 5_000): Promise<void> {
  await expect
    .poll(() => locator.first().evaluate((el) => el === document.activeElement), { timeout })
    .toBe(true);
}
