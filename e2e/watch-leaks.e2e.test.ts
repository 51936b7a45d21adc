import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserAvailable,
  expectAccessible,
  expectFocused,
  expectNoProblems,
  expectText,
  type Harness,
  navigateTo,
  screenshot,
  signedInPage,
  startHarness,
  visible,
  type WatchedPage,
} from "./harness.ts";

const PASSWORD = "Capybara-Mandoline-6612";
const LIST = Buffer.from(
  [`chirurgien@ch-vigie.fr:${PASSWORD}`, `x@ailleurs.example:${PASSWORD}`, PASSWORD].join("\n"),
);

describe.skipIf(!browserAvailable)("veille : comptes compromis", () => {
  let h: Harness;
  let analyst: WatchedPage;

  beforeAll(async () => {
    h = await startHarness();
    analyst = await signedInPage(h, h.users.cert_analyst);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("un analyste importe une liste : compte rendu sans mot de passe, lignes refusées par numéro, historique", async () => {
    const { page } = analyst;
    await navigateTo(page, "Comptes compromis", { menu: "Veille" });
    await expectText(page.locator("main"), /Aucune liste importée pour l'instant\./);
    await expectAccessible(page, "comptes compromis sans import");

    // Nothing filled: the summary is focused and names both fields.
    await page.getByRole("button", { name: "Importer" }).click();
    await expectFocused(page.locator(".vigie-error-summary"));
    await expectText(page.locator(".vigie-error-summary"), /Source : Indiquez la source/);
    await expectText(page.locator(".vigie-error-summary"), /Fichier : Choisissez le fichier/);
    await expectAccessible(page, "formulaire en erreur");

    await page.locator("#leak-source").fill("Combolist Telegram 2026-11");
    await page
      .locator("#leak-file")
      .setInputFiles({ name: "combolist.txt", mimeType: "text/plain", buffer: LIST });
    await page.getByRole("button", { name: "Importer" }).click();
    const status = page.getByRole("status").first();
    await expectText(status, /Liste « Combolist Telegram 2026-11 » importée/);
    await expectText(status, /Rattachées à une structure : 1 \(1 structure\)/);
    await expectText(status, /Sans structure \(comptées, non conservées\) : 1/);
    await status.getByText("Lignes refusées (numéros seulement").click();
    await expectText(status, /Ligne 3 : Aucune adresse de messagerie en début de ligne\./);
    expect(await page.locator("main").textContent()).not.toContain(PASSWORD);

    const history = page.getByRole("table", { name: "Listes importées, les plus récentes d'abord" });
    await visible(history.getByText("Combolist Telegram 2026-11"));
    await expectAccessible(page, "comptes compromis après import");
    await screenshot(page, "watch-leaks");
    expectNoProblems(analyst);
  });

  it("un déclarant n'a pas accès à la page", async () => {
    const declarant = await signedInPage(h, h.users.declarant);
    await declarant.page.goto("/cert/veille/comptes-compromis");
    await expectText(declarant.page.getByRole("heading", { level: 1 }), /accès/i);
    await declarant.context.close();
  });
});
