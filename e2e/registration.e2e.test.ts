import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserAvailable,
  expectAccessible,
  expectNoProblems,
  expectText,
  type Harness,
  screenshot,
  startHarness,
  visible,
} from "./harness.ts";

/** The path and query of the last link mailed to an address (read from the outbox table). */
async function lastMailedLink(h: Harness, to: string, path: string): Promise<string> {
  const mail = await h.database.db
    .selectFrom("mail_outbox")
    .select(["text_body"])
    .where("to_address", "=", to)
    .orderBy("created_at", "desc")
    .executeTakeFirstOrThrow();
  const match = mail.text_body.match(new RegExp(`https?://[^\\s]*${path}\\?jeton=[^\\s]+`));
  if (!match) throw new Error(`pas de lien ${path} dans le courriel :\n${mail.text_body}`);
  const url = new URL(match[0]);
  return `${url.pathname}${url.search}`;
}

describe.skipIf(!browserAvailable)("inscription et mot de passe oublié", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const email = "dsi@ch-vigie.fr";
  const password = "Une-Mouette-Survole-Le-Port-93";

  it("un déclarant s'inscrit, confirme son adresse et se connecte", async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await page.goto("/inscription");
    await page.locator("#register-fullname").fill("Dominique Durand");
    await page.locator("#register-email").fill(email);
    await page.locator("#register-jobtitle").fill("DSI");
    const combobox = page.locator("#register-structures");
    // The public autocomplete finds the structure by a word of its name, without an account.
    await combobox.fill(h.structures.home.name.split(" ").slice(-2).join(" "));
    await page.getByRole("option", { name: new RegExp(h.structures.home.finessEt) }).click();
    await visible(page.getByRole("button", { name: new RegExp(`Retirer .*${h.structures.home.finessEt}`) }));
    await page.locator("#register-password").fill(password);
    await page.locator("#register-password-confirmation").fill(password);
    await screenshot(page, "inscription");
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await expectText(page.getByRole("heading", { level: 1 }), "Vérifiez votre messagerie");

    // Before confirming: the login says so in French and offers a new link.
    await page.goto("/connexion");
    await page.locator("#login-email").fill(email);
    await page.locator("#login-password").fill(password);
    await page.getByRole("button", { name: "Se connecter", exact: true }).click();
    await visible(page.getByText(/Confirmez d'abord votre adresse électronique/));
    await page.getByRole("button", { name: "Renvoyer le courriel de confirmation" }).click();
    await visible(page.getByText(/un nouveau lien de confirmation vient d'être envoyé/));
    await expectAccessible(page, "connexion — adresse non confirmée");

    await page.goto(await lastMailedLink(h, email, "/verifier-courriel"));
    await expectText(page.getByRole("heading", { level: 1 }), "Confirmer votre adresse électronique");
    await expectAccessible(page, "confirmer l'adresse");
    await page.getByRole("button", { name: "Confirmer mon adresse" }).click();
    await visible(page.getByText("Adresse confirmée"));

    await page.getByRole("link", { name: "Se connecter" }).last().click();
    await page.locator("#login-email").fill(email);
    await page.locator("#login-password").fill(password);
    await page.getByRole("button", { name: "Se connecter", exact: true }).click();
    await expectText(page.getByRole("heading", { level: 1 }), "Bonjour Dominique Durand");
    await visible(page.getByText(h.structures.home.name).first());
    expectNoProblems(watched);
    await watched.context.close();
  });

  it("un mot de passe oublié se réinitialise avec le lien reçu", async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await page.goto("/connexion");
    await page.getByRole("link", { name: "Mot de passe oublié ?" }).first().click();
    await expectText(page.getByRole("heading", { level: 1 }), "Mot de passe oublié");
    await page.locator("#forgot-email").fill(email);
    await page.getByRole("button", { name: "Recevoir un lien" }).click();
    await visible(page.getByText("Vérifiez votre messagerie"));

    await page.goto(await lastMailedLink(h, email, "/reinitialiser-mot-de-passe"));
    await expectText(page.getByRole("heading", { level: 1 }), "Choisir un nouveau mot de passe");
    const next = "Trois-Heron-Gris-Sur-La-Loire-58";
    await page.locator("#reset-password").fill(next);
    await page.locator("#reset-password-confirmation").fill(`${next}x`);
    await page.getByRole("button", { name: "Enregistrer le mot de passe" }).click();
    await visible(page.getByText("Les deux mots de passe ne sont pas identiques.").first());
    await expectAccessible(page, "nouveau mot de passe — erreurs");
    await page.locator("#reset-password-confirmation").fill(next);
    await page.getByRole("button", { name: "Enregistrer le mot de passe" }).click();
    await visible(page.getByText("Mot de passe modifié"));

    await page.goto("/connexion");
    await page.locator("#login-email").fill(email);
    await page.locator("#login-password").fill(next);
    await page.getByRole("button", { name: "Se connecter", exact: true }).click();
    await expectText(page.getByRole("heading", { level: 1 }), "Bonjour Dominique Durand");
    expect(new URL(page.url()).pathname).toBe("/");
    expectNoProblems(watched);
    await watched.context.close();
  });
});
