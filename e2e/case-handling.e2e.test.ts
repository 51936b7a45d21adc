import { randomUUID } from "node:crypto";
import { seedReflexSheets } from "@vigie/core";
import type { Locator, Page } from "playwright-core";
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

/** Checks a radio button or a checkbox by its label, within the group named by its legend. */
async function tick(page: Page, group: RegExp, label: string): Promise<void> {
  const scope = page.getByRole("group", { name: group });
  await scope
    .locator("label")
    .filter({ hasText: new RegExp(`^${escapeRegExp(label)}$`) })
    .click();
  expect(await scope.getByLabel(label, { exact: true }).isChecked()).toBe(true);
}

/** The checked state of a choice within the group named by its legend. */
function choice(page: Page, group: RegExp, label: string): Promise<boolean> {
  return page.getByRole("group", { name: group }).getByLabel(label, { exact: true }).isChecked();
}

/** "2026-12-01T10:00" in Paris time, `days` from now, at 10:00: what a datetime-local input takes. */
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

/** A section of the case page, by the id of its heading. */
const section = (page: Page, id: string): Locator => page.locator(`section[aria-labelledby="${id}"]`);

describe.skipIf(!browserAvailable)("traitement d'un cas par le CERT", () => {
  let h: Harness;
  let incidentId = "";
  let reference = "";
  let followPath = "";
  const title = "Rançongiciel sur les serveurs de fichiers";
  const question = "Les sauvegardes hors ligne sont-elles intactes ? Depuis quand ?";
  const note = "Note interne : piste d'un accès VPN compromis, ne pas communiquer.";

  beforeAll(async () => {
    h = await startHarness();
    await seedReflexSheets(h.database.db, new Date());
    // A declaration without an account, as a declarant sends it from the public form.
    const response = await h.app.inject({
      method: "POST",
      url: "/api/declarations",
      payload: {
        idempotencyKey: randomUUID(),
        finess: [h.structures.home.finessEt],
        declarant: {
          fullName: "Camille Durand",
          email: "camille.durand@exemple.test",
          phone: "01 46 00 00 01",
        },
        title,
        description: "Message de rançon sur les serveurs de fichiers, partages chiffrés depuis cette nuit.",
        detectedAt: new Date(Date.now() - 3600_000).toISOString(),
        proposedOrigin: "malicious",
        proposedMaliciousTypes: ["ransomware"],
        operationalImpact: "degraded_care",
        patientEndangerment: "potential",
        dataImpacts: ["data_loss_or_unavailability"],
        stateAtDeclaration: "support_needed",
        supportRequested: true,
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    const receipt = response.json() as { id: string; reference: string; followUrl: string };
    incidentId = receipt.id;
    reference = receipt.reference;
    followPath = new URL(receipt.followUrl).pathname;
  });
  afterAll(async () => {
    await h?.close();
  });

  it("un analyste prend en charge, qualifie, échange, journalise, résout et clôture le cas", async () => {
    const analyst = await h.newPage();
    const { page } = analyst;
    await signIn(page, h.users.cert_analyst);

    // From the queue to the case.
    await page.getByRole("main").getByRole("link", { name: "Déclarations reçues" }).click();
    await expectText(page.getByRole("heading", { level: 1 }), "Déclarations reçues");
    await page.getByRole("link", { name: reference }).click();
    await expectText(page.getByRole("heading", { level: 1 }), title);
    expect(new URL(page.url()).pathname).toBe(`/cert/declarations/${incidentId}`);
    const header = page.locator(".vigie-badges").first();
    await visible(header.getByText("Nouvelle", { exact: true }));
    await visible(header.getByText("TLP:AMBER", { exact: true }));
    await expectAccessible(page, "cas nouveau");
    await screenshot(page, "cas-01-nouveau");

    // Take it: new → triage, assigned to the analyst.
    const actions = page.locator("form.vigie-case-actions");
    await actions.getByRole("button", { name: "Prendre en charge" }).click();
    await visible(page.getByText("Cas pris en charge : statut « En tri »."));
    await visible(header.getByText("En tri", { exact: true }));
    await expectFocused(page.locator("#case-actions-title"));
    await expectText(
      page.locator(".vigie-case-meta div").filter({ hasText: "Analyste assigné" }).locator("dd"),
      h.users.cert_analyst.full_name,
    );

    expect(await page.locator("#case-assignee").inputValue()).toBe(h.users.cert_analyst.id);
    // The case is marked TLP:AMBER+STRICT.
    await page.locator("#case-tlp").selectOption("amber_strict");
    await page.getByRole("button", { name: "Changer le TLP" }).click();
    await visible(page.getByText(/^TLP du cas : TLP:AMBER\+STRICT/));
    await visible(header.getByText("TLP:AMBER+STRICT", { exact: true }));

    // Resolving before qualifying: refused, the qualification form says why and takes the focus.
    await actions.getByRole("button", { name: "Déclarer résolu" }).click();
    const qualification = page.locator('form[aria-labelledby="qualification-form-title"]');
    const summary = qualification.locator(".vigie-error-summary");
    await visible(summary.getByText(/Qualifiez le cas/));
    await expectFocused(summary);
    await visible(header.getByText("En tri", { exact: true }));
    await expectAccessible(page, "résolution refusée faute de qualification");
    await screenshot(page, "cas-02-qualification-requise");

    // The form starts from what was declared.
    expect(await choice(page, /Origine de l'incident/, "Malveillante")).toBe(true);
    expect(await choice(page, /Types d'incident malveillant/, "Rançongiciel")).toBe(true);
    expect(
      await choice(page, /Impact sur le fonctionnement/, "Prise en charge des patients en mode dégradé"),
    ).toBe(true);
    // Without the effect on the IS, the browser refuses it, naming the field.
    await qualification
      .locator("#qual-summary")
      .fill("Rançongiciel sur les serveurs de fichiers, soins en mode dégradé.");
    await qualification.getByRole("button", { name: "Enregistrer la qualification" }).click();
    await visible(summary.getByRole("link", { name: /Effet sur le SI : Indiquez l'effet/ }));
    expect(await qualification.locator("#qual-summary").inputValue()).toContain("Rançongiciel");
    await tick(page, /Effet sur le système d'information/, "Important");
    await tick(page, /Impact sur les données/, "Atteinte à l'intégrité des données");
    await qualification.getByRole("button", { name: "Enregistrer la qualification" }).click();
    await visible(qualification.getByText("Qualification enregistrée."));
    const comparison = section(page, "qualification").locator("table");
    await visible(comparison.getByText("Déclaré", { exact: true }));
    await visible(comparison.locator("tr").filter({ hasText: "Effet sur le SI" }).getByText("Important"));
    await visible(header.getByText("Qualifié", { exact: true }));
    await expectAccessible(page, "cas qualifié");
    await screenshot(page, "cas-03-qualifie");

    // A question with its due date: a request for complements.
    const due = parisDay(3);
    await page.locator("#reponse-body").fill(question);
    await page.locator("#reponse-due").fill(due.input);
    await page.getByRole("button", { name: "Poser une question au déclarant" }).click();
    await visible(page.locator(".vigie-message--question").getByText(question));
    const complements = section(page, "complements");
    await visible(complements.getByText(question));
    await visible(complements.getByText("En attente de réponse"));
    await expectText(
      complements
        .locator(".vigie-case-meta div")
        .filter({ hasText: "Réponse attendue avant le" })
        .locator("dd"),
      due.shown,
    );

    // A reflex sheet suggested for the declared ransomware.
    const sheets = section(page, "reflex-sheets-title");
    await sheets
      .getByRole("button", { name: "Envoyer au déclarant la fiche « Rançongiciel : les premiers gestes »" })
      .click();
    await visible(sheets.getByText("Fiche « Rançongiciel : les premiers gestes » envoyée au déclarant."));
    await visible(sheets.getByText("Déjà envoyée (version 1)"));
    await visible(
      page
        .locator(".vigie-message--recommendation")
        .getByText(/Rançongiciel : les premiers gestes/)
        .first(),
    );

    // An internal note, TLP:RED.
    await page.locator("#case-note-body").fill(note);
    await page.locator("#case-note-tlp").selectOption("red");
    await page.getByRole("button", { name: "Ajouter la note" }).click();
    await visible(page.getByText("Note interne ajoutée au journal."));

    // Technical support with ANSSI.
    await page.locator("#support-kind").selectOption("remote");
    await page
      .locator("#support-description")
      .fill("Analyse des journaux du VPN avec l'équipe informatique.");
    await page.locator("#support-duration").fill("90");
    await tick(page, /Intervention directe d'une autorité/, "ANSSI");
    await page.getByRole("button", { name: "Enregistrer l'appui" }).click();
    await visible(page.getByText("Appui technique enregistré."));
    const support = section(page, "appui");
    await visible(support.getByText("Analyse des journaux du VPN avec l'équipe informatique."));
    await visible(support.getByText("Intervention directe : ANSSI"));

    // All of it in the journal.
    const journal = page.locator(".vigie-journal");
    const entry = (kind: string) => journal.locator(".vigie-journal__entry").filter({ hasText: kind });
    await visible(entry("Changement de statut").filter({ hasText: "En tri" }));
    await visible(entry("Analyste assigné"));
    await visible(entry("TLP").filter({ hasText: "TLP:AMBER+STRICT" }));
    await visible(entry("Qualification").filter({ hasText: "Effet sur le SI" }));
    await visible(entry("Question au déclarant").filter({ hasText: question }));
    await visible(entry("Demande de compléments").filter({ hasText: due.shown }));
    await visible(entry("Fiche réflexe envoyée").filter({ hasText: "Rançongiciel : les premiers gestes" }));
    const noteEntry = page.locator(".vigie-journal__entry--note").filter({ hasText: note });
    await visible(noteEntry.getByText("Interne au CERT"));
    await visible(noteEntry.getByText("TLP:RED"));
    await visible(entry("Appui technique").filter({ hasText: "ANSSI" }));
    await expectAccessible(page, "journal du cas");
    await screenshot(page, "cas-04-journal");

    // Resolved, then closed.
    await actions.getByRole("button", { name: "Déclarer résolu" }).click();
    await visible(page.getByText("Statut changé : Résolue."));
    await visible(header.getByText("Résolue", { exact: true }));
    await actions.getByRole("button", { name: "Clôturer" }).click();
    await visible(page.getByText("Statut changé : Clôturée."));
    await visible(header.getByText("Clôturée", { exact: true }));
    await visible(actions.getByRole("button", { name: "Rouvrir" }));
    await visible(entry("Changement de statut").filter({ hasText: "Clôturée" }));
    await expectAccessible(page, "cas clôturé");

    // On a phone, the page stacks in one column without sideways scrolling.
    await page.setViewportSize({ width: 360, height: 740 });
    await expect
      .poll(() => page.evaluate(() => document.documentElement.scrollWidth))
      .toBeLessThanOrEqual(360);
    await expectAccessible(page, "cas clôturé sur téléphone");
    await screenshot(page, "cas-05-telephone");
    expectNoProblems(analyst);
    await analyst.context.close();

    // The declarant sees the question and the sheet, never the internal note.
    const declarant = await h.newPage();
    await declarant.page.goto(followPath);
    await expectText(declarant.page.getByRole("heading", { level: 1 }), title);
    await visible(declarant.page.locator(".vigie-message--question").getByText(question));
    await visible(
      declarant.page
        .locator(".vigie-message--recommendation")
        .getByText(/Rançongiciel : les premiers gestes/)
        .first(),
    );
    expect(await declarant.page.getByText(note).count()).toBe(0);
    expect(await declarant.page.content()).not.toContain("piste d'un accès VPN");
    await expectAccessible(declarant.page, "suivi par le déclarant");
    expectNoProblems(declarant);
    await declarant.context.close();
  }, 240_000);
});
