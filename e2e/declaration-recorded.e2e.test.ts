import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserAvailable,
  expectAccessible,
  expectFocused,
  expectNoProblems,
  expectText,
  type Harness,
  screenshot,
  signIn,
  startHarness,
  visible,
} from "./harness.ts";

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Checks a radio button by its label, within the group named by its legend. */
async function choose(page: Page, group: RegExp, label: string): Promise<void> {
  const scope = page.getByRole("group", { name: group });
  await scope
    .locator("label")
    .filter({ hasText: new RegExp(`^${escapeRegExp(label)}$`) })
    .click();
  expect(await scope.getByLabel(label, { exact: true }).isChecked()).toBe(true);
}

/** Clicks "Continuer", waits for the next step's title, then runs axe on it. */
async function nextStep(page: Page, title: string): Promise<void> {
  await page.getByRole("button", { name: "Continuer" }).click();
  const heading = page.locator(".fr-stepper__title");
  await expectText(heading, new RegExp(`^${escapeRegExp(title)}`));
  await expectFocused(heading);
  await expectAccessible(page, `saisie — ${title}`);
}

/** The local-storage keys of declaration drafts in this browser. */
function draftKeys(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Object.keys(window.localStorage).filter((k) => k.startsWith("vigie:brouillon-")),
  );
}

describe.skipIf(!browserAvailable)("saisie d'une déclaration reçue par téléphone", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("un analyste saisit l'appel d'un déclarant et retrouve la déclaration côté CERT", async () => {
    const analyst = await h.newPage();
    const { page } = analyst;
    await signIn(page, h.users.cert_analyst);
    await expectAccessible(page, "accueil de l'analyste");
    await page
      .getByRole("main")
      .getByRole("link", { name: "Saisir une déclaration reçue par téléphone ou courriel" })
      .click();
    await expectText(page.getByRole("heading", { level: 1 }), "Saisir une déclaration reçue");
    expect(new URL(page.url()).pathname).toBe("/cert/declarations/saisir");

    // Step 1: the channel comes first (by phone by default); nothing comes from the analyst's account.
    expect(await page.getByLabel("Appel à l'astreinte", { exact: true }).isChecked()).toBe(true);
    expect(await page.locator("#decl-fullname").inputValue()).toBe("");
    expect(await page.locator("#decl-email").inputValue()).toBe("");
    expect(await page.getByRole("button", { name: /^Retirer / }).count()).toBe(0);
    await expectAccessible(page, "saisie — étape 1");
    await screenshot(page, "saisie-01-etape-1");

    const home = h.structures.home;
    await page.locator("#decl-structures").fill("Vigie-sur-Mer");
    await page.getByRole("option", { name: new RegExp(home.finessEt) }).click();
    await page.locator("#decl-fullname").fill("Dominique Bernard");
    // The caller's address: that of the structure's declarant account, which the declaration joins.
    await page.locator("#decl-email").fill(h.users.declarant.email);
    await page.locator("#decl-phone").fill("01 46 00 00 00");
    // The draft is kept apart from any declarant's draft.
    await expect
      .poll(() => draftKeys(page))
      .toEqual([`vigie:brouillon-saisie-cert:${h.users.cert_analyst.id}`]);

    await nextStep(page, "Ce qui s'est passé");
    const title = "Messagerie indisponible après un appel suspect";
    await page.locator("#decl-title").fill(title);
    await page
      .locator("#decl-description")
      .fill("Le RSSI signale par téléphone que la messagerie est indisponible depuis ce matin.");
    await nextStep(page, "Conséquences");
    await choose(page, /effet sur le fonctionnement/, "Aucun impact");
    await nextStep(page, "Traitement et besoin d'aide");
    await choose(page, /traitement de l'incident/, "Je ne sais pas");
    await choose(page, /accompagné par le CERT/, "Oui");
    await nextStep(page, "Pièces jointes et envoi");
    const recap = page.locator(".vigie-answers__row").filter({ hasText: "Canal de réception" });
    await expectText(recap.locator("dd"), "Appel à l'astreinte");
    await screenshot(page, "saisie-02-envoi");

    // Recorded: the CERT page of the new declaration, with its reference confirmed.
    await page.getByRole("button", { name: "Enregistrer la déclaration" }).click();
    await expectText(page.getByRole("heading", { level: 1 }), title, 20_000);
    expect(new URL(page.url()).pathname).toMatch(/^\/cert\/declarations\/[0-9a-f-]{36}$/);
    const reference = ((await page.locator(".vigie-reference").textContent()) ?? "").trim();
    expect(reference).toMatch(/^CS-\d{4}-\d+$/);
    await visible(page.getByText(`Déclaration enregistrée sous la référence ${reference}.`));
    const brief = page.locator("#en-bref + .vigie-answers");
    await expectText(
      brief.locator(".vigie-answers__row").filter({ hasText: "Canal de réception" }).locator("dd"),
      "Appel à l'astreinte",
    );
    await visible(brief.getByText("Compte vérifié, rattaché à la structure"));
    expect(await draftKeys(page)).toEqual([]);
    await expectAccessible(page, "déclaration saisie, vue par le CERT");
    await screenshot(page, "saisie-03-page-cert");

    const row = await h.database.db
      .selectFrom("incidents")
      .select(["channel", "declarant_user_id", "recorded_by_user_id"])
      .where("reference", "=", reference)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      channel: "phone_oncall",
      declarant_user_id: h.users.declarant.id,
      recorded_by_user_id: h.users.cert_analyst.id,
    });

    // The CERT list shows it, with its channel, and offers to record another one.
    await page.getByRole("main").getByRole("link", { name: "Déclarations reçues", exact: true }).click();
    await expectText(page.getByRole("heading", { level: 1 }), "Déclarations reçues");
    await visible(page.getByRole("link", { name: "Saisir une déclaration reçue par téléphone ou courriel" }));
    const line = page.locator("tr").filter({ has: page.getByRole("link", { name: reference }) });
    await visible(line.getByText("Appel à l'astreinte"));
    await expectAccessible(page, "liste du CERT");
    await screenshot(page, "saisie-04-liste");
    expectNoProblems(analyst);
    await analyst.context.close();
  });
});
