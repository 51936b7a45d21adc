import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isBusinessHours } from "../apps/web/src/features/declarations/hours.ts";
import {
  browserAvailable,
  expectAccessible,
  expectFocused,
  expectNoProblems,
  expectText,
  type Harness,
  phone,
  screenshot,
  signIn,
  startHarness,
  visible,
  type WatchedPage,
} from "./harness.ts";

/** A small firewall log, as a declarant would attach. */
const logFile = {
  name: "journal-pare-feu.txt",
  mimeType: "text/plain",
  buffer: Buffer.from(
    [
      "2025-11-28T02:14:07+01:00 DENY TCP 185.220.101.4:51234 -> 10.0.0.12:445",
      "2025-11-28T02:14:09+01:00 ALLOW TCP 10.0.0.12:49822 -> 185.220.101.4:443",
      "2025-11-28T02:15:41+01:00 ALERT smb-bruteforce src=10.0.0.12",
    ].join("\n"),
  ),
};

/** A "PDF" that is really a Windows executable: its content must be refused, whatever its name. */
const fakePdf = {
  name: "rapport-incident.pdf",
  mimeType: "application/pdf",
  buffer: Buffer.concat([
    Buffer.from("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00", "latin1"),
    Buffer.alloc(48),
    Buffer.from("This program cannot be run in DOS mode.\r\r\n$", "latin1"),
    Buffer.alloc(256, 0x90),
  ]),
};

async function countDrafts(h: Harness, userId: string): Promise<number> {
  const rows = await h.database.db
    .selectFrom("declaration_drafts")
    .select("draft_key")
    .where("user_id", "=", userId)
    .execute();
  return rows.length;
}

async function countIncidents(h: Harness): Promise<number> {
  const rows = await h.database.db.selectFrom("incidents").select("id").execute();
  return rows.length;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Checks a radio button or a checkbox by its label, within the group named by its legend. */
async function choose(page: Page, group: RegExp, label: string): Promise<void> {
  // The DSFR draws the control over the label: click the label, as a finger would.
  const scope = page.getByRole("group", { name: group });
  await scope
    .locator("label")
    .filter({ hasText: new RegExp(`^${escapeRegExp(label)}$`) })
    .click();
  expect(await scope.getByLabel(label, { exact: true }).isChecked()).toBe(true);
}

/** Clicks "Continuer" and waits for the next step, whose title gets the focus. */
async function nextStep(page: Page, title: string): Promise<void> {
  await page.getByRole("button", { name: "Continuer" }).click();
  const heading = page.locator(".fr-stepper__title");
  await expectText(heading, new RegExp(`^${title}`));
  await expectFocused(heading);
}

/** The browser copy of the draft, as the form saved it. */
async function storedDraft(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const key = Object.keys(window.localStorage).find((k) => k.startsWith("vigie:brouillon-declaration:"));
    return key ? window.localStorage.getItem(key) : null;
  });
}

