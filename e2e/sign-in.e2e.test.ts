import type { Role } from "@vigie/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserAvailable,
  expectAccessible,
  expectFocused,
  expectNoProblems,
  expectText,
  freshTotp,
  type Harness,
  screenshot,
  signIn,
  startHarness,
  visible,
} from "./harness.ts";

/** What each role's home page must show once signed in. */
const homes: Record<Role, { role: string; heading: string | RegExp }> = {
  declarant: { role: "Déclarant", heading: "Vos structures" },
  cert_analyst: { role: "Analyste CERT", heading: "Votre activité" },
  cert_lead: { role: "Responsable CERT", heading: "Votre activité" },
  ars: { role: "Agence régionale de santé", heading: /Votre région : Île-de-France/ },
  authority: { role: "Autorité nationale", heading: "Votre organisme" },
  admin: { role: "Administrateur", heading: "Administration de la plateforme" },
};

describe.skipIf(!browserAvailable)("connexion", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("la page de connexion est accessible et sans erreur de CSP", async () => {
    const watched = await h.newPage();
    const { page } = watched;
    const response = await page.goto("/connexion");
    // The page runs under the strict CSP: any inline script would show up as a problem below.
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
    await expectText(page.getByRole("heading", { level: 1 }), "Connexion à Vigie");
    expect(await page.title()).toBe("Connexion — Vigie — CERT Santé");
    await visible(page.getByRole("link", { name: /Accessibilité : non conforme/ }));
    await screenshot(page, "connexion");
    await expectAccessible(page, "connexion");
    expectNoProblems(watched);
    await watched.context.close();
  });

  it("un mot de passe erroné affiche l'erreur en français, sans perdre l'adresse saisie", async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await page.goto("/connexion");
    await page.locator("#login-email").fill(h.users.cert_analyst.email);
    await page.locator("#login-password").fill("ce-n-est-pas-le-bon-mot-de-passe");
    await page.getByRole("button", { name: "Se connecter", exact: true }).click();
    const summary = page.locator(".vigie-error-summary");
    await expectText(summary, /Adresse électronique ou mot de passe incorrect\./);
    await expectFocused(summary);
    expect(await page.locator("#login-email").inputValue()).toBe(h.users.cert_analyst.email);
    await expectAccessible(page, "connexion — erreur");
    expectNoProblems(watched);
    await watched.context.close();
  });

  it("un champ vide est signalé à côté du champ et dans le récapitulatif", async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await page.goto("/connexion");
    await page.locator("#login-email").fill("pas-une-adresse");
    await page.getByRole("button", { name: "Se connecter", exact: true }).click();
    const email = page.locator("#login-email");
    await expect.poll(() => email.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await email.getAttribute("aria-describedby")) ?? "";
    expect(describedBy).not.toBe("");
    await visible(page.locator(".vigie-error-summary a[href='#login-email']"));
    await expectAccessible(page, "connexion — erreurs de saisie");
    await watched.context.close();
  });

  for (const role of Object.keys(homes) as Role[]) {
    it(`${role} se connecte et arrive sur son accueil`, async () => {
      const watched = await h.newPage();
      const { page } = watched;
      if (h.users[role].totpSecret) {
        // Check the TOTP step on the way (once is enough for accessibility).
        await page.goto("/connexion");
        await page.locator("#login-email").fill(h.users[role].email);
        await page.locator("#login-password").fill(h.users[role].password);
        await page.getByRole("button", { name: "Se connecter", exact: true }).click();
        await visible(page.getByRole("heading", { name: "Code de vérification" }));
        if (role === "cert_analyst") await expectAccessible(page, "connexion — code TOTP");
        await page.locator("#login-totp").fill(await freshTotp(h.users[role].totpSecret as string));
        await page.getByRole("button", { name: "Valider" }).click();
      } else {
        await signIn(page, h.users[role]);
      }
      await expectText(page.getByRole("heading", { level: 1 }), /^Bonjour Utilisateur/);
      await expectText(page.locator("#role-courant"), new RegExp(homes[role].role));
      await visible(page.getByRole("heading", { level: 2, name: homes[role].heading }));
      expect(await page.title()).toBe("Accueil — Vigie — CERT Santé");
      if (role === "declarant") {
        await visible(page.getByRole("link", { name: h.structures.home.name }));
        await visible(page.getByText("Rattachement actif"));
      }
      if (role === "authority") {
        await visible(page.getByText(/ne voyez que ce qui est transmis à votre organisme/));
        expect(await page.getByRole("link", { name: "Annuaire", exact: true }).count()).toBe(0);
      }
      if (role === "admin") {
        for (const name of ["Utilisateurs", "Journal d'audit", "Courriels émis"]) {
          await visible(page.getByRole("heading", { level: 3, name }));
        }
      }
      await screenshot(page, `accueil-${role}`);
      await expectAccessible(page, `accueil ${role}`);
      expectNoProblems(watched);
      await watched.context.close();
    });
  }

  it("un compte à privilèges sans double authentification l'active à la connexion", async () => {
    const watched = await h.newPage();
    const { page } = watched;
    const user = h.users.enrolling;
    await page.goto("/connexion");
    await page.locator("#login-email").fill(user.email);
    await page.locator("#login-password").fill(user.password);
    await page.getByRole("button", { name: "Se connecter", exact: true }).click();
    await visible(page.getByRole("heading", { name: "Activer la double authentification" }));
    const secretElement = page.locator("#totp-secret");
    await visible(secretElement);
    await visible(page.getByRole("img", { name: /Code QR/ }));
    await screenshot(page, "enrolement");
    await expectAccessible(page, "activation de la double authentification");
    // Read the key as a user would copy it by hand: the groups of four, spaces removed.
    const secret = ((await secretElement.textContent()) ?? "").replace(/\s+/g, "");
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await page.locator("#totp-enrol-code").fill(await freshTotp(secret));
    await page.getByRole("button", { name: "Activer la double authentification" }).click();
    await expectText(page.getByRole("heading", { level: 1 }), /^Bonjour/);
    expectNoProblems(watched);
    await watched.context.close();
  });

  it("la déclaration d'accessibilité et la page 404 sont accessibles", async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await page.goto("/connexion");
    await page.getByRole("link", { name: /Accessibilité : non conforme/ }).click();
    await expectText(page.getByRole("heading", { level: 1 }), "Déclaration d'accessibilité");
    await visible(page.getByText(/non conforme/).first());
    expect(await page.title()).toBe("Déclaration d'accessibilité — Vigie — CERT Santé");
    await expectAccessible(page, "déclaration d'accessibilité");
    await page.goto("/cette-page-n-existe-pas");
    await expectText(page.getByRole("heading", { level: 1 }), "Page non trouvée");
    expect(await page.title()).toBe("Page non trouvée — Vigie — CERT Santé");
    await expectAccessible(page, "page 404");
    await page.goto("/mentions-legales");
    await expectText(page.getByRole("heading", { level: 1 }), "Mentions légales");
    await expectAccessible(page, "mentions légales");
    expectNoProblems(watched);
    await watched.context.close();
  });

  it("une page protégée renvoie à la connexion, y ramène, et la déconnexion la referme", async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await page.goto("/compte");
    await expectText(page.getByRole("heading", { level: 1 }), "Connexion à Vigie");
    await page.locator("#login-email").fill(h.users.declarant.email);
    await page.locator("#login-password").fill(h.users.declarant.password);
    await page.getByRole("button", { name: "Se connecter", exact: true }).click();
    await expectText(page.getByRole("heading", { level: 1 }), "Mon compte");
    expect(new URL(page.url()).pathname).toBe("/compte");
    await page.getByRole("button", { name: "Se déconnecter" }).first().click();
    await visible(page.getByText("Vous êtes déconnecté."));
    await page.goto("/compte");
    await expectText(page.getByRole("heading", { level: 1 }), "Connexion à Vigie");
    expectNoProblems(watched);
    await watched.context.close();
  });
});
