import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserAvailable,
  expectAccessible,
  expectNoProblems,
  expectText,
  type Harness,
  screenshot,
  signIn,
  startHarness,
  visible,
} from "./harness.ts";

describe.skipIf(!browserAvailable)("administration", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("un administrateur crée un compte, puis consulte le journal et les courriels", async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await signIn(page, h.users.admin);

    await page.goto("/admin/utilisateurs");
    await expectText(page.getByRole("heading", { level: 1 }), "Utilisateurs");
    await visible(page.getByRole("link", { name: "Utilisateur declarant", exact: false }));
    await screenshot(page, "admin-utilisateurs");
    await expectAccessible(page, "utilisateurs");

    await page.getByRole("link", { name: "Créer un compte" }).click();
    await expectText(page.getByRole("heading", { level: 1 }), "Créer un compte");
    await expectAccessible(page, "créer un compte");
    await page.locator("#user-fullname").fill("Camille Martin");
    await page.locator("#user-email").fill("camille.martin@ars-idf.test");
    await page.locator("#user-role").selectOption("ars");
    // Too short for a privileged role: checked before sending, nothing typed is lost.
    await page.locator("#user-password").fill("court");
    await page.getByRole("button", { name: "Créer le compte" }).click();
    await visible(page.getByText("Choisissez la région de l'ARS.").first());
    await visible(page.getByText(/au moins 16 caractères pour ce rôle/).first());
    expect(await page.locator("#user-fullname").inputValue()).toBe("Camille Martin");
    await expectAccessible(page, "créer un compte — erreurs");
    await page.locator("#user-region").selectOption("11");
    await page.locator("#user-password").fill("Un-Cheval-Bleu-Traverse-La-Seine-42");
    await page.getByRole("button", { name: "Créer le compte" }).click();
    await expectText(page.getByRole("heading", { level: 1 }), "Camille Martin");
    await visible(page.getByText("Le compte a été créé."));
    await visible(page.getByText("Île-de-France").first());
    await expectAccessible(page, "fiche d'un compte");

    // Same address again: the server's answer lands next to the e-mail field.
    await page.goto("/admin/utilisateurs/nouveau");
    await page.locator("#user-fullname").fill("Camille Martin (doublon)");
    await page.locator("#user-email").fill("camille.martin@ars-idf.test");
    await page.locator("#user-role").selectOption("cert_analyst");
    await page.locator("#user-password").fill("Un-Cheval-Bleu-Traverse-La-Seine-42");
    await page.getByRole("button", { name: "Créer le compte" }).click();
    await visible(page.locator(".vigie-error-summary").getByText(/Un compte existe déjà avec cette adresse/));
    expect(await page.locator("#user-fullname").inputValue()).toBe("Camille Martin (doublon)");
    await screenshot(page, "admin-creation-doublon");

    await page.goto("/admin/utilisateurs?q=camille");
    await visible(page.getByRole("link", { name: "Camille Martin", exact: true }));

    // Through the header's "Administration" menu (opened by the DSFR script, under the CSP).
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "Menu principal" });
    await nav.getByRole("button", { name: "Administration" }).click();
    await nav.getByRole("link", { name: "Journal d'audit" }).click();
    await expectText(page.getByRole("heading", { level: 1 }), "Journal d'audit");
    await visible(page.locator("table").getByText("Compte créé").first());
    await page.getByRole("button", { name: "Vérifier l'intégrité" }).click();
    await visible(page.getByText("Journal intègre"));
    await screenshot(page, "admin-journal");
    await expectAccessible(page, "journal d'audit");

    await page.goto("/admin/courriels");
    await expectText(page.getByRole("heading", { level: 1 }), "Courriels émis");
    await expectAccessible(page, "courriels émis");
    expectNoProblems(watched);
    await watched.context.close();
  });

  it("les pages d'administration sont refusées à qui n'en a pas l'autorisation", async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await signIn(page, h.users.cert_analyst);
    await page.goto("/admin/journal");
    await expectText(page.getByRole("heading", { level: 1 }), "Accès refusé");
    await expectAccessible(page, "accès refusé");
    await watched.context.close();
  });

  it("l'inscription d'un déclarant est accessible", async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await page.goto("/inscription");
    await expectText(page.getByRole("heading", { level: 1 }), "Créer un compte déclarant");
    await expectAccessible(page, "inscription");
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await visible(page.getByText("Choisissez au moins une structure pour laquelle vous déclarez.").first());
    await expectAccessible(page, "inscription — erreurs");
    await page.goto("/mot-de-passe-oublie");
    await expectText(page.getByRole("heading", { level: 1 }), "Mot de passe oublié");
    await expectAccessible(page, "mot de passe oublié");
    expectNoProblems(watched);
    await watched.context.close();
  });
});