describe.skipIf(!browserAvailable)("déclaration d'un incident", () => {
  let h: Harness;
  let declarant: WatchedPage;
  let reference = "";
  const title = "Chiffrement des serveurs de fichiers";

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("un déclarant déclare depuis son téléphone, avec une pièce jointe, sans rien perdre", async () => {
    declarant = await h.newPage(phone);
    const { page } = declarant;
    await signIn(page, h.users.declarant);
    await screenshot(page, "declaration-00-accueil");
    await expectAccessible(page, "accueil du déclarant");
    await page.getByRole("main").getByRole("link", { name: "Déclarer un incident" }).click();
    await expectText(page.getByRole("heading", { level: 1 }), "Déclarer un incident");

    // Step 1: the structure and the identity come from the account; the phone is required.
    const home = h.structures.home;
    await visible(page.getByRole("button", { name: new RegExp(`Retirer .*${home.finessEt}`) }));
    expect(await page.locator("#decl-email").inputValue()).toBe(h.users.declarant.email);
    await page.locator("#decl-phone").fill("");
    await page.getByRole("button", { name: "Continuer" }).click();
    const summary = page.locator(".vigie-error-summary");
    await visible(summary.getByText("Téléphone pour être rappelé : Indiquez un numéro pour être rappelé."));
    await expectFocused(summary);
    await expectAccessible(page, "étape 1 — erreurs");
    await screenshot(page, "declaration-01-erreurs");

    await page.locator("#decl-phone").fill("06 12 34 56 78");
    await page.locator("#decl-jobtitle").fill("RSSI");
    await expect.poll(async () => (await storedDraft(page)) ?? "").toContain("06 12 34 56 78");

    // Reloading (tab closed, phone restarted) brings everything back.
    await page.reload();
    await visible(page.getByText("Votre déclaration en cours a été retrouvée sur cet appareil."));
    expect(await page.locator("#decl-phone").inputValue()).toBe("06 12 34 56 78");
    expect(await page.locator("#decl-jobtitle").inputValue()).toBe("RSSI");
    await visible(page.getByRole("button", { name: new RegExp(`Retirer .*${home.finessEt}`) }));
    await expectAccessible(page, "étape 1 — brouillon repris");
    await screenshot(page, "declaration-02-etape-1");

    // Step 2: what happened.
    await nextStep(page, "Ce qui s'est passé");
    await page.locator("#decl-title").fill(title);
    await page
      .locator("#decl-description")
      .fill(
        "Message de rançon affiché sur les postes du service des admissions à 2 h 30. Serveurs de fichiers chiffrés.",
      );
    await choose(page, /origine est-elle malveillante/, "Oui, origine malveillante");
    await choose(page, /Cochez ce qui correspond/, "Rançongiciel");
    await choose(page, /Systèmes touchés/, "Serveurs");
    await choose(page, /Systèmes touchés/, "Postes de travail");
    await expectAccessible(page, "étape 2");
    await screenshot(page, "declaration-03-etape-2");

    // Step 3: consequences.
    await nextStep(page, "Conséquences");
    await choose(page, /effet sur le fonctionnement/, "Prise en charge des patients en mode dégradé");
    await page.locator("#decl-degraded-hours").fill("48");
    await choose(page, /mis en danger/, "Potentiellement");
    await choose(page, /impact sur les données/, "Perte de données ou impossibilité d'accéder à des données");
    await expectAccessible(page, "étape 3");
    await screenshot(page, "declaration-04-etape-3");

    // Step 4: handling and help; out of business hours, the on-call number is offered here.
    await nextStep(page, "Traitement et besoin d'aide");
    await choose(page, /traitement de l'incident/, "Nous avons besoin de l'appui du CERT");
    await page.locator("#decl-measures").fill("Postes isolés du réseau, accès VPN coupés.");
    await choose(page, /accompagné par le CERT/, "Oui");
    const oncall = page.getByText("Besoin d'aide immédiate ? Appelez l'astreinte");
    if (isBusinessHours()) expect(await oncall.count()).toBe(0);
    else await visible(oncall);
    await expectAccessible(page, "étape 4");
    await screenshot(page, "declaration-05-etape-4");

    // Step 5: files (one refused for its content, the other kept), TLP, summary.
    await nextStep(page, "Pièces jointes et envoi");
    await page.locator("#decl-files").setInputFiles([logFile, fakePdf]);
    await visible(page.getByText("Fichiers joints (1) :"));
    await visible(page.locator(".vigie-file").getByText(logFile.name));
    const refused = page.locator(".fr-alert--error").filter({ hasText: fakePdf.name });
    await visible(refused);
    expect(await page.getByLabel(/TLP:AMBER —/).isChecked()).toBe(true);
    await visible(page.getByRole("heading", { name: "Récapitulatif" }));
    await visible(page.getByText(title));
    await expectAccessible(page, "étape 5 — fichier refusé");
    await screenshot(page, "declaration-06-etape-5");

    // The attached file is part of the draft, too; the account keeps a copy of the draft.
    await expect.poll(async () => (await storedDraft(page)) ?? "").toContain(logFile.name);
    await expect.poll(() => countDrafts(h, h.users.declarant.id), { timeout: 10_000 }).toBe(1);
    await page.reload();
    await visible(page.locator(".vigie-file").getByText(logFile.name));
    expect(await page.locator(".fr-stepper__title").textContent()).toMatch(/^Pièces jointes et envoi/);

    // A double tap sends once; the receipt comes only once the server has committed it.
    const before = await countIncidents(h);
    await page.getByRole("button", { name: "Envoyer la déclaration" }).dblclick();
    await expectText(page.getByRole("heading", { level: 1 }), "Déclaration envoyée", 20_000);
    reference = ((await page.locator(".vigie-reference").textContent()) ?? "").trim();
    expect(reference).toMatch(/^CS-\d{4}-\d+$/);
    expect(await countIncidents(h)).toBe(before + 1);
    expect(await storedDraft(page)).toBeNull();
    await expect.poll(() => countDrafts(h, h.users.declarant.id)).toBe(0);
    await expectAccessible(page, "accusé de réception");
    await screenshot(page, "declaration-07-accuse-reception");

    await page.getByRole("link", { name: `Suivre la déclaration ${reference}` }).click();
    await expectText(page.getByRole("heading", { level: 1 }), title);
    await visible(page.getByText(logFile.name));
    await expectAccessible(page, "page de la déclaration");
    await screenshot(page, "declaration-08-page");
    expectNoProblems(declarant);
  });

  it("l'analyste pose une question, le déclarant y répond, l'analyste lit la réponse", async () => {
    expect(reference).not.toBe("");
    const analyst = await h.newPage();
    const cert = analyst.page;
    await signIn(cert, h.users.cert_analyst);
    await cert.getByRole("main").getByRole("link", { name: "Déclarations reçues" }).click();
    await expectText(cert.getByRole("heading", { level: 1 }), "Déclarations reçues");
    await expectAccessible(cert, "liste du CERT");
    await screenshot(cert, "declaration-09-cert-liste");
    await cert.getByRole("link", { name: reference }).click();
    await expectText(cert.getByRole("heading", { level: 1 }), title);
    await expectAccessible(cert, "déclaration vue par le CERT");
    const question =
      "Les sauvegardes sont-elles intactes ? Quelle est la date de la dernière sauvegarde complète ?";
    await cert.locator("#reponse-body").fill(question);
    await cert.getByRole("button", { name: "Poser une question au déclarant" }).click();
    await visible(cert.locator(".vigie-message--question").getByText(question));
    await visible(cert.locator(".fr-badge").filter({ hasText: "En attente du déclarant" }));
    await screenshot(cert, "declaration-09-cert-question");

    // The declarant, on the phone, sees the question waiting and answers it.
    const { page } = declarant;
    await page.goto("/declarations");
    await expectText(page.getByRole("heading", { level: 1 }), "Mes déclarations");
    const card = page.locator(".fr-card").filter({ hasText: title });
    await visible(card.locator(".fr-badge").filter({ hasText: "En attente de votre réponse" }));
    await visible(card.locator(".fr-badge").filter({ hasText: "Question du CERT en attente" }));
    await expectAccessible(page, "liste du déclarant");
    await screenshot(page, "declaration-10-liste");
    await page.getByRole("link", { name: title }).click();
    await visible(page.getByText("Le CERT Santé attend votre réponse"));
    await visible(page.locator(".vigie-message--question").getByText(question));
    const answer = "Oui, les sauvegardes hors ligne du 27 novembre sont intactes.";
    await page.locator("#reponse-body").fill(answer);
    await expectAccessible(page, "réponse à la question");
    await screenshot(page, "declaration-11-reponse");
    await page.getByRole("button", { name: "Envoyer la réponse" }).click();
    await visible(page.locator(".vigie-message--answer").getByText(answer));
    await expect.poll(() => page.getByText("Le CERT Santé attend votre réponse").count()).toBe(0);

    // The analyst reads the answer and moves the case on.
    await cert.reload();
    await visible(cert.locator(".vigie-message--answer").getByText(answer));
    // The answer moved the case back to "in progress"; the analyst puts it on hold again.
    await visible(cert.locator(".fr-badge").filter({ hasText: "En cours de traitement" }));
    await cert.locator("#case-status-comment").fill("Nous attendons le rapport du prestataire.");
    await cert.getByRole("button", { name: "Mettre en attente du déclarant" }).click();
    await visible(cert.getByText("Statut changé : En attente du déclarant."));
    await expectAccessible(cert, "cas mis en attente par le CERT");
    expectNoProblems(analyst);
    expectNoProblems(declarant);
    await analyst.context.close();
    await declarant.context.close();
  });

  it("une déclaration sans compte, dont la réponse se perd, n'est enregistrée qu'une fois et mène à sa page de suivi", async () => {
    const anonymous = await h.newPage(phone);
    const { page } = anonymous;
    await page.goto("/connexion");
    await page.getByRole("main").getByRole("link", { name: "Déclarer un incident sans compte" }).click();
    await expectText(page.getByRole("heading", { level: 1 }), "Déclarer un incident");

    const ehpad = h.structures.ehpad;
    // The new page's heading takes the focus first (RGAA); then the declarant types.
    await expectFocused(page.getByRole("heading", { level: 1 }));
    await page.locator("#decl-structures").fill("Tilleuls");
    await page.getByRole("option", { name: new RegExp(ehpad.finessEt) }).click();
    await page.locator("#decl-fullname").fill("Camille Martin");
    await page.locator("#decl-email").fill("direction@ehpad-tilleuls.test");
    await page.locator("#decl-phone").fill("01 40 00 00 00");
    await nextStep(page, "Ce qui s'est passé");
    await page.locator("#decl-title").fill("Courriel d'hameçonnage");
    await page
      .locator("#decl-description")
      .fill("Un courriel suspect demandant les identifiants a été reçu par l'accueil.");
    await nextStep(page, "Conséquences");
    await choose(page, /effet sur le fonctionnement/, "Aucun impact");
    await nextStep(page, "Traitement et besoin d'aide");
    await choose(page, /traitement de l'incident/, "Résolu");
    await choose(page, /accompagné par le CERT/, "Non");
    await nextStep(page, "Pièces jointes et envoi");
    await expectAccessible(page, "déclaration sans compte — envoi");

    // The first answer is lost on the way back (the declaration did arrive): the form tries
    // again with the same key and gets the original receipt.
    let attempts = 0;
    await page.route("**/api/declarations", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      attempts += 1;
      if (attempts === 1) {
        await route.fetch();
        return route.abort("connectionreset");
      }
      // The second attempt is slow, so the "trying again" status can be read meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return route.continue();
    });
    const before = await countIncidents(h);
    await page.getByRole("button", { name: "Envoyer la déclaration" }).click();
    await visible(page.getByText(/Nouvel essai…/));
    await screenshot(page, "declaration-12a-nouvel-essai");
    await expectText(page.getByRole("heading", { level: 1 }), "Déclaration envoyée", 20_000);
    expect(attempts).toBe(2);
    expect(await countIncidents(h)).toBe(before + 1);
    await visible(page.getByText(/bien arrivée dès le premier envoi/));
    await visible(page.getByText("conservez ce lien"));
    await expectAccessible(page, "accusé de réception sans compte");
    await screenshot(page, "declaration-12-accuse-sans-compte");
    await page.unroute("**/api/declarations");

    await page.getByRole("link", { name: /^Suivre la déclaration CS-/ }).click();
    await expectText(page.getByRole("heading", { level: 1 }), "Courriel d'hameçonnage");
    expect(new URL(page.url()).pathname).toMatch(/^\/suivi\//);
    await page.locator("#reponse-body").fill("Le courriel a été supprimé de toutes les boîtes.");
    await page.getByRole("button", { name: "Envoyer le message" }).click();
    await visible(page.getByText("Le courriel a été supprimé de toutes les boîtes."));
    await expectAccessible(page, "page de suivi sans compte");
    await screenshot(page, "declaration-13-suivi");

    // The lost answer shows as a failed request in the console: expected here, nothing else.
    anonymous.problems.splice(
      0,
      anonymous.problems.length,
      ...anonymous.problems.filter((p) => !/ERR_CONNECTION_RESET|Failed to fetch/.test(p)),
    );
    expectNoProblems(anonymous);
    await anonymous.context.close();
  });
});
