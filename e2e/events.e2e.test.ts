import { randomUUID } from "node:crypto";
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

/** Two structures declare the same phishing campaign, without an account. */
async function declare(h: Harness, finess: string, email: string, title: string) {
  const response = await h.app.inject({
    method: "POST",
    url: "/api/declarations",
    payload: {
      idempotencyKey: randomUUID(),
      finess: [finess],
      declarant: { fullName: "Camille Durand", email, phone: "01 23 45 67 89" },
      title,
      description: "Des agents ont reçu un courriel usurpant la DSI qui demande leur mot de passe.",
      detectedAt: new Date(Date.now() - 3_600_000).toISOString(),
      operationalImpact: "none",
      stateAtDeclaration: "in_progress",
      supportRequested: false,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  const receipt = response.json() as { id: string; reference: string; followUrl: string };
  const followPath = new URL(receipt.followUrl, "http://localhost").pathname;
  return { ...receipt, followPath };
}

describe.skipIf(!browserAvailable)("évènements du CERT", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("un analyste regroupe deux déclarations dans un évènement et écrit à tous leurs déclarants", async () => {
    const first = await declare(h, h.structures.home.finessEt, "rssi@ch-vigie.fr", "Courriel piégé DSI");
    const second = await declare(
      h,
      h.structures.lyon.finessEt,
      "dsi@croix-rousse.test",
      "Hameçonnage : faux courriel de la DSI",
    );

    const analyst = await h.newPage();
    const { page } = analyst;
    await signIn(page, h.users.cert_analyst);
    await page.getByRole("link", { name: "Évènements", exact: true }).first().click();
    await expectText(page.getByRole("heading", { level: 1 }), "Évènements");
    await visible(page.getByText("Aucun évènement."));
    await expectAccessible(page, "liste des évènements (vide)");

    // Creation: a title and the analysis shared with the declarants.
    await page.getByRole("link", { name: "Créer un évènement" }).click();
    await expectText(page.getByRole("heading", { level: 1 }), "Créer un évènement");
    await expectFocused(page.getByRole("heading", { level: 1 }));
    await page.getByRole("button", { name: "Créer l'évènement" }).click();
    await visible(page.getByRole("link", { name: /Titre : Donnez un titre/ }));
    await expectFocused(page.locator(".vigie-error-summary"));
    await expectAccessible(page, "création d'évènement — erreur");
    const title = "Campagne d'hameçonnage usurpant la DSI";
    const analysis = "L'expéditeur usurpe l'adresse de la DSI ; le lien mène à une fausse page de connexion.";
    await page.locator("#event-new-title").fill(title);
    await page.locator("#event-new-analysis").fill(analysis);
    await page.getByRole("button", { name: "Créer l'évènement" }).click();
    await expectText(page.getByRole("heading", { level: 1 }), title);
    const reference = ((await page.locator(".vigie-reference").textContent()) ?? "").trim();
    expect(reference).toMatch(/^EV-\d{4}-0001$/);
    await visible(page.getByText(`Évènement créé sous la référence ${reference}.`));
    await expectAccessible(page, "évènement créé");
    await screenshot(page, "evenement-01-cree");

    // Linking: an unknown reference is named next to the field, nothing is linked.
    const field = page.locator("#event-link");
    await field.fill(`${first.reference}, CS-2020-999999`);
    await page.getByRole("button", { name: "Rattacher", exact: true }).click();
    await visible(page.getByRole("link", { name: /CS-2020-999999/ }));
    await expect.poll(() => field.getAttribute("aria-invalid")).toBe("true");
    await expectAccessible(page, "rattachement — référence inconnue");
    await visible(page.getByText("Aucune déclaration n'est rattachée à cet évènement."));

    // Both references, one per line.
    await field.fill(`${first.reference}\n${second.reference.toLowerCase()}`);
    await page.getByRole("button", { name: "Rattacher", exact: true }).click();
    await visible(page.getByText("2 déclarations rattachées à l'évènement."));
    await visible(page.getByRole("link", { name: first.reference }));
    await visible(page.getByRole("link", { name: second.reference }));
    expect(await page.getByRole("link", { name: first.reference }).getAttribute("href")).toBe(
      `/cert/declarations/${first.id}`,
    );
    await visible(page.getByRole("button", { name: `Détacher ${second.reference}` }));
    await expectAccessible(page, "évènement avec deux déclarations");

    // One message to every declarant.
    const body =
      "Ne cliquez pas sur le lien ; changez votre mot de passe et signalez le courriel à votre DSI.";
    await page.locator("#event-message-body").fill(body);
    await page.getByRole("button", { name: "Envoyer à tous les déclarants" }).click();
    await visible(page.getByText("Message envoyé à 2 déclarants."));
    await screenshot(page, "evenement-02-message");
    const rows = await h.database.db
      .selectFrom("incident_messages")
      .select(["incident_id", "event_id"])
      .where("body", "=", body)
      .execute();
    expect(rows.map((r) => r.incident_id).sort()).toEqual([first.id, second.id].sort());
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(1);

    // The list shows the event with its two declarations.
    await page.getByRole("link", { name: "Évènements", exact: true }).first().click();
    await expectText(page.getByRole("heading", { level: 1 }), "Évènements");
    const line = page.locator("tr").filter({ has: page.getByRole("link", { name: reference }) });
    await visible(line);
    expect((await line.locator("td").nth(2).textContent())?.trim()).toBe("2");
    await expectAccessible(page, "liste des évènements");
    await page.getByRole("link", { name: reference }).click();
    await expectText(page.getByRole("heading", { level: 1 }), title);
    await visible(page.getByRole("link", { name: first.reference }));
    await visible(page.getByRole("link", { name: second.reference }));
    expectNoProblems(analyst);
    await analyst.context.close();

    // The declarant of the second declaration reads the CERT's message and the shared analysis.
    const declarant = await h.newPage();
    await declarant.page.goto(second.followPath);
    await expectText(
      declarant.page.getByRole("heading", { level: 1 }),
      "Hameçonnage : faux courriel de la DSI",
    );
    const message = declarant.page.locator(".vigie-message").filter({ hasText: body });
    await visible(message);
    await visible(message.getByText("CERT Santé"));
    await visible(message.getByText(`adressé aux déclarants de l'évènement ${reference}`));
    const shared = declarant.page.getByRole("region", { name: `Analyse du CERT Santé : ${title}` });
    await visible(shared.getByText(analysis));
    await expectAccessible(declarant.page, "déclaration suivie, message de l'évènement");
    await screenshot(declarant.page, "evenement-03-declarant");
    expectNoProblems(declarant);
    await declarant.context.close();
  });
});
