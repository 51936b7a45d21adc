import { randomUUID } from "node:crypto";
import { CSRF_HEADER, SESSION_COOKIE } from "@vigie/api";
import { certStatusLabels } from "@vigie/contracts";
import { startSession } from "@vigie/core";
import { createUser, type TestUser } from "@vigie/test-kit";
import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserAvailable,
  expectAccessible,
  expectNoProblems,
  expectText,
  type Harness,
  phone,
  screenshot,
  signIn,
  startHarness,
  visible,
} from "./harness.ts";

// What the authorities and the ARS see (decision 0009): an authority only the cases the CERT
// alerted its body about, and what it was sent; an ARS its region's declarations minus TLP:RED
// (and TLP:AMBER+STRICT), and the regional dashboard of those figures.

interface Seeded {
  id: string;
  reference: string;
  title: string;
}

/** A table of the page, by its caption. */
const tableByCaption = (page: Page, caption: string | RegExp): Locator =>
  page.locator("table").filter({ has: page.locator("caption", { hasText: caption }) });

/** The count cell of a category's row in a dashboard table. */
const countOf = (table: Locator, category: string): Locator =>
  table
    .locator("tbody tr")
    .filter({ has: table.page().locator("th", { hasText: new RegExp(`^${category}$`) }) })
    .locator("td")
    .first();

