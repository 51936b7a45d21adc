import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserAvailable,
  expectAccessible,
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

/** A pattern matching this text anywhere (expectText with a string wants the whole text). */
const has = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));

const HEADER = "type;valeur;editeur;produit;version;cpe;hote;port;protocole;service;libelle";

describe.skipIf(!browserAvailable)("veille : inventaire des actifs exposés", () => {
  let h: Harness;
  let declarant: WatchedPage;

  beforeAll(async () => {
    h = await startHarness();
    declarant = await signedInPage(h, h.users.declarant);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("un déclarant ajoute un domaine et une plage, corrige son erreur sans rien perdre, importe un CSV et retire un actif", async () => {
    const { page } = declarant;
    await navigateTo(page, "Actifs exposés", { menu: "Ma veille" });
    await expectText(page.locator("main"), has("Aucun actif déclaré pour l'instant."));
    await expectAccessible(page, "inventaire vide");

    // A domain with an accent: stored in punycode.
    await page.locator("#asset-kind").selectOption("domain");
    await page.locator("#asset-value").fill("Centre-Hôpital-Vigie.fr");
    await page.locator("#asset-label").fill("Site institutionnel");
    await page.getByRole("button", { name: "Ajouter l'actif" }).click();
    await expectText(page.getByRole("table", { name: /Nom de domaine/ }), has("xn--centre-hpital-vigie-"));

    // A range not written with its network address: the error is linked, what was typed stays.
    await page.locator("#asset-kind").selectOption("cidr");
    await page.locator("#asset-value").fill("198.51.100.5/24");
    await page.locator("#asset-label").fill("Plage publique");
    await page.getByRole("button", { name: "Ajouter l'actif" }).click();
    const summary = page.locator(".vigie-error-summary");
    await expectText(summary, has("vouliez-vous dire 198.51.100.0/24 ?"));
    expect(await page.locator("#asset-value").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#asset-value").inputValue()).toBe("198.51.100.5/24");
    expect(await page.locator("#asset-label").inputValue()).toBe("Plage publique");
    await expectAccessible(page, "erreur de plage");
    await page.locator("#asset-value").fill("198.51.100.0/24");
    await page.getByRole("button", { name: "Ajouter l'actif" }).click();
    await expectText(page.getByRole("table", { name: /Plage d'adresses/ }), has("198.51.100.0/24"));

    // A CSV with one bad line: nothing imported, the problem named by line and column.
    const upload = page.locator('input[type="file"]');
    await upload.setInputFiles({
      name: "actifs.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(
        `${HEADER}\nproduit;;Fortinet;FortiGate;7.2.4;;198.51.100.1;443;tcp;;VPN\nservice;;;;;;198.51.100.40;70000;;dicom;PACS\n`,
      ),
    });
    await page.getByRole("button", { name: "Importer" }).click();
    await expectText(page.locator("main"), has("Fichier refusé : rien n'a été importé"));
    const problems = page.getByRole("table", { name: "Problèmes relevés dans le fichier" });
    await expectText(problems, has("Le port est un nombre entier de 1 à 65535."));
    await expectText(problems.locator("tbody tr").first(), has("3"));
    await expectAccessible(page, "import refusé");

    await upload.setInputFiles({
      name: "actifs.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(
        `\uFEFF${HEADER}\nproduit;;Fortinet;FortiGate;7.2.4;;198.51.100.1;443;tcp;;VPN\nservice;;;;;;198.51.100.40;;;dicom;PACS\n`,
      ),
    });
    await page.getByRole("button", { name: "Importer" }).click();
    await expectText(page.locator("main"), has("2 lignes lues : 2 actifs ajoutés, 0 déjà présent."));
    await expectText(page.getByRole("table", { name: /Produit exposé/ }), has("FortiGate"));
    await expectText(page.getByRole("table", { name: /Service exposé/ }), has("198.51.100.40:104/tcp"));
    await screenshot(page, "veille-actifs-declarant");

    // Removing asks for confirmation first.
    await page.getByRole("button", { name: "Retirer dicom sur 198.51.100.40:104" }).click();
    await expectText(
      page.locator("#assets-delete-confirm"),
      has("Retirer « dicom sur 198.51.100.40:104 » de l'inventaire ?"),
    );
    await page.getByRole("button", { name: "Confirmer le retrait" }).click();
    await visible(page.getByText("Actif retiré de l'inventaire : dicom sur 198.51.100.40:104."));
    expect(await page.getByRole("table", { name: /Service exposé/ }).count()).toBe(0);
    expectNoProblems(declarant);
  });

  it("le CERT voit l'inventaire de toutes les structures et en choisit une", async () => {
    const cert = await signedInPage(h, h.users.cert_analyst);
    const { page } = cert;
    await page.goto("/cert/veille/actifs");
    await expectText(page.getByRole("heading", { level: 1 }), "Actifs exposés des structures");
    await expectText(
      page.getByRole("table", { name: /Plage d'adresses/ }),
      has("Centre hospitalier de Vigie-sur-Mer"),
    );
    await visible(page.getByText("Choisissez une structure pour lui ajouter des actifs"));
    await expectAccessible(page, "inventaire du CERT");

    await page.locator("#assets-structure").fill("Croix-Rousse");
    await page.getByRole("option", { name: /Hôpital de la Croix-Rousse/ }).click();
    await expectText(page.locator("main"), has("Aucun actif déclaré pour l'instant."));
    // The declarant's range is refused to another structure, naming the owner to the CERT.
    await page.locator("#asset-kind").selectOption("ip");
    await page.locator("#asset-value").fill("198.51.100.77");
    await page.getByRole("button", { name: "Ajouter l'actif" }).click();
    await expectText(page.locator(".vigie-error-summary"), has("Centre hospitalier de Vigie-sur-Mer"));
    expectNoProblems(cert);
  });
});
