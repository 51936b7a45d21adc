import { publishAsSystem } from "@vigie/core";
import type { Page } from "playwright-core";
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
} from "./harness.ts";

const PUBLIC_TITLE = "Citrix Bleed : fuite de jetons de session dans NetScaler";
const RESERVED_TITLE = "Compromission d'un prestataire d'infogérance";
const NEW_TITLE = "FortiOS SSL-VPN : débordement de tas exploité";

/** The public list's item titles. */
async function listedTitles(page: Page): Promise<string[]> {
  await page
    .getByRole("status")
    .filter({ hasText: /publication/ })
    .first()
    .waitFor();
  return (await page.locator(".vigie-publication-list h2").allTextContents()).map((t) => t.trim());
}

describe.skipIf(!browserAvailable)("alertes et publications : public, réservé, rédaction", () => {
  let h: Harness;
  let reservedSlug: string;

  beforeAll(async () => {
    h = await startHarness();
    const common = {
      risk: "Prise de contrôle de l'équipement exposé.",
      exploitation: "actively_exploited" as const,
      actions: "- Mettez à jour.\n- Fermez les sessions actives.",
      referenceUrls: [],
      body: "",
    };
    await publishAsSystem(
      h.database.db,
      {
        ...common,
        kind: "alert",
        title: PUBLIC_TITLE,
        summary: "Une vulnérabilité permet de dérober des jetons de session valides sur NetScaler.",
        products: [{ vendor: "Citrix", product: "NetScaler ADC", versions: "13.1 avant 13.1-49.15" }],
        cveIds: ["CVE-2023-4966"],
        tlp: "clear",
      },
      { now: new Date(Date.now() - 86_400_000) },
    );
    const reserved = await publishAsSystem(
      h.database.db,
      {
        ...common,
        kind: "alert",
        title: RESERVED_TITLE,
        summary: "Un prestataire commun à plusieurs établissements a subi une intrusion.",
        products: [{ vendor: "AnyDesk", product: "AnyDesk", versions: "" }],
        cveIds: [],
        tlp: "amber",
      },
      { now: new Date(Date.now() - 3_600_000) },
    );
    reservedSlug = reserved.slug ?? "";
  });
  afterAll(async () => {
    await h?.close();
  });

  it("un visiteur anonyme voit l'alerte publique, pas l'alerte réservée", async () => {
    const visitor = await h.newPage();
    const { page } = visitor;
    page.setDefaultTimeout(15_000);
    await page.goto("/publications");
    await expectText(page.getByRole("heading", { level: 1 }), "Alertes et publications");
    expect(await listedTitles(page)).toEqual([PUBLIC_TITLE]);
    // The feeds are linked visibly.
    await visible(page.getByRole("link", { name: "flux RSS" }));
    await visible(page.getByRole("link", { name: "flux Atom" }));
    expect(await page.getByRole("link", { name: "flux RSS" }).getAttribute("href")).toBe(
      "/api/publications/rss.xml",
    );
    await expectAccessible(page, "publications — visiteur anonyme");
    await screenshot(page, "publications-01-public");

    // Search without accents, then a filter by CVE.
    await page.locator("#publications-q").fill("jetons netscaler");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await expect.poll(() => listedTitles(page)).toEqual([PUBLIC_TITLE]);
    await page.locator("#publications-q").fill("prestataire");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await expectText(page.getByRole("status").filter({ hasText: /Aucune/ }), /Aucune publication/);

    await page.goto("/publications?cve=CVE-2023-4966");
    expect(await listedTitles(page)).toEqual([PUBLIC_TITLE]);
    await page.getByRole("link", { name: PUBLIC_TITLE }).click();
    await expectText(page.getByRole("heading", { level: 1 }), PUBLIC_TITLE);
    await visible(page.getByText(/^Référence VIGIE-ALE-\d{4}-001/));
    await visible(page.locator(".vigie-tlp-notice").filter({ hasText: "Diffusion libre" }));
    await visible(page.getByRole("heading", { level: 2, name: "Actions recommandées" }));
    await visible(page.getByRole("cell", { name: "NetScaler ADC" }));
    await visible(page.getByRole("heading", { level: 2, name: "Historique des publications" }));
    await visible(page.getByText(/Révision 1 — .*: Première publication\./));
    await expectAccessible(page, "alerte publique");

    // The reserved alert, by its address: not found, as if it did not exist.
    await page.goto(`/publications/${reservedSlug}`);
    await expectText(page.getByRole("heading", { level: 1 }), "Publication introuvable");
    await expectAccessible(page, "publication réservée — anonyme");
    expectNoProblems(visitor);
    await visitor.context.close();
  });

  it("un déclarant connecté voit l'alerte réservée et son marquage TLP", async () => {
    const declarant = await signedInPage(h, h.users.declarant);
    const { page } = declarant;
    await navigateTo(page, "Alertes et publications");
    expect(await listedTitles(page)).toEqual([RESERVED_TITLE, PUBLIC_TITLE]);
    const reservedItem = page.locator(".vigie-publication-list > li").filter({ hasText: RESERVED_TITLE });
    await visible(reservedItem.getByText("TLP:AMBER", { exact: true }));
    await visible(reservedItem.getByText(/Diffusion limitée/));
    await expectAccessible(page, "publications — déclarant");

    await page.getByRole("link", { name: RESERVED_TITLE }).click();
    await expectText(page.getByRole("heading", { level: 1 }), RESERVED_TITLE);
    const notice = page.locator(".vigie-tlp-notice");
    await visible(notice.getByText("TLP:AMBER", { exact: true }));
    await visible(notice.getByText(/partagez-le seulement au sein de votre organisation/));
    await expectAccessible(page, "alerte réservée — déclarant");
    await screenshot(page, "publications-02-reserve");
    expectNoProblems(declarant);
    await declarant.context.close();
  });

  it("un responsable du CERT rédige, prévisualise et publie une alerte, qui devient publique", async () => {
    const lead = await signedInPage(h, h.users.cert_lead);
    const { page } = lead;
    await navigateTo(page, "Rédaction des publications", { menu: "Publications" });
    await expectAccessible(page, "rédaction des publications");
    await page.getByRole("link", { name: "Rédiger une publication" }).click();
    await expectText(page.getByRole("heading", { level: 1 }), "Rédiger une publication");

    // An invalid CVE: the summary is focused and names the field.
    await page.locator("#publication-title").fill(NEW_TITLE);
    await page.locator("#publication-cves").fill("CVE-23-1");
    await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
    const summary = page.locator(".vigie-error-summary");
    await expectFocused(summary);
    await visible(summary.getByRole("link", { name: /^Identifiants CVE : Identifiant CVE invalide/ }));
    expect(await page.locator("#publication-cves").getAttribute("aria-invalid")).toBe("true");
    await expectAccessible(page, "rédaction — erreur");

    await page.locator("#publication-cves").fill("CVE-2023-27997");
    await page
      .locator("#publication-summary")
      .fill("Un débordement de tas dans le VPN SSL de FortiOS permet l'exécution de code à distance.");
    await page.locator("#publication-risk").fill("Prise de contrôle du pare-feu sans authentification.");
    await page.getByRole("button", { name: "Ajouter un produit" }).click();
    await page.locator("#publication-product-0-vendor").fill("Fortinet");
    await page.locator("#publication-product-0-product").fill("FortiOS");
    await page.locator("#publication-product-0-versions").fill("7.2.0 à 7.2.4");
    await page.locator("#publication-exploitation").selectOption("actively_exploited");
    await page
      .locator("#publication-actions")
      .fill("- Appliquez la version **7.2.5**.\n- Désactivez le VPN SSL à défaut.");

    // The live preview renders the Markdown as the page will.
    await page.getByRole("button", { name: "Afficher l'aperçu" }).click();
    const preview = page.locator("#publication-preview");
    await visible(preview.getByRole("heading", { level: 2, name: "Aperçu" }));
    await visible(preview.locator(".vigie-markdown strong").filter({ hasText: "7.2.5" }));
    await visible(preview.getByRole("cell", { name: "FortiOS" }));
    await page.locator("#publication-actions").fill("- Appliquez la version **7.2.5** ou ultérieure.");
    await visible(preview.locator(".vigie-markdown li").filter({ hasText: "ou ultérieure" }));
    await expectAccessible(page, "rédaction — aperçu");
    await screenshot(page, "publications-03-apercu");

    await page.getByRole("button", { name: "Enregistrer le brouillon" }).click();
    await expectText(page.getByRole("heading", { level: 1 }), `Modifier « ${NEW_TITLE} »`);
    await visible(page.getByText("Brouillon enregistré."));
    await page.getByRole("button", { name: "Enregistrer et publier" }).click();
    await visible(page.getByText(/^Publication en ligne sous la référence VIGIE-ALE-\d{4}-003\.$/));
    await expectAccessible(page, "publication publiée — rédaction");
    expectNoProblems(lead);
    await lead.context.close();

    // Anyone now finds it on the public pages.
    const visitor = await h.newPage();
    await visitor.page.goto("/publications");
    await expect.poll(() => listedTitles(visitor.page)).toEqual([NEW_TITLE, PUBLIC_TITLE]);
    await visitor.page.getByRole("link", { name: NEW_TITLE }).click();
    await expectText(visitor.page.getByRole("heading", { level: 1 }), NEW_TITLE);
    await visible(visitor.page.locator(".vigie-markdown strong").filter({ hasText: "7.2.5" }));
    expectNoProblems(visitor);
    await visitor.context.close();
  });
});