describe.skipIf(!browserAvailable)("ce que voient les autorités et l'ARS", () => {
  let h: Harness;
  let fssi: TestUser;
  /** Île-de-France (the ARS's region), TLP:AMBER, malicious, care degraded: alerted to the FSSI. */
  let alerted: Seeded;
  /** Île-de-France, TLP:GREEN, an EHPAD, origin unknown, no impact. */
  let ehpad: Seeded;
  /** Île-de-France, TLP:RED: never shown to the ARS. */
  let red: Seeded;
  /** Auvergne-Rhône-Alpes: another region. */
  let lyon: Seeded;
  let subject = "";
  const year = Number(
    new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", year: "numeric" }).format(),
  );
  const month = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", month: "long" }).format();
  const monthLabel = month.charAt(0).toUpperCase() + month.slice(1);

  async function declare(finess: string, title: string, fields: Record<string, unknown>): Promise<Seeded> {
    const response = await h.app.inject({
      method: "POST",
      url: "/api/declarations",
      payload: {
        idempotencyKey: randomUUID(),
        finess: [finess],
        declarant: {
          fullName: "Camille Durand",
          email: "camille.durand@exemple.test",
          phone: "01 46 00 00 01",
        },
        title,
        description: "Description détaillée de l'incident, que seuls le CERT et la structure lisent.",
        detectedAt: new Date(Date.now() - 3600_000).toISOString(),
        operationalImpact: "none",
        stateAtDeclaration: "in_progress",
        supportRequested: false,
        ...fields,
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    const receipt = response.json() as { id: string; reference: string };
    return { id: receipt.id, reference: receipt.reference, title };
  }

  async function headersOf(user: TestUser): Promise<Record<string, string>> {
    const started = await startSession(
      h.database.db,
      user,
      { ttlHours: 1, mfaAlreadySatisfied: true },
      new Date(),
    );
    return { cookie: `${SESSION_COOKIE}=${started.cookieValue}`, [CSRF_HEADER]: started.csrfToken };
  }

  beforeAll(async () => {
    h = await startHarness();
    fssi = await createUser(h.database.db, "authority", { email: "veille@fssi.test", authority: "fssi" });
    alerted = await declare(h.structures.home.finessEt, "Rançongiciel sur les serveurs de fichiers", {
      proposedOrigin: "malicious",
      proposedMaliciousTypes: ["ransomware"],
      operationalImpact: "degraded_care",
    });
    ehpad = await declare(h.structures.ehpad.finessEt, "Panne de la messagerie de l'EHPAD", { tlp: "green" });
    red = await declare(h.structures.home.finessEt, "Intrusion signalée sous TLP:RED", {
      tlp: "red",
      operationalImpact: "care_interrupted",
    });
    lyon = await declare(h.structures.lyon.finessEt, "Hameçonnage à la Croix-Rousse", {
      operationalImpact: "degraded_care",
    });

    // The CERT's lead records the FSSI's address, then an analyst sends the FSSI the alert.
    const contact = await h.app.inject({
      method: "POST",
      url: "/api/alerting/contacts",
      headers: await headersOf(h.users.cert_lead),
      payload: { target: "fssi", email: "alerte@fssi.test", label: "Permanence de la FSSI" },
    });
    expect(contact.statusCode, contact.body).toBeLessThan(300);
    const sent = await h.app.inject({
      method: "POST",
      url: `/api/cases/${alerted.id}/alerts`,
      headers: await headersOf(h.users.cert_analyst),
      payload: { target: "fssi" },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    subject = (sent.json() as { subject: string }).subject;
    expect(subject).toContain("TLP:AMBER");
  });
  afterAll(async () => {
    await h?.close();
  });

  it("la FSSI voit le cas qui lui a été signalé et le message reçu, rien d'autre", async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await signIn(page, fssi);

    // Home: the latest alert, and the menu entry.
    const latest = page.locator('section[aria-labelledby="alertes-recentes"]');
    await visible(latest.getByRole("link", { name: alerted.reference }));
    await expectAccessible(page, "accueil FSSI");
    await page
      .locator("#en-tete-main-navigation")
      .getByRole("link", { name: "Alertes reçues", exact: true })
      .click();

    // The list: exactly the alerted case.
    await expectText(page.getByRole("heading", { level: 1 }), "Alertes reçues");
    await expectText(page.getByRole("status"), "1 cas signalé");
    const rows = page.locator("table tbody tr");
    await visible(rows.first());
    expect(await rows.count()).toBe(1);
    const cells = (await rows.first().locator("td").allTextContents()).map((t) => t.trim());
    expect(cells[0]).toBe(alerted.reference);
    expect(cells[1]).toMatch(/^Établissement de santé public/);
    expect(cells[2]).toBe("Île-de-France");
    expect(cells[5]).toBe("1");
    expect(cells[6]).toBe(certStatusLabels.new);
    const text = (await page.locator("main").textContent()) ?? "";
    for (const other of [ehpad, red, lyon]) expect(text).not.toContain(other.reference);
    expect(text).not.toContain(alerted.title);
    await screenshot(page, "autorite-01-alertes");
    await expectAccessible(page, "alertes reçues (FSSI)");

    // The case: what was sent, as sent, and the current status — never the declaration.
    await rows.first().getByRole("link", { name: alerted.reference }).click();
    await expectText(page.getByRole("heading", { level: 1 }), `Cas ${alerted.reference}`);
    const message = page.locator("article.vigie-message");
    expect(await message.count()).toBe(1);
    await expectText(message.getByRole("heading", { level: 3 }), subject);
    await expectText(message.locator(".fr-badge"), /^TLP:AMBER — diffusion limitée/);
    await visible(message.getByText(/^Reçu le \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/));
    const body = ((await message.locator(".vigie-multiline").textContent()) ?? "").trim();
    expect(body.length).toBeGreaterThan(10);
    expect(body).toContain(alerted.reference);
    await visible(page.locator(".vigie-dl").getByText(certStatusLabels.new, { exact: true }));
    const caseText = (await page.locator("main").textContent()) ?? "";
    expect(caseText).not.toContain("Description détaillée");
    await screenshot(page, "autorite-02-cas");
    await expectAccessible(page, "cas signalé (FSSI)");

    // Another case's address: not found, as for a case that does not exist.
    for (const other of [lyon, red]) {
      await page.goto(`/autorite/alertes/${other.id}`);
      await expectText(page.getByRole("heading", { level: 1 }), "Cas introuvable");
      expect((await page.locator("main").textContent()) ?? "").not.toContain(other.reference);
    }
    await expectAccessible(page, "cas non signalé (FSSI)");
    expectNoProblems(watched);
    await watched.context.close();
  });

  it("l'ANSSI, à qui rien n'a été envoyé, ne voit aucun cas", async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await signIn(page, h.users.authority);
    await visible(page.getByText("Aucun cas ne vous a été signalé pour l'instant."));
    await page.goto("/autorite/alertes");
    await expectText(page.getByRole("heading", { level: 1 }), "Alertes reçues");
    await expectText(page.getByRole("status"), "Aucun cas ne vous a été signalé.");
    expect(await page.locator("table").count()).toBe(0);
    await expectAccessible(page, "alertes reçues (ANSSI, aucune)");
    await page.goto(`/autorite/alertes/${alerted.id}`);
    await expectText(page.getByRole("heading", { level: 1 }), "Cas introuvable");
    // The ARS's dashboard is not for an authority.
    await page.goto("/ars/tableau-de-bord");
    await expectText(page.getByRole("heading", { level: 1 }), "Accès refusé");
    expectNoProblems(watched);
    await watched.context.close();
  });

  it("l'ARS lit les déclarations non rouges de sa région et son tableau de bord", async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await signIn(page, h.users.ars);

    // Its declarations: its region's, minus the red one.
    await page.getByRole("main").getByRole("link", { name: "Déclarations de la région" }).click();
    await expectText(page.getByRole("status"), "2 déclarations");
    await visible(page.getByRole("link", { name: alerted.title }));
    await visible(page.getByRole("link", { name: ehpad.title }));
    const list = (await page.locator("main").textContent()) ?? "";
    expect(list).not.toContain(red.title);
    expect(list).not.toContain(lyon.title);
    await expectAccessible(page, "déclarations de la région (ARS)");
    // The red one's address gives nothing either.
    await page.goto(`/declarations/${red.id}`);
    await expectText(page.getByRole("heading", { level: 1 }), "Déclaration introuvable");

    // The dashboard, from the menu: this year's figures of the two visible declarations.
    await page.goto("/");
    await page
      .locator("#en-tete-main-navigation")
      .getByRole("link", { name: "Tableau de bord régional", exact: true })
      .click();
    await expectText(page.getByRole("heading", { level: 1 }), "Tableau de bord régional");
    await expectText(page.getByRole("status"), `Île-de-France, ${year} : 2 déclarations.`);
    expect(await page.locator("#dashboard-year").inputValue()).toBe(String(year));
    await expectText(page.locator("#dashboard-declared"), "2");
    await expectText(page.locator("#dashboard-care-affected"), /^1\s\(50\s%\)$/);

    const months = tableByCaption(page, `Déclarations par mois en ${year}`);
    await expectText(countOf(months, monthLabel), "2");
    expect(await months.locator("tbody tr").count()).toBe(12);
    await expectText(months.locator("tfoot td").first(), "2");
    const monthChart = page.locator('section[aria-labelledby="par-mois"] [role="img"]');
    expect(await monthChart.getAttribute("aria-label")).toContain(`${monthLabel} 2`);

    const types = tableByCaption(page, `Déclarations par type de structure en ${year}`);
    await expectText(countOf(types, "Établissement de santé public \\(CH, CHU/CHR, CHS\\)"), "1");
    await expectText(countOf(types, "Établissement ou service médico-social \\(EHPAD, IME, SSIAD…\\)"), "1");
    await expectText(countOf(types, "Laboratoire de biologie médicale"), "0");

    const origins = tableByCaption(page, `Déclarations par origine en ${year}`);
    await expectText(countOf(origins, "Malveillante"), "1");
    await expectText(countOf(origins, "Non malveillante"), "0");
    await expectText(countOf(origins, "Indéterminée"), "1");

    const impacts = tableByCaption(page, `Déclarations par impact sur le fonctionnement en ${year}`);
    await expectText(countOf(impacts, "Prise en charge des patients en mode dégradé"), "1");
    await expectText(countOf(impacts, "Aucun impact"), "1");
    await expectText(countOf(impacts, "Interruption de la prise en charge"), "0");
    for (const id of ["par-mois", "par-type", "par-origine", "par-impact"]) {
      await visible(page.locator(`section[aria-labelledby="${id}"] figcaption`));
    }
    await screenshot(page, "ars-01-tableau-de-bord");
    await expectAccessible(page, "tableau de bord régional (ARS)");

    // Another year: nothing declared.
    await page.locator("#dashboard-year").selectOption(String(year - 1));
    await page.getByRole("button", { name: "Afficher" }).click();
    await expectText(page.getByRole("status"), `Île-de-France, ${year - 1} : 0 déclaration.`);
    await expectText(page.locator("#dashboard-declared"), "0");
    expect(new URL(page.url()).searchParams.get("annee")).toBe(String(year - 1));
    await expectAccessible(page, "tableau de bord régional, année sans déclaration");
    expectNoProblems(watched);
    await watched.context.close();
  });

  it("le CERT choisit la région du tableau de bord, sans rien masquer", async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await signIn(page, h.users.cert_analyst);
    await page
      .getByRole("main")
      .getByRole("link", { name: /Tableau de bord régional/ })
      .click();
    await expectText(page.getByRole("heading", { level: 1 }), "Tableau de bord régional");
    await visible(page.getByText("Choisissez une région puis « Afficher »."));
    await page.locator("#dashboard-region").selectOption("11");
    await page.getByRole("button", { name: "Afficher" }).click();
    // The CERT sees every declaration of the region, the red one included.
    await expectText(page.getByRole("status"), `Île-de-France, ${year} : 3 déclarations.`);
    await expectText(page.locator("#dashboard-care-affected"), /^2\s\(67\s%\)$/);
    await expectAccessible(page, "tableau de bord régional (CERT)");
    await page.locator("#dashboard-region").selectOption("84");
    await page.getByRole("button", { name: "Afficher" }).click();
    await expectText(page.getByRole("status"), `Auvergne-Rhône-Alpes, ${year} : 1 déclaration.`);
    expectNoProblems(watched);
    await watched.context.close();
  });

  it("le tableau de bord se lit sur un téléphone", async () => {
    const watched = await h.newPage(phone);
    const { page } = watched;
    await signIn(page, h.users.ars);
    await page.goto("/ars/tableau-de-bord");
    await expectText(page.locator("#dashboard-declared"), "2");
    // No horizontal scrolling of the page itself.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, "ars-02-tableau-de-bord-telephone");
    await expectAccessible(page, "tableau de bord régional sur téléphone");
    expectNoProblems(watched);
    await watched.context.close();
  });
});
