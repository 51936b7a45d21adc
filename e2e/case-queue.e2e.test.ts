import { randomUUID } from "node:crypto";
import { CSRF_HEADER, SESSION_COOKIE } from "@vigie/api";
import { startSession } from "@vigie/core";
import type { TestUser } from "@vigie/test-kit";
import type { Page } from "playwright-core";
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

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The queue's table rows, as references. */
async function listedReferences(page: Page): Promise<string[]> {
  const links = page.locator(".vigie-queue-table tbody tr td:first-child a");
  return (await links.allTextContents()).map((t) => t.trim());
}

/** Waits until the table lists exactly these references (any order). */
async function expectListed(page: Page, references: string[]): Promise<void> {
  await expect
    .poll(async () => (await listedReferences(page)).sort(), { timeout: 10_000 })
    .toEqual([...references].sort());
}

/** Ticks a checkbox by its label within the fieldset named by its legend. */
async function tick(page: Page, legend: string, label: string): Promise<void> {
  const group = page.getByRole("group", { name: legend, exact: true });
  await group
    .locator("label")
    .filter({ hasText: new RegExp(`^${escapeRegExp(label)}$`) })
    .click();
  expect(await group.getByLabel(label, { exact: true }).isChecked()).toBe(true);
}

/** Opens a folded section of the filter panel. */
async function openSection(page: Page, title: string): Promise<void> {
  const button = page.getByRole("button", { name: new RegExp(`^${escapeRegExp(title)}`) });
  if ((await button.getAttribute("aria-expanded")) !== "true") await button.click();
  await expect.poll(() => button.getAttribute("aria-expanded")).toBe("true");
}

/** The text of a quick filter (counter), found by its label. */
function quickFilter(page: Page, label: string) {
  return page
    .getByRole("region", { name: "Filtres rapides" })
    .getByRole("button", { name: new RegExp(`^${escapeRegExp(label)} \\(`) });
}

