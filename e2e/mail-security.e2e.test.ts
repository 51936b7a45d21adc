import type { MailControl } from "@vigie/contracts";
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

// The tests never reach a real domain or mailbox: the finished test and the sent campaign are
// stored as the engines write them, and the pages read them through the real API.
const controls: MailControl[] = [
  {
    code: "spf.all",
    family: "spf",
    status: "fail",
    title: "L'enregistrement SPF se termine par « +all »",
    explanation:
      "N'importe quel serveur peut envoyer des courriels en votre nom. Terminez l'enregistrement par « -all ».",
    evidence: "v=spf1 mx +all",
  },
  {
    code: "dmarc.policy",
    family: "dmarc",
    status: "warn",
    title: "Politique DMARC « none »",
    explanation: "Les messages usurpant votre domaine ne sont ni rejetés ni mis en quarantaine.",
    evidence: "v=DMARC1; p=none",
  },
  {
    code: "starttls.mx1.ch-vigie.fr",
    family: "starttls",
    status: "pass",
    title: "mx1.ch-vigie.fr propose STARTTLS avec un certificat valide",
    explanation: "Les courriels reçus par ce serveur sont chiffrés en transit.",
    evidence: null,
  },
];

const messages = [
  { token: "e2etoken0001", code: "VIG-01", category: "attachment", title: "Pièce jointe .exe" },
  { token: "e2etoken0002", code: "VIG-02", category: "attachment", title: "Pièce jointe .js" },
  { token: "e2etoken0003", code: "VIG-03", category: "malware", title: "Fichier de test EICAR" },
  { token: "e2etoken0004", code: "VIG-04", category: "link", title: "Lien vers une adresse IP" },
];

describe.skipIf(!browserAvailable)("sécurité de la messagerie : configuration et filtrage", () => {
  let h: Harness;
  let declarant: WatchedPage;
  let testId: string;
  let campaignId: string;

  beforeAll(async () => {
    h = await startHarness();
    const db = h.database.db;
    const now = Date.now();
    const test = await db
      .insertInto("mail_security_tests")
      .values({
        structure_id: h.structures.home.id,
        domain: "ch-vigie.fr",
        status: "succeeded",
        requested_by_user_id: h.users.declarant.id,
        started_at: new Date(now - 60_000),
        finished_at: new Date(now - 30_000),
        controls: JSON.stringify(controls),
        error: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    testId = test.id;
    const campaign = await db
      .insertInto("mail_filter_campaigns")
      .values({
        structure_id: h.structures.home.id,
        mailbox: "filtrage@ch-vigie.fr",
        status: "sent",
        created_by_user_id: h.users.declarant.id,
        created_at: new Date(now - 600_000),
        sent_at: new Date(now - 590_000),
        messages: JSON.stringify(messages),
        arrived_tokens: null,
        reported_at: null,
        reported_via: null,
        reported_by_user_id: null,
        error: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    campaignId = campaign.id;
    declarant = await signedInPage(h, h.users.declarant);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("le déclarant lit le résultat d'un test de configuration, point par point et par famille", async () => {
    const { page } = declarant;
    await navigateTo(page, "Sécurité de la messagerie", { menu: "Ma veille" });
    const tests = page.getByRole("table", { name: "Tests de configuration, du plus récent au plus ancien" });
    await expectText(tests, has("1 conforme, 1 à améliorer, 1 non conforme"));

    // An empty domain: the error names the field and the focus goes to the summary.
    await page.locator("#messagerie-domaine").fill("");
    await page.getByRole("button", { name: "Lancer le test de configuration" }).click();
    await expectText(
      page.locator(".vigie-error-summary").first(),
      has("Domaine de messagerie : Indiquez le domaine de messagerie à tester."),
    );
    expect(await page.locator("#messagerie-domaine").getAttribute("aria-invalid")).toBe("true");
    await expectAccessible(page, "page messagerie");

    await tests.getByRole("link", { name: /Voir le résultat/ }).click();
    await expectText(
      page.getByRole("heading", { level: 1 }),
      "Configuration de la messagerie de ch-vigie.fr",
    );
    const spf = page.getByRole("region", { name: "SPF" });
    await expectText(spf, has("Non conforme"));
    await expectText(spf, has("L'enregistrement SPF se termine par « +all »"));
    await expectText(spf, has("v=spf1 mx +all"));
    await expectText(page.getByRole("region", { name: "DMARC" }), has("À améliorer"));
    await expectText(page.getByRole("region", { name: "STARTTLS et TLS des serveurs MX" }), has("Conforme"));
    expect(await page.getByRole("region", { name: "DKIM" }).count()).toBe(0);
    await expectAccessible(page, "résultat du test de configuration");
    await screenshot(page, "messagerie-test");
    expect(page.url()).toContain(`/messagerie/tests/${testId}`);
    expectNoProblems(declarant);
  });

  it("le déclarant indique les messages arrivés et voit ce que le filtrage a laissé passer", async () => {
    const { page } = declarant;
    await page.goto("/messagerie");
    await page
      .getByRole("table", { name: "Tests de filtrage, du plus récent au plus ancien" })
      .getByRole("link", { name: /Voir le test/ })
      .click();
    await expectText(page.getByRole("heading", { level: 1 }), "Test de filtrage des messages");
    expect(page.url()).toContain(`/messagerie/campagnes/${campaignId}`);
    await visible(
      page.getByText("Indiquez ci-dessous les messages arrivés dans la boîte pour voir les résultats."),
    );
    await expectAccessible(page, "campagne de filtrage envoyée");

    // The IMAP check without a password: the field is named, nothing typed is lost.
    await page.locator("#imap-serveur").fill("imap.ch-vigie.test");
    await page.getByRole("button", { name: "Vérifier la boîte" }).click();
    await expectText(
      page.locator(".vigie-error-summary").last(),
      has("Mot de passe : Indiquez le mot de passe IMAP."),
    );
    expect(await page.locator("#imap-serveur").inputValue()).toBe("imap.ch-vigie.test");

    await page.locator('label[for="arrivee-e2etoken0002"]').click();
    await page.locator('label[for="arrivee-e2etoken0004"]').click();
    expect(await page.getByLabel(/VIG-04 — Lien vers une adresse IP/).isChecked()).toBe(true);
    await page.getByRole("button", { name: "Enregistrer les messages arrivés" }).click();
    await visible(page.getByText("Résultats enregistrés : 2 messages arrivés."));
    const byCategory = page.getByRole("table", { name: "Messages arrivés par catégorie" });
    await expectText(
      byCategory.getByRole("row", { name: /Pièces jointes dangereuses/ }),
      has("Filtrage partiel"),
    );
    await expectText(byCategory.getByRole("row", { name: /EICAR/ }), has("Tout a été bloqué"));
    await expectText(byCategory.getByRole("row", { name: /Liens/ }), has("Rien n'a été bloqué"));
    await expectText(page.getByRole("table", { name: "Messages laissés passer" }), has("VIG-02"));
    await expectAccessible(page, "résultats du filtrage");
    await screenshot(page, "messagerie-filtrage");

    const stored = await h.database.db
      .selectFrom("mail_filter_campaigns")
      .select(["status", "arrived_tokens", "reported_via"])
      .where("id", "=", campaignId)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe("reported");
    expect([...(stored.arrived_tokens ?? [])].sort()).toEqual(["e2etoken0002", "e2etoken0004"]);
    expect(stored.reported_via).toBe("structure");
    expectNoProblems(declarant);
  });
});
