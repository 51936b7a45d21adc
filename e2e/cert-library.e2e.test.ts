import { randomUUID } from "node:crypto";
import { extractPendingIndicators, openOncallPage } from "@vigie/core";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toParisLocal } from "../apps/web/src/features/oncall/paris-time.ts";
import {
  browserAvailable,
  expectAccessible,
  expectFocused,
  expectNoProblems,
  expectText,
  type Harness,
  navigateTo,
  phone,
  screenshot,
  signIn,
  startHarness,
  visible,
  type WatchedPage,
} from "./harness.ts";

const HOUR = 3_600_000;

/** The message DSFR shows under a field (its "messages group", announced politely). */
function fieldMessage(page: Page, id: string) {
  return page.locator(`[id="${id}-messages-group"] p`);
}

describe.skipIf(!browserAvailable)("bibliothèque du CERT : fiches réflexes, astreinte, indicateurs", () => {
  let h: Harness;
  let lead: WatchedPage;

  /** A declaration made on the portal (public route), as a declarant would. */
  async function declare(title: string, description: string): Promise<{ id: string; reference: string }> {
    const response = await h.app.inject({
      method: "POST",
      url: "/api/declarations",
      payload: {
        idempotencyKey: randomUUID(),
        finess: [h.structures.home.finessEt],
        declarant: { fullName: "Claire Martin", email: "claire.martin@ch-vigie.fr", phone: "0123456789" },
        title,
        description,
        detectedAt: new Date(Date.now() - HOUR).toISOString(),
        operationalImpact: "degraded_support",
        stateAtDeclaration: "in_progress",
        supportRequested: false,
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  }

  beforeAll(async () => {
    h = await startHarness();
    lead = await h.newPage();
    await signIn(lead.page, h.users.cert_lead);
    // A missing element fails the step that waits for it, well within the test's time.
    lead.page.setDefaultTimeout(15_000);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("un responsable crée une fiche réflexe, la modifie (version 2) et l'archive", async () => {
    const { page } = lead;
    await navigateTo(page, "Fiches réflexes", { menu: "Publications" });
    await expectAccessible(page, "bibliothèque des fiches");

    await page.getByRole("link", { name: "Créer une fiche" }).click();
    await expectText(page.getByRole("heading", { level: 1 }), "Créer une fiche");
    await expectAccessible(page, "création d'une fiche");

    // Nothing typed: the summary is focused and names each field.
    await page.getByRole("button", { name: "Créer la fiche" }).click();
    const summary = page.locator(".vigie-error-summary");
    await expectFocused(summary);
    await visible(summary.getByRole("link", { name: /^Identifiant court : / }));
    await visible(summary.getByRole("link", { name: /^Titre : Le titre doit compter 3 caractères/ }));
    await visible(summary.getByRole("link", { name: /^Contenu : / }));
    expect(await page.locator("#sheet-title").getAttribute("aria-invalid")).toBe("true");
    await expectAccessible(page, "création d'une fiche — erreurs");

    // The short identifier follows the title (accents removed).
    const title = "Hameçonnage : les premiers gestes";
    await page.locator("#sheet-title").fill(title);
    expect(await page.locator("#sheet-slug").inputValue()).toBe("hameconnage-les-premiers-gestes");
    await page.locator("#sheet-category").selectOption("malicious_message");
    await page
      .locator("#sheet-body")
      .fill(
        "## 1. Ne pas cliquer\n- Ne cliquez sur aucun lien du message.\n- Signalez-le au RSSI.\n\n## 2. Conserver\nGardez le message **sans le transférer**.",
      );
    await page.getByRole("button", { name: "Créer la fiche" }).click();

    await expectText(page.getByRole("heading", { level: 1 }), title);
    const sheetUrl = new URL(page.url()).pathname;
    expect(sheetUrl).toMatch(/^\/cert\/fiches-reflexes\/[0-9a-f-]{36}$/);
    await visible(page.getByText("Fiche créée : version 1 enregistrée."));
    await expectText(page.locator("#version-title"), "Version 1 (version actuelle)");
    // The Markdown body is rendered: its sections are headings under the version's.
    await visible(page.getByRole("heading", { level: 3, name: "1. Ne pas cliquer" }));
    await visible(page.locator(".vigie-markdown li").filter({ hasText: "Signalez-le au RSSI." }));
    await visible(page.locator(".vigie-markdown strong").filter({ hasText: "sans le transférer" }));
    await expectAccessible(page, "fiche, version 1");
    await screenshot(page, "fiche-01-version-1");

    // The same short identifier again: refused by the API, on the field, with what was typed kept.
    await navigateTo(page, "Fiches réflexes", { menu: "Publications" });
    await page.getByRole("link", { name: "Créer une fiche" }).click();
    await page.locator("#sheet-title").fill("Autre fiche sur l'hameçonnage");
    await page.locator("#sheet-slug").fill("hameconnage-les-premiers-gestes");
    await page.locator("#sheet-body").fill("Un contenu assez long pour être accepté.");
    await page.getByRole("button", { name: "Créer la fiche" }).click();
    await expectFocused(summary);
    await expectText(fieldMessage(page, "sheet-slug"), /déjà/);
    expect(await page.locator("#sheet-slug").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#sheet-body").inputValue()).toBe("Un contenu assez long pour être accepté.");
    await expectAccessible(page, "création — identifiant déjà pris");

    // Edit: the change note is required; saving adds version 2.
    await page.goto(sheetUrl);
    await expectText(page.getByRole("heading", { level: 1 }), title);
    await page.getByRole("link", { name: "Modifier (version 2)" }).click();
    await expectText(page.getByRole("heading", { level: 1 }), `Modifier « ${title} »`);
    await visible(page.getByText(/crée la version 2 de la fiche/));
    await page
      .locator("#sheet-body")
      .fill(
        "## 1. Ne pas cliquer\n- Ne cliquez sur aucun lien du message.\n- Signalez-le au RSSI et sur PHAROS.\n",
      );
    await page.getByRole("button", { name: "Enregistrer la version 2" }).click();
    await expectFocused(summary);
    await expectText(fieldMessage(page, "sheet-change-note"), /Expliquez la modification/);
    await expectAccessible(page, "modification — note manquante");
    await page.locator("#sheet-change-note").fill("Ajout du signalement sur PHAROS");
    await page.getByRole("button", { name: "Enregistrer la version 2" }).click();

    await expectText(page.locator("#version-title"), "Version 2 (version actuelle)");
    await visible(page.getByText(/^Version 2 enregistrée\./));
    await visible(
      page.locator(".vigie-markdown li").filter({ hasText: "Signalez-le au RSSI et sur PHAROS." }),
    );
    await visible(page.getByText("Note de modification : Ajout du signalement sur PHAROS"));
    await expectAccessible(page, "fiche, version 2");

    // Version 1 is still readable, unchanged.
    await page.getByRole("link", { name: "Consulter la version 1" }).click();
    await expectText(page.locator("#version-title"), "Version 1");
    await expectFocused(page.locator("#version-title"));
    expect(new URL(page.url()).search).toBe("?version=1");
    await visible(page.getByText(/^Ancienne version, conservée/));
    await visible(page.locator(".vigie-markdown li").filter({ hasText: /^Signalez-le au RSSI\.$/ }));
    await visible(page.getByRole("heading", { level: 3, name: "2. Conserver" }));
    await expectAccessible(page, "fiche, version 1 consultée");
    await screenshot(page, "fiche-02-version-1-consultee");

    // Archive, after a confirmation.
    await page.getByRole("button", { name: "Archiver la fiche" }).click();
    const confirm = page.locator("#archive-confirm");
    await expectFocused(confirm);
    await expectAccessible(page, "fiche — confirmation de l'archivage");
    await confirm.getByRole("button", { name: "Confirmer l'archivage" }).click();
    const status = page.getByRole("status").filter({ hasText: "Fiche archivée" });
    await visible(status);
    await expectFocused(status);
    await visible(page.locator(".fr-badge").filter({ hasText: "Archivée" }));
    expect(await page.getByRole("link", { name: /^Modifier/ }).count()).toBe(0);
    await expectAccessible(page, "fiche archivée");

    // Gone from the library, unless archived sheets are asked for.
    await navigateTo(page, "Fiches réflexes", { menu: "Publications" });
    await expectText(page.locator("p[role='status']").first(), /fiche/);
    expect(await page.getByRole("link", { name: title }).count()).toBe(0);
    await page.getByText("Afficher aussi les fiches archivées").click();
    await page.getByRole("button", { name: "Rechercher" }).click();
    const row = page.locator("tr").filter({ has: page.getByRole("link", { name: title }) });
    await visible(row.getByText("Archivée"));
    await visible(row.getByText("Version 2"));
    await expectAccessible(page, "bibliothèque, fiches archivées comprises");
    expectNoProblems(lead);
  }, 180_000);

  it("un responsable organise l'astreinte ; un chevauchement est refusé sur le champ", async () => {
    const { page } = lead;
    const analyst = h.users.cert_analyst;
    await navigateTo(page, "Astreinte");
    await visible(page.getByText(/Personne n'est planifié en ce moment/));
    await expectAccessible(page, "astreinte, planning vide");

    const now = Date.now();
    const start = toParisLocal(new Date(now - HOUR));
    const end = toParisLocal(new Date(now + 12 * HOUR));
    const summary = page.locator(".vigie-error-summary");

    // The end before the start: refused in the browser, on the end field.
    await page.locator("#shift-user").selectOption({ label: `${analyst.full_name} — Analyste CERT` });
    await page.locator("#shift-starts-at").fill(end);
    await page.locator("#shift-ends-at").fill(start);
    await page.getByRole("button", { name: "Ajouter le créneau" }).click();
    await expectFocused(summary);
    await expectText(
      fieldMessage(page, "shift-ends-at"),
      "La fin de l'astreinte doit être postérieure à son début.",
    );

    await page.locator("#shift-starts-at").fill(start);
    await page.locator("#shift-ends-at").fill(end);
    await page.getByRole("button", { name: "Ajouter le créneau" }).click();
    await visible(
      page.getByRole("status").filter({ hasText: `Créneau ajouté : ${analyst.full_name}, rang 1` }),
    );
    const rota = page
      .locator("table")
      .filter({ has: page.locator("caption", { hasText: "Créneaux d'astreinte" }) });
    await visible(rota.locator("tr").filter({ hasText: analyst.full_name }));
    await visible(
      page.locator("section[aria-labelledby='oncall-now-title'] li").filter({ hasText: analyst.full_name }),
    );
    await expectAccessible(page, "astreinte, un créneau");

    // The lead at the same position over the same hours: the API refuses it, on the start field.
    const me = h.users.cert_lead;
    await page.locator("#shift-user").selectOption({ label: `${me.full_name} — Responsable CERT` });
    const overlapStart = toParisLocal(new Date(now + 2 * HOUR));
    const overlapEnd = toParisLocal(new Date(now + 20 * HOUR));
    await page.locator("#shift-starts-at").fill(overlapStart);
    await page.locator("#shift-ends-at").fill(overlapEnd);
    await page.getByRole("button", { name: "Ajouter le créneau" }).click();
    await expectFocused(summary);
    await expectText(
      fieldMessage(page, "shift-starts-at"),
      new RegExp(`^Ce créneau chevauche l'astreinte de ${analyst.full_name} au rang 1`),
    );
    expect(await page.locator("#shift-starts-at").getAttribute("aria-invalid")).toBe("true");
    await visible(summary.getByRole("link", { name: /^Début : Ce créneau chevauche/ }));
    // What was typed is kept.
    expect(await page.locator("#shift-starts-at").inputValue()).toBe(overlapStart);
    expect(await page.locator("#shift-ends-at").inputValue()).toBe(overlapEnd);
    await expectAccessible(page, "astreinte, chevauchement refusé");
    await screenshot(page, "astreinte-01-chevauchement");

    // As a backup (position 2) it is accepted, then deleted after a confirmation.
    await page.locator("#shift-position").selectOption("2");
    await page.getByRole("button", { name: "Ajouter le créneau" }).click();
    await visible(page.getByRole("status").filter({ hasText: `Créneau ajouté : ${me.full_name}, rang 2` }));
    const backupRow = rota.locator("tr").filter({ hasText: me.full_name });
    await visible(backupRow);
    await backupRow.getByRole("button", { name: /^Supprimer le créneau/ }).click();
    const confirm = page.locator("#oncall-delete-confirm");
    await expectFocused(confirm);
    await confirm.getByRole("button", { name: "Supprimer le créneau" }).click();
    await visible(page.getByRole("status").filter({ hasText: `Créneau supprimé : ${me.full_name}` }));
    await expect.poll(() => rota.locator("tr").filter({ hasText: me.full_name }).count()).toBe(0);
    await visible(rota.locator("tr").filter({ hasText: analyst.full_name }));
    await expectAccessible(page, "astreinte, créneau supprimé");
    expectNoProblems(lead);
  });

  it("l'analyste d'astreinte acquitte l'appel d'une déclaration", async () => {
    // Out of business hours the submission pages the analyst on call itself; otherwise page now.
    const incident = await declare(
      "Messagerie compromise",
      "Des courriels frauduleux partent de la messagerie.",
    );
    await openOncallPage(h.database.db, incident.id, new Date(), {
      oncallEmail: "astreinte@cert-sante.test",
    });

    const analyst = await h.newPage(phone);
    const { page } = analyst;
    await signIn(page, h.users.cert_analyst);
    await page.goto("/cert/astreinte");
    await expectText(page.getByRole("heading", { level: 1 }), "Astreinte");
    const row = page.locator("tr").filter({ has: page.getByRole("link", { name: incident.reference }) });
    await visible(row.getByText("Vous"));
    await visible(row.getByText("En attente"));
    await expectAccessible(page, "astreinte vue par l'analyste (téléphone)");
    await screenshot(page, "astreinte-02-appel");
    await row
      .getByRole("button", {
        name: `Acquitter l'appel de niveau 1 pour la déclaration ${incident.reference}`,
      })
      .click();
    await visible(
      page
        .getByRole("status")
        .filter({ hasText: `Appel acquitté pour la déclaration ${incident.reference}` }),
    );
    await visible(row.getByText("Acquitté"));
    await visible(row.getByText(new RegExp(`par ${h.users.cert_analyst.full_name}`)));
    expect(await row.getByRole("button", { name: /^Acquitter/ }).count()).toBe(0);
    await expectAccessible(page, "astreinte, appel acquitté");
    expectNoProblems(analyst);
    await analyst.context.close();
  });

  it("les indicateurs d'un cas : relevés, rapprochés, ajoutés à la main, écartés", async () => {
    const first = await declare(
      "Connexions vers un serveur de commande",
      "Le pare-feu a bloqué des connexions vers hxxp://update-srv[.]xyz/x depuis le poste 198.51.100[.]7.",
    );
    const second = await declare(
      "Poste infecté en radiologie",
      "Le poste 198.51.100.7 est de nouveau signalé par l'antivirus.",
    );
    await extractPendingIndicators(h.database.db, new Date(), { batch: 50 });

    const { page } = lead;
    await page.goto(`/cert/declarations/${first.id}`);
    const section = page.locator("section[aria-labelledby='indicateurs']");
    await visible(section.getByRole("heading", { level: 2, name: "Indicateurs de compromission" }), 20_000);
    const table = section.locator("table");
    await visible(table.locator("tr").filter({ hasText: "http://update-srv.xyz/x" }));
    await visible(table.locator("tr").filter({ hasText: "update-srv.xyz" }).first());
    const ipRow = table.locator("tr").filter({ hasText: "198.51.100.7" });
    await visible(ipRow.getByText("Adresse IP"));
    await visible(ipRow.getByText(/vu dans 1 autre/));
    await visible(ipRow.getByRole("link", { name: second.reference }));
    await expectAccessible(page, "cas — indicateurs");
    await screenshot(page, "indicateurs-01-liste");

    // Manual addition: the type is required; a bad value is refused by the API on its field.
    const kind = section.locator("select").first();
    const kindId = (await kind.getAttribute("id")) ?? "";
    const value = section.getByLabel("Valeur");
    const valueId = (await value.getAttribute("id")) ?? "";
    await section.getByRole("button", { name: "Ajouter l'indicateur" }).click();
    await expectFocused(section.locator(".vigie-error-summary"));
    await expectText(fieldMessage(page, kindId), "Choisissez le type d'indicateur.");
    await kind.selectOption("ip");
    await value.fill("pas une adresse");
    await section.getByRole("button", { name: "Ajouter l'indicateur" }).click();
    await visible(fieldMessage(page, valueId));
    expect(await value.getAttribute("aria-invalid")).toBe("true");
    expect(await value.inputValue()).toBe("pas une adresse");
    await expectAccessible(page, "cas — indicateur refusé");

    await kind.selectOption("domain");
    await value.fill("c2.update-srv[.]xyz");
    await section.getByRole("button", { name: "Ajouter l'indicateur" }).click();
    await visible(
      section
        .getByRole("status")
        .filter({ hasText: /^Indicateur ajouté : Nom de domaine c2\.update-srv\.xyz/ }),
    );
    const added = table.locator("tr").filter({ hasText: "c2.update-srv.xyz" });
    await visible(added.getByText(/Ajout manuel par /));
    expect(await value.inputValue()).toBe("");

    // Dismissal, after a confirmation.
    await ipRow.getByRole("button", { name: "Écarter l'indicateur 198.51.100.7" }).click();
    const confirm = section.locator("section").filter({ hasText: "Écarter cet indicateur ?" });
    await expectFocused(confirm);
    await expectAccessible(page, "cas — confirmation d'écarter un indicateur");
    await confirm.getByRole("button", { name: "Écarter l'indicateur" }).click();
    const status = section.getByRole("status").filter({ hasText: "Indicateur écarté : 198.51.100.7" });
    await visible(status);
    await expectFocused(status);
    await expect.poll(() => table.locator("tr").filter({ hasText: "198.51.100.7" }).count()).toBe(0);
    await expectAccessible(page, "cas — indicateur écarté");
    await screenshot(page, "indicateurs-02-ecarte");
    expectNoProblems(lead);
  });
});
