import { grantableScopes } from "@vigie/core";
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

describe.skipIf(!browserAvailable)("annuaire et compte", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("un déclarant cherche dans l'annuaire et ouvre la fiche de sa structure", async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await signIn(page, h.users.declarant);
    await page
      .getByRole("navigation", { name: "Menu principal" })
      .getByRole("link", { name: "Annuaire" })
      .click();
    await expectText(page.getByRole("heading", { level: 1 }), "Annuaire des structures");
    // After a client-side navigation the focus moves to the new page's title.
    await expectFocused(page.getByRole("heading", { level: 1 }));
    expect(await page.title()).toBe("Annuaire des structures — Vigie — CERT Santé");
    await page.locator("#directory-q").fill("vigie");
    await page.getByRole("button", { name: "Rechercher" }).click();
    const link = page.getByRole("link", { name: h.structures.home.name });
    await visible(link);
    // A declarant's directory holds only their own structures.
    expect(await page.getByRole("link", { name: h.structures.lyon.name }).count()).toBe(0);
    await screenshot(page, "annuaire-declarant");
    await expectAccessible(page, "annuaire (liste)");
    await link.click();
    await expectText(page.getByRole("heading", { level: 1 }), h.structures.home.name);
    await visible(page.getByText(h.structures.home.finessEt, { exact: true }));
    expect(await page.title()).toBe(`${h.structures.home.name} — Annuaire — Vigie — CERT Santé`);
    expect(await page.getByRole("button", { name: "Modifier la fiche" }).count()).toBe(0);
    await expectAccessible(page, "annuaire (fiche)");
    expectNoProblems(watched);
    await watched.context.close();
  });

  it("un déclarant gère son compte : jeton d'API et double authentification", async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await signIn(page, h.users.declarant);
    await page.goto("/compte");
    await expectText(page.getByRole("heading", { level: 1 }), "Mon compte");
    await visible(page.getByText("au moins 12 caractères"));
    await expectAccessible(page, "mon compte");

    // Token scopes are limited to the user's own permissions, minus token management.
    const scopes = page.locator("input[name='scopes']");
    const offered = await scopes.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
    expect(offered.sort()).toEqual([...grantableScopes("declarant")].sort());
    expect(offered).not.toContain("tokens:manage");
    await page.locator("#token-name").fill("Supervision SOC");
    await page.getByRole("button", { name: "Créer le jeton" }).click();
    await visible(page.getByText("Choisissez au moins une autorisation."));
    expect(await page.locator("#token-name").inputValue()).toBe("Supervision SOC");
    await page.getByLabel("Consulter les fiches des structures").check({ force: true });
    await page.getByRole("button", { name: "Créer le jeton" }).click();
    const secret = page.locator("#new-token-secret");
    await visible(secret);
    expect(((await secret.textContent()) ?? "").length).toBeGreaterThan(20);
    await visible(page.getByRole("button", { name: "Copier le jeton" }));
    await expectAccessible(page, "mon compte — jeton créé");
    await page.getByRole("button", { name: "Révoquer le jeton Supervision SOC" }).click();
    await page.getByRole("button", { name: "Confirmer la révocation" }).click();
    await visible(page.getByText("Le jeton « Supervision SOC » est révoqué."));

    // Optional MFA for a declarant: enrol from the account page.
    await page.getByRole("button", { name: "Activer la double authentification" }).click();
    const key = page.locator("#totp-secret");
    await visible(key);
    const totpSecret = ((await key.textContent()) ?? "").replace(/\s+/g, "");
    await page.locator("#totp-enrol-code").fill(await freshTotp(totpSecret));
    await page.getByRole("button", { name: "Activer la double authentification" }).click();
    await visible(page.getByText("La double authentification est activée."));
    await screenshot(page, "compte-declarant");
    expectNoProblems(watched);
    await watched.context.close();
  });

  it("un analyste complète la fiche d'une structure", async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await signIn(page, h.users.cert_analyst);
    await page.goto("/annuaire");
    await visible(page.getByRole("link", { name: h.structures.lyon.name }));
    await page.locator("#directory-region").selectOption("84");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await expect.poll(() => page.getByRole("link", { name: h.structures.ehpad.name }).count()).toBe(0);
    await screenshot(page, "annuaire-analyste");
    await page.getByRole("link", { name: h.structures.lyon.name }).click();
    await expectText(page.getByRole("heading", { level: 1 }), h.structures.lyon.name);
    await page.getByRole("button", { name: "Modifier la fiche" }).click();
    await page.locator("#structure-ght").fill("mauvais");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await visible(page.getByText("Code GHT attendu au format ARA-01."));
    await expectAccessible(page, "fiche structure — erreurs");
    await page.locator("#structure-ght").fill("ARA-01");
    await page.locator("#structure-domains").fill("chu-croix-rousse.fr");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await visible(page.getByText("La fiche a été mise à jour."));
    await visible(page.getByText("chu-croix-rousse.fr"));
    await expectAccessible(page, "fiche structure (analyste)");
    expectNoProblems(watched);
    await watched.context.close();
  });
});
