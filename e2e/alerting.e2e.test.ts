import { randomUUID } from "node:crypto";
import { createStructure } from "@vigie/test-kit";
import type { Locator, Page } from "playwright-core";
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
  signIn,
  startHarness,
  visible,
} from "./harness.ts";

// Alerting the authorities (decision 0009), the CERT's screens: addresses, rules (edited, tried
// on past cases, published), the alerts of a case (proposed, sent with an edited message,
// dismissed with a reason, delivery retried) and the regulatory clocks (NIS 2).

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

async function tick(page: Page, group: RegExp, label: string): Promise<void> {
  const scope = page.getByRole("group", { name: group });
  await scope
    .locator("label")
    .filter({ hasText: new RegExp(`^${escapeRegExp(label)}$`) })
    .click();
  expect(await scope.getByLabel(label, { exact: true }).isChecked()).toBe(true);
}

/** "2026-12-01T10:00" in Paris time, `days` from now, at 10:00. */
function parisDay(days: number): { input: string; shown: string } {
  const at = new Date(Date.now() + days * 24 * 3600_000);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/Paris",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  return {
    input: `${parts.year}-${parts.month}-${parts.day}T10:00`,
    shown: `${parts.day}/${parts.month}/${parts.year} 10:00`,
  };
}

const section = (page: Page, id: string): Locator => page.locator(`section[aria-labelledby="${id}"]`);

/** Opens an entry of the header's "Alertes" menu. */
async function alertsMenu(page: Page, entry: string): Promise<void> {
  await navigateTo(page, entry, {
    menu: "Alertes",
    heading: entry === "Règles d'alerte" ? "Règles d'alerte des autorités" : entry,
  });
}