describe.skipIf(!browserAvailable)("la file des déclarations du CERT", () => {
  let h: Harness;
  const references: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let eventId = "";

  async function sessionOf(user: TestUser): Promise<Record<string, string>> {
    const started = await startSession(
      h.database.db,
      user,
      { ttlHours: 1, mfaAlreadySatisfied: true },
      new Date(),
    );
    return { cookie: `${SESSION_COOKIE}=${started.cookieValue}`, [CSRF_HEADER]: started.csrfToken };
  }

  /** A declaration made without an account, as from the public form. */
  async function declare(name: string, finess: string, fields: Record<string, unknown>): Promise<void> {
    const response = await h.app.inject({
      method: "POST",
      url: "/api/declarations",
      payload: {
        idempotencyKey: randomUUID(),
        finess: [finess],
        declarant: {
          fullName: "Claire Martin",
          email: "claire.martin@exemple.test",
          phone: "01 23 45 67 89",
        },
        detectedAt: new Date(Date.now() - 3_600_000).toISOString(),
        stateAtDeclaration: "in_progress",
        supportRequested: false,
        operationalImpact: "none",
        ...fields,
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    ids[name] = response.json().id;
    references[name] = response.json().reference;
  }

  beforeAll(async () => {
    h = await startHarness();
    const { home, lyon, ehpad, lab } = h.structures;
    await declare("ransom", home.finessEt, {
      title: "Rançongiciel sur les serveurs de fichiers",
      description: "Message de rançon affiché sur les serveurs de fichiers, partages chiffrés.",
      proposedOrigin: "malicious",
      proposedMaliciousTypes: ["ransomware"],
      operationalImpact: "care_interrupted",
      supportRequested: true,
    });
    await declare("lyonPhishing", lyon.finessEt, {
      title: "Hameçonnage de la messagerie",
      description: "Plusieurs comptes ont saisi leur mot de passe sur une fausse page.",
      proposedOrigin: "malicious",
      proposedMaliciousTypes: ["malicious_message"],
    });
    await declare("ehpadPhishing", ehpad.finessEt, {
      title: "Campagne d'hameçonnage visant les soignants",
      description: "Courriels frauduleux imitant la paie, deux agents ont cliqué.",
      proposedOrigin: "malicious",
      proposedMaliciousTypes: ["malicious_message"],
    });
    await declare("outage", lab.finessEt, {
      title: "Panne électrique du laboratoire",
      description: "Coupure de courant, automates arrêtés pendant une heure.",
      proposedOrigin: "non_malicious",
      proposedNonMaliciousTypes: ["power_outage"],
      operationalImpact: "degraded_support",
    });
    await declare("homePhishing", home.finessEt, {
      title: "Messages frauduleux reçus par la direction",
      description: "Hameçonnage : des courriels usurpent l'adresse du directeur général.",
      proposedOrigin: "malicious",
      proposedMaliciousTypes: ["malicious_message", "fraud"],
    });
    // The CERT is on one of them; the ransomware case is the analyst's.
    const moved = await h.app.inject({
      method: "POST",
      url: `/api/declarations/${ids.ehpadPhishing}/status`,
      headers: await sessionOf(h.users.cert_lead),
      payload: { status: "in_progress" },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    await h.database.db
      .updateTable("incidents")
      .set({ assignee_user_id: h.users.cert_analyst.id })
      .where("id", "=", ids.ransom as string)
      .execute();
    // The Lyon phishing is linked to a CERT event.
    const event = await h.database.db
      .insertInto("events")
      .values({
        reference: "EV-2026-0042",
        title: "Campagne d'hameçonnage nationale",
        created_by_user_id: h.users.cert_lead.id,
        created_at: new Date(),
        updated_at: new Date(),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    eventId = event.id;
    await h.database.db
      .updateTable("incidents")
      .set({ event_id: event.id })
      .where("id", "=", ids.lyonPhishing as string)
      .execute();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("un analyste filtre, cherche, enregistre une vue et la réapplique après rechargement", async () => {
    const analyst = await h.newPage();
    const { page } = analyst;
    await signIn(page, h.users.cert_analyst);
    await page.getByRole("navigation").getByRole("link", { name: "Déclarations reçues" }).first().click();
    await expectText(page.getByRole("heading", { level: 1 }), "Déclarations reçues");
    await visible(page.getByRole("link", { name: "Saisir une déclaration reçue par téléphone ou courriel" }));
    const count = page.locator("#queue-results-title ~ p[role=status]");
    await expectText(count, /^5 déclarations, les plus récentes d'abord\.$/);
    await expectListed(page, Object.values(references));

    // The counters, as quick filters.
    await expectText(quickFilter(page, "Nouvelle"), "Nouvelle (4)");
    await expectText(quickFilter(page, "En cours de traitement"), "En cours de traitement (1)");
    await expectText(quickFilter(page, "Clôturée"), "Clôturée (0)");
    await expectText(quickFilter(page, "En retard"), "En retard (0)");
    await expectText(quickFilter(page, "Non assignées"), "Non assignées (4)");
    await expectText(quickFilter(page, "Mes cas"), "Mes cas (1)");
    // The table shows the handling.
    const ransomRow = page.locator("tr").filter({ has: page.getByRole("link", { name: references.ransom }) });
    await visible(ransomRow.getByText(h.users.cert_analyst.full_name));
    await visible(ransomRow.getByText("Interruption de la prise en charge"));
    await visible(ransomRow.getByText("Demandé", { exact: true }));
    const lyonRow = page
      .locator("tr")
      .filter({ has: page.getByRole("link", { name: references.lyonPhishing }) });
    expect(await lyonRow.getByRole("link", { name: "EV-2026-0042" }).getAttribute("href")).toBe(
      `/cert/evenements/${eventId}`,
    );
    await expectAccessible(page, "file du CERT");
    await screenshot(page, "file-01-toutes");

    // « Mes cas »: one click filters, a second one removes the filter.
    await quickFilter(page, "Mes cas").click();
    await expectListed(page, [references.ransom as string]);
    expect(await quickFilter(page, "Mes cas").getAttribute("aria-pressed")).toBe("true");
    expect(new URL(page.url()).searchParams.get("assignee")).toBe("me");
    await quickFilter(page, "Mes cas").click();
    await expectListed(page, Object.values(references));

    // Status and region, from the filter panel.
    await openSection(page, "Statut et traitement");
    await tick(page, "Statut", "Nouvelle");
    await openSection(page, "Structure");
    await tick(page, "Région", "Île-de-France");
    await expectAccessible(page, "panneau de filtres ouvert");
    await page.getByRole("button", { name: "Appliquer les filtres" }).click();
    await expectListed(page, [references.ransom as string, references.homePhishing as string]);
    await expectText(count, /^2 déclarations/);
    const url = new URL(page.url());
    expect(url.searchParams.getAll("status")).toEqual(["new"]);
    expect(url.searchParams.getAll("region")).toEqual(["11"]);
    // Counts per status within the other filters (region 11).
    await expectText(quickFilter(page, "Nouvelle"), "Nouvelle (2)");
    await expectText(quickFilter(page, "En cours de traitement"), "En cours de traitement (1)");
    await visible(page.getByRole("button", { name: "Structure — 1 filtre actif" }));

    // A word typed without its accent finds the accented one, in the title or the description.
    await page.locator("#queue-q").fill("hamecon");
    await page.locator("#queue-q").press("Enter");
    await expectListed(page, [references.homePhishing as string]);
    await expectText(count, /^1 déclaration,/);
    expect(new URL(page.url()).searchParams.get("q")).toBe("hamecon");
    await screenshot(page, "file-02-filtree");

    // Saved as a view.
    const viewName = "Hameçonnage en Île-de-France";
    await page.locator("#queue-view-name").fill(viewName);
    await page.getByRole("button", { name: "Enregistrer cette vue" }).click();
    await visible(page.getByText(`Vue « ${viewName} » enregistrée.`));
    expect(await page.locator("#queue-view").inputValue()).not.toBe("");
    await expectAccessible(page, "vue enregistrée");
    // The same name again is refused, next to the field.
    await page.locator("#queue-view-name").fill(viewName);
    await page.getByRole("button", { name: "Enregistrer cette vue" }).click();
    await visible(page.getByText(`Vous avez déjà une vue nommée « ${viewName} ».`));

    // Reset, reload: nothing filtered, the view is still there and brings the filters back.
    await page.getByRole("button", { name: "Réinitialiser", exact: true }).click();
    await expectListed(page, Object.values(references));
    expect(new URL(page.url()).search).toBe("");
    await page.reload();
    await expectText(page.getByRole("heading", { level: 1 }), "Déclarations reçues");
    await expectListed(page, Object.values(references));
    await page.locator("#queue-view").selectOption({ label: viewName });
    await page.getByRole("button", { name: "Appliquer la vue" }).click();
    await visible(page.getByText(`Vue « ${viewName} » appliquée.`));
    await expectListed(page, [references.homePhishing as string]);
    const applied = new URL(page.url()).searchParams;
    expect(applied.getAll("status")).toEqual(["new"]);
    expect(applied.getAll("region")).toEqual(["11"]);
    expect(applied.get("q")).toBe("hamecon");
    expect(await page.locator("#queue-q").inputValue()).toBe("hamecon");
    await openSection(page, "Statut et traitement");
    expect(
      await page.getByRole("group", { name: "Statut", exact: true }).getByLabel("Nouvelle").isChecked(),
    ).toBe(true);
    await expectAccessible(page, "vue appliquée");
    await screenshot(page, "file-03-vue-appliquee");

    // The reference opens the case.
    await page.getByRole("link", { name: references.homePhishing }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/cert/declarations/${ids.homePhishing}`);

    const stored = await h.database.db
      .selectFrom("saved_views")
      .select(["name", "query"])
      .where("user_id", "=", h.users.cert_analyst.id)
      .execute();
    expect(stored).toEqual([{ name: viewName, query: "q=hamecon&status=new&region=11" }]);
    expectNoProblems(analyst);
    await analyst.context.close();
  });

  it("la file reste utilisable sur un téléphone, vue supprimée et filtres invalides compris", async () => {
    const watched = await h.newPage(phone);
    const { page } = watched;
    await signIn(page, h.users.cert_lead);
    await page.goto("/cert/declarations?status=waiting_declarant");
    await expectText(page.getByRole("heading", { level: 1 }), "Déclarations reçues");
    await visible(page.getByText("Aucune déclaration ne correspond à ces filtres."));
    await expectAccessible(page, "file vide sur téléphone");
    await screenshot(page, "file-04-telephone-vide");
    await page.getByRole("button", { name: "Réinitialiser les filtres" }).click();
    await expectListed(page, Object.values(references));
    await openSection(page, "Structure");
    await screenshot(page, "file-05-telephone-liste");

    // A view of the lead's own, then deleted.
    await page.locator("#queue-view-name").fill("Tout");
    await page.getByRole("button", { name: "Enregistrer cette vue" }).click();
    await visible(page.getByText("Vue « Tout » enregistrée."));
    await page.getByRole("button", { name: "Supprimer la vue" }).click();
    await visible(page.getByText("Vue « Tout » supprimée."));
    await visible(page.getByText("Aucune vue enregistrée."));

    // A link from the event's page: its declarations only, the filter shown and removable.
    await page.goto(`/cert/declarations?event=${eventId}`);
    await expectListed(page, [references.lyonPhishing as string]);
    await page.getByRole("button", { name: "Retirer le filtre sur l'évènement EV-2026-0042" }).click();
    await expectListed(page, Object.values(references));

    // An edited link with a filter the API refuses names it and offers to start again.
    await page.goto("/cert/declarations?declaredFrom=2026-03-10&declaredTo=2026-03-01");
    await visible(page.getByRole("heading", { name: "Filtres invalides" }));
    await expectAccessible(page, "filtres invalides sur téléphone");
    expectNoProblems(watched);
    await watched.context.close();
  });
});
