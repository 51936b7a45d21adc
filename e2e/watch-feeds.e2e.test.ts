import { readFileSync } from "node:fs";
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

const nvd = readFileSync(new URL("../reference/vulnerabilities/CVE-2023-4966.json", import.meta.url));
const kev = Buffer.from(
  JSON.stringify(
    {
      count: 2,
      vulnerabilities: [
        {
          cveID: "CVE-2023-4966",
          vendorProject: "Citrix",
          product: "NetScaler ADC and NetScaler Gateway",
          vulnerabilityName: "Citrix NetScaler ADC and NetScaler Gateway Buffer Overflow Vulnerability",
          dateAdded: "2023-10-18",
          dueDate: "2023-11-08",
          knownRansomwareCampaignUse: "Known",
          requiredAction: "Apply mitigations per vendor instructions or discontinue use of the product.",
        },
        { vendorProject: "Acme", product: "Portail", dateAdded: "2023-10-18" },
      ],
    },
    null,
    2,
  ),
);

describe.skipIf(!browserAvailable)("veille : flux de vulnérabilités", () => {
  let h: Harness;
  let analyst: WatchedPage;

  beforeAll(async () => {
    h = await startHarness();
    analyst = await signedInPage(h, h.users.cert_analyst);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("un analyste charge un catalogue KEV partiel et un enregistrement NVD, voit les rejets et consulte la vulnérabilité", async () => {
    const { page } = analyst;
    await navigateTo(page, "Flux de vulnérabilités", { menu: "Veille" });
    await expectText(page.locator("main"), /Aucun chargement pour l'instant\./);
    await expectAccessible(page, "flux sans chargement");

    const kevForm = page.getByRole("form", { name: "Catalogue CISA KEV" });
    // No file chosen: the error is under the field, which gets the focus.
    await kevForm.getByRole("button", { name: "Charger" }).click();
    await expectText(kevForm.locator(".fr-error-text"), "Choisissez le fichier à charger.");
    await expectFocused(kevForm.locator("input[type=file]"));

    await kevForm
      .locator("input[type=file]")
      .setInputFiles({ name: "kev.json", mimeType: "application/json", buffer: kev });
    await kevForm.getByRole("button", { name: "Charger" }).click();
    await expectText(
      kevForm.getByRole("status"),
      /Partielle \(enregistrements rejetés\) — 1 ajouté, 0 mis à jour, 0 inchangé, 1 rejeté\./,
    );
    await kevForm.getByText("1 erreur").click();
    await expectText(
      kevForm.getByRole("status"),
      /Erreur \(ligne 14\) : Entrée n° 2 ignorée : le champ cveID est absent\./,
    );

    const nvdForm = page.getByRole("form", { name: "NVD (API CVE 2.0)" });
    await nvdForm
      .locator("input[type=file]")
      .setInputFiles({ name: "CVE-2023-4966.json", mimeType: "application/json", buffer: nvd });
    await nvdForm.getByRole("button", { name: "Charger" }).click();
    await expectText(nvdForm.getByRole("status"), /Réussie — 1 ajouté, 0 mis à jour/);

    const runs = page.getByRole("table", { name: "Derniers chargements de flux" });
    await visible(runs.getByText("fichier CVE-2023-4966.json"));
    await visible(runs.getByText("fichier kev.json"));
    await expectAccessible(page, "flux après chargements");
    await screenshot(page, "watch-feeds");

    await page.locator("#vuln-cve").fill("CVE-2023-49");
    await page.locator("#vuln-kev").selectOption("true");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await expectText(page.getByRole("status").last(), "1 vulnérabilité — page 1 sur 1");
    expect(page.url()).toContain("cve=CVE-2023-49");
    await page.getByRole("link", { name: "CVE-2023-4966" }).click();

    await expectText(page.getByRole("heading", { level: 1 }), "CVE-2023-4966");
    await visible(page.getByText("Exploitée par des rançongiciels"));
    const criteria = page.getByRole("table", { name: "Critères CPE vulnérables" });
    await visible(criteria.getByText("13.1-49.15 (exclu)"));
    expect(await criteria.locator("tbody tr").count()).toBe(9);
    await expectAccessible(page, "page d'une vulnérabilité");
    expectNoProblems(analyst);
  });

  it("un déclarant n'a pas accès aux flux", async () => {
    const declarant = await signedInPage(h, h.users.declarant);
    await declarant.page.goto("/cert/veille/flux");
    await expectText(declarant.page.getByRole("heading", { level: 1 }), /accès/i);
    await declarant.context.close();
  });
});