describe.skipIf(!browserAvailable)("alerte des autorités par le CERT", () => {
  let h: Harness;
  let oseCase = { id: "", reference: "" };
  let pastCase = { id: "", reference: "" };
  const title = "Rançongiciel sur le dossier patient informatisé";

  async function declare(finess: string, fields: Record<string, unknown>) {
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
        description: "Écran de rançon sur les postes et les serveurs du dossier patient, activité ralentie.",
        proposedOrigin: "malicious",
        proposedMaliciousTypes: ["ransomware"],
        operationalImpact: "degraded_support",
        patientEndangerment: "none",
        dataImpacts: ["data_loss_or_unavailability"],
        stateAtDeclaration: "support_needed",
        ...fields,
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; reference: string };
  }

  beforeAll(async () => {
    h = await startHarness();
    // An operator of essential services (NIS 2): the flag is on the structure at declaration time.
    const chu = await createStructure(h.database.db, {
      name: "Centre hospitalier universitaire de Vigie",
      regionCode: "11",
      departmentCode: "92",
      town: "VIGIE-SUR-MER",
    });
    await h.database.db.updateTable("structures").set({ ose: true }).where("id", "=", chu.id).execute();
    // A past case without support requested: the ARS loses it under the edited rules.
    pastCase = await declare(h.structures.home.finessEt, {
      title: "Hameçonnage ciblé de la direction",
      detectedAt: new Date(Date.now() - 48 * 3600_000).toISOString(),
      supportRequested: false,
    });
    // Known 14 hours ago: the NIS 2 early warning (24 h) is due within 12 hours.
    oseCase = await declare(chu.finessEt, {
      title,
      detectedAt: new Date(Date.now() - 14 * 3600_000).toISOString(),
      supportRequested: true,
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("le responsable du CERT enregistre les adresses, modifie les règles, les essaie et les publie", async () => {
    const lead = await h.newPage();
    const { page } = lead;
    await signIn(page, h.users.cert_lead);

    // The addresses: FSSI, and the ARS of Île-de-France.
    await alertsMenu(page, "Destinataires des alertes");
    await visible(page.getByText(/Aucune adresse pour : ANSSI, FSSI des ministères sociaux/));
    await expectAccessible(page, "destinataires sans adresse");
    // The ARS needs its region: the browser says so, naming the field.
    await page.locator("#contact-target").selectOption("ars");
    await page.locator("#contact-email").fill("veille-ssi@ars-idf.test");
    await page.locator("#contact-label").fill("Cellule de veille SSI");
    await page.getByRole("button", { name: "Ajouter l'adresse" }).click();
    const summary = page.locator('form[aria-labelledby="contact-form-title"] .vigie-error-summary');
    await visible(summary.getByRole("link", { name: "Région de l'ARS : Choisissez la région de l'ARS." }));
    await expectFocused(summary);
    expect(await page.locator("#contact-email").inputValue()).toBe("veille-ssi@ars-idf.test");
    await page.locator("#contact-region").selectOption("11");
    await page.getByRole("button", { name: "Ajouter l'adresse" }).click();
    await visible(page.getByText("Adresse veille-ssi@ars-idf.test ajoutée pour ARS Île-de-France."));
    await page.locator("#contact-target").selectOption("fssi");
    await page.locator("#contact-email").fill("cssi@fssi.test");
    await page.locator("#contact-label").fill("CSSI des ministères sociaux");
    await page.getByRole("button", { name: "Ajouter l'adresse" }).click();
    await visible(page.getByText("Adresse cssi@fssi.test ajoutée pour FSSI des ministères sociaux."));
    const contacts = section(page, "contacts-list-title").locator("table");
    await visible(
      contacts.locator("tr").filter({ hasText: "ARS Île-de-France" }).getByText("veille-ssi@ars-idf.test"),
    );
    await visible(
      contacts.locator("tr").filter({ hasText: "FSSI des ministères sociaux" }).getByText("cssi@fssi.test"),
    );
    await visible(page.getByText(/Aucune adresse pour : ANSSI, DGS/));
    await expectAccessible(page, "destinataires enregistrés");
    await screenshot(page, "alertes-01-destinataires");

    // The rules in force: the built-in ones, readable.
    await alertsMenu(page, "Règles d'alerte");
    const current = section(page, "rules-current-title");
    await visible(current.getByText(/Règles intégrées \(version 0\)/));
    await visible(current.getByText("Origine parmi :").first());
    await visible(current.getByText("Malveillante").first());
    await visible(current.getByText("Toutes les conditions :").first());
    await expectAccessible(page, "règles en vigueur");

    // A new version: the ARS is alerted only when the structure asked for support.
    await page.getByRole("button", { name: "Nouvelle version" }).click();
    await expectFocused(page.locator("#rules-editor-title"));
    // An empty new rule is refused before anything is sent, each error linked to its field.
    await page.getByRole("button", { name: "Ajouter une règle" }).click();
    await expectFocused(page.locator("#rule-5-id"));
    await page.getByRole("button", { name: "Essayer sur les cas passés" }).click();
    const editorSummary = page.locator("form.vigie-rules-editor .vigie-error-summary");
    await visible(editorSummary.getByRole("link", { name: /Règle 6 — Identifiant/ }));
    await visible(
      editorSummary.getByRole("link", { name: "Règle 6 — Destinataire : Choisissez le destinataire." }),
    );
    await expectFocused(editorSummary);
    await expectAccessible(page, "éditeur des règles, erreurs");
    await page.getByRole("button", { name: "Supprimer la règle 6" }).click();
    // Rule 5 (ARS): its condition becomes a list, with "support requested: yes" added.
    const arsRule = page.locator("#rule-4");
    await visible(arsRule.getByText("Hors périmètre :"));
    await page.getByRole("button", { name: "Modifier la règle 5" }).click();
    expect(await page.locator("#rule-4-id").inputValue()).toBe("ars-region");
    await page.locator("#rule-4-when-kind").selectOption("all");
    await page.getByRole("button", { name: "Ajouter une condition à la liste 1 de la règle 5" }).click();
    await expectFocused(page.locator("#rule-4-when-all-1-kind"));
    await page.locator("#rule-4-when-all-1-kind").selectOption("flag");
    await page.locator("#rule-4-when-all-1-flag").selectOption("support_requested");
    await page.locator("#rule-4-when-all-1-is").selectOption("yes");
    await page
      .locator("#rule-4-label")
      .fill("ARS de la région : déclaration dans le périmètre avec accompagnement demandé");
    await page
      .locator("#rules-comment")
      .fill("L'ARS n'est alertée que si la structure demande un accompagnement.");
    await page.getByText("Relire la condition de la règle 5 en français").click();
    await visible(page.locator("form.vigie-rules-editor").getByText("Accompagnement demandé :"));

    // Tried on the past cases: the ARS loses the case without support requested.
    await page.getByRole("button", { name: "Essayer sur les cas passés" }).click();
    await visible(page.getByText("Essai terminé sur 2 cas : 1 cas change de destinataires."));
    await expectFocused(page.locator("#rules-dry-run-result"));
    const byTarget = page.locator(".vigie-dry-run table").first();
    const arsRow = byTarget.locator("tr").filter({ hasText: "ARS de la région" });
    await expectText(arsRow.locator("td").nth(1), "1");
    await expectText(arsRow.locator("td").nth(2), "2");
    await expectText(arsRow.locator("td").nth(3), "-1");
    const differences = page.locator(".vigie-dry-run table").nth(1);
    await visible(differences.getByRole("link", { name: pastCase.reference }));
    await expectAccessible(page, "essai des règles");
    await screenshot(page, "alertes-02-essai");
    await page.setViewportSize({ width: 360, height: 740 });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth))
      .toBeLessThanOrEqual(360);
    await screenshot(page, "alertes-02-essai-telephone");
    await page.setViewportSize({ width: 1280, height: 720 });

    // Published (saved as version 1 first).
    await page.getByRole("button", { name: "Publier", exact: true }).click();
    await expectFocused(page.locator("#rules-confirm-title"));
    await page.getByRole("button", { name: "Confirmer la publication" }).click();
    await visible(page.getByText("Version 1 publiée : elle s'applique dès maintenant."));
    await expectFocused(page.locator("#rules-current-title"));
    await visible(current.getByText(/^Version 1, publiée le/));
    await visible(current.getByText("Accompagnement demandé :"));
    const versions = section(page, "rules-versions-title").locator("table");
    await visible(versions.locator("tr").filter({ hasText: "En vigueur" }).getByText("1", { exact: true }));
    await visible(versions.locator("tr").filter({ hasText: "0 (intégrée)" }).getByText("Retirée"));
    await expectAccessible(page, "règles publiées");
    // On a phone, the rules and their versions fit the screen.
    await page.setViewportSize({ width: 360, height: 740 });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth))
      .toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 1280, height: 720 });
    await screenshot(page, "alertes-03-publiees");
    expectNoProblems(lead);
    await lead.context.close();
  }, 240_000);

  it("un analyste qualifie le cas d'un OSE, envoie l'alerte au FSSI et dépose l'alerte précoce NIS 2", async () => {
    const analyst = await h.newPage();
    const { page } = analyst;
    await signIn(page, h.users.cert_analyst);
    await page.goto(`/cert/declarations/${oseCase.id}`);
    await expectText(page.getByRole("heading", { level: 1 }), title);

    // Before qualification, the rules read the declared values: no major incident yet.
    const alerts = section(page, "alertes");
    await visible(alerts.getByRole("heading", { name: "ANSSI" }));
    expect(await alerts.getByRole("heading", { name: "FSSI des ministères sociaux" }).count()).toBe(0);
    await visible(section(page, "echeances").getByText(/Aucune échéance réglementaire/));

    // Qualified: malicious, important effect on the IS — a major incident.
    const qualification = page.locator('form[aria-labelledby="qualification-form-title"]');
    await qualification
      .locator("#qual-summary")
      .fill("Rançongiciel sur le DPI, reprise sur les sauvegardes en cours.");
    await tick(page, /Effet sur le système d'information/, "Important");
    await qualification.getByRole("button", { name: "Enregistrer la qualification" }).click();
    await visible(qualification.getByText("Qualification enregistrée."));

    // The proposals: FSSI (major), ANSSI (OSE, no address), ARS (support requested).
    const fssi = alerts
      .locator(".vigie-alert-list > li")
      .filter({ has: page.getByRole("heading", { name: "FSSI des ministères sociaux" }) });
    await visible(fssi.getByText(/incident majeur/));
    await visible(fssi.getByText("Destinataires : cssi@fssi.test"));
    const anssi = alerts
      .locator(".vigie-alert-list > li")
      .filter({ has: page.getByRole("heading", { name: "ANSSI" }) });
    await visible(anssi.getByText(/Aucune adresse enregistrée pour ce destinataire/));
    const ars = alerts
      .locator(".vigie-alert-list > li")
      .filter({ has: page.getByRole("heading", { name: "ARS Île-de-France" }) });
    await visible(ars.getByText(/accompagnement demandé/));
    await visible(alerts.getByText("Propositions des règles (version 1)"));
    await expectAccessible(page, "alertes proposées");
    await screenshot(page, "alertes-04-propositions");

    // The FSSI alert, its message completed by the analyst.
    await page.getByRole("button", { name: "Préparer l'envoi à FSSI des ministères sociaux" }).click();
    await expectFocused(page.locator("#alert-fssi-subject"));
    expect(await page.locator("#alert-fssi-subject").inputValue()).toContain(oseCase.reference);
    const body = page.locator("#alert-fssi-body");
    expect(await body.inputValue()).not.toContain("Écran de rançon");
    const added = "Le CERT Santé accompagne la structure sur place depuis ce matin.";
    await body.fill(`${await body.inputValue()}\n\n${added}`);
    await expectAccessible(page, "préparation de l'alerte");
    await page.getByRole("button", { name: "Envoyer l'alerte à FSSI des ministères sociaux" }).click();
    await visible(page.getByText("Alerte envoyée à FSSI des ministères sociaux (1 destinataire)."));
    await expectFocused(page.locator("#alerts-history-title"));
    await visible(fssi.getByText("Déjà envoyée"));
    const history = alerts.locator(".vigie-alert-list").last().locator(":scope > li");
    const sent = history.filter({ hasText: "FSSI des ministères sociaux" });
    await visible(sent.getByText("Envoyée", { exact: true }));
    await visible(sent.getByText("En cours", { exact: true }));
    await visible(sent.getByText(/règles version 1/));
    await sent.locator("summary").click();
    await visible(sent.getByText(added, { exact: false }));

    // ANSSI is not told, for a reason the journal keeps.
    await page.getByRole("button", { name: "Ne pas envoyer à ANSSI" }).click();
    await expectFocused(page.locator("#alert-anssi-reason"));
    await page.getByRole("button", { name: "Confirmer : ne pas envoyer à ANSSI" }).click();
    await visible(page.getByRole("link", { name: "Motif : Indiquez pourquoi l'alerte n'est pas envoyée." }));
    await page.locator("#alert-anssi-reason").fill("L'ANSSI a été prévenue directement par la structure.");
    await page.getByRole("button", { name: "Confirmer : ne pas envoyer à ANSSI" }).click();
    await visible(page.getByText("Alerte à ANSSI non envoyée : le motif est au journal."));
    await visible(
      history
        .filter({ hasText: "ANSSI" })
        .getByText("Motif : L'ANSSI a été prévenue directement par la structure."),
    );

    // In the journal.
    const journal = page.locator(".vigie-journal");
    await visible(
      journal
        .locator(".vigie-journal__entry")
        .filter({ hasText: "Alerte envoyée à FSSI des ministères sociaux" }),
    );
    await visible(journal.locator(".vigie-journal__entry").filter({ hasText: "Alerte à ANSSI non envoyée" }));

    // The e-mail is given up by the outbox: the history says so, and the analyst sends it again.
    const notification = await h.database.db
      .selectFrom("authority_notifications")
      .select(["mail_ids"])
      .where("incident_id", "=", oseCase.id)
      .where("authority", "=", "fssi")
      .executeTakeFirstOrThrow();
    await h.database.db
      .updateTable("mail_outbox")
      .set({ attempts: 12, last_error: "550 boîte inconnue", next_attempt_at: null })
      .where("id", "in", notification.mail_ids as string[])
      .execute();
    await page.reload();
    await expectText(page.getByRole("heading", { level: 1 }), title);
    await visible(sent.getByText("Échec", { exact: true }));
    await page.getByRole("button", { name: "Relancer l'envoi à FSSI des ministères sociaux" }).click();
    await visible(page.getByText("Nouvel envoi de l'alerte à FSSI des ministères sociaux demandé."));
    await visible(sent.getByText("En cours", { exact: true }));
    await expectAccessible(page, "historique des alertes");
    await screenshot(page, "alertes-05-historique");

    // The analyst marks the incident as possibly affecting other sectors.
    await page.locator('label[for="case-other-sectors-0"]').click();
    await page.getByRole("button", { name: "Enregistrer la portée" }).click();
    await visible(page.getByText("Cas marqué comme pouvant toucher d'autres secteurs."));

    // The NIS 2 clocks, opened at qualification: the early warning is due within 12 hours.
    const clocks = section(page, "echeances");
    const early = clocks
      .locator(".vigie-alert-list > li")
      .filter({ hasText: "NIS 2 — alerte précoce (24 h)" });
    await visible(early.getByText("Bientôt dû", { exact: true }));
    await visible(
      clocks.locator("li").filter({ hasText: "NIS 2 — notification d'incident (72 h)" }).getByText("À venir"),
    );
    await visible(clocks.getByRole("heading", { name: "NIS 2 — rapport final (1 mois)" }));
    await page.getByRole("button", { name: "Marquer comme déposé : NIS 2 — alerte précoce (24 h)" }).click();
    await early.getByLabel(/Référence du dépôt/).fill("CYBERMALVEILLANCE-2026-0042");
    await early.getByRole("button", { name: "Enregistrer le dépôt" }).click();
    await visible(page.getByText("Dépôt enregistré : NIS 2 — alerte précoce (24 h)."));
    await visible(early.getByText("Déposé", { exact: true }));
    await visible(early.getByText("CYBERMALVEILLANCE-2026-0042"));
    // An intermediate report requested by the authority.
    const due = parisDay(10);
    await page.locator("#clock-intermediate-due").fill(due.input);
    await page.getByRole("button", { name: "Enregistrer la demande" }).click();
    await visible(page.getByText(`Rapport intermédiaire demandé, à remettre avant le ${due.shown}.`));
    await visible(clocks.getByRole("heading", { name: "NIS 2 — rapport intermédiaire (sur demande)" }));
    await visible(
      journal
        .locator(".vigie-journal__entry")
        .filter({ hasText: "Dépôt enregistré : NIS 2 — alerte précoce (24 h)" }),
    );
    await expectAccessible(page, "échéances du cas");
    await screenshot(page, "alertes-06-echeances");

    // On a phone, no sideways scrolling.
    await page.setViewportSize({ width: 360, height: 740 });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth))
      .toBeLessThanOrEqual(360);
    await page.setViewportSize({ width: 1280, height: 720 });

    // The CERT's list of clocks: the others still to file, the filed one among all of them.
    await alertsMenu(page, "Échéances réglementaires");
    const table = page.locator("main table");
    await visible(
      table
        .locator("tr")
        .filter({ hasText: "NIS 2 — notification d'incident (72 h)" })
        .getByRole("link", { name: oseCase.reference }),
    );
    await visible(table.getByText("NIS 2 — rapport final (1 mois)"));
    await visible(table.getByText("NIS 2 — rapport intermédiaire (sur demande)"));
    expect(await table.getByText("NIS 2 — alerte précoce (24 h)").count()).toBe(0);
    await visible(page.getByText("3 échéances"));
    await expectAccessible(page, "échéances à déposer");
    await page.getByRole("link", { name: "Bientôt dues" }).click();
    await visible(page.getByText("Aucune échéance."));
    await page.getByRole("link", { name: "Toutes" }).click();
    await visible(
      table
        .locator("tr")
        .filter({ hasText: "NIS 2 — alerte précoce (24 h)" })
        .getByText("Déposé", { exact: true }),
    );
    await visible(page.getByText("4 échéances"));
    await expectAccessible(page, "toutes les échéances");
    await screenshot(page, "alertes-07-liste-echeances");
    await table.getByRole("link", { name: oseCase.reference }).first().click();
    await expectText(page.getByRole("heading", { level: 1 }), title);
    expectNoProblems(analyst);
    await analyst.context.close();
  }, 240_000);
});
