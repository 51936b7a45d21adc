import { domainToASCII } from "node:url";
import type { AuditSummaryCounts } from "@vigie/contracts";
import { exposureAuditsRepo } from "@vigie/db";
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

const parisYear = () =>
  Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Paris", year: "numeric" }).format(new Date()));

interface SeedFinding {
  key: string;
  check: string;
  category: string;
  severity: "info" | "low" | "medium" | "high" | "critical";
  title: string;
  evidence: string;
  remediation: string;
  host: string;
  ip: string;
  port: number | null;
}

const telnet: SeedFinding = {
  key: "e2e:telnet:198.51.100.10:23",
  check: "service.telnet",
  category: "service",
  severity: "critical",
  title: "Telnet exposé sur Internet",
  evidence: "Le port 23/tcp de 198.51.100.10 répond avec la bannière « Welcome to PACS gateway ».",
  remediation:
    "Fermez le port 23 sur le pare-feu et administrez l'équipement par SSH depuis le réseau interne.",
  host: "pacs.ch-vigie.fr",
  ip: "198.51.100.10",
  port: 23,
};
const oldTls: SeedFinding = {
  key: "e2e:tls10:198.51.100.11:443",
  check: "tls.protocol.tls10",
  category: "tls",
  severity: "medium",
  title: "TLS 1.0 encore accepté",
  evidence: "Le serveur 198.51.100.11:443 accepte une connexion en TLS 1.0.",
  remediation: "Désactivez TLS 1.0 et 1.1 ; ne gardez que TLS 1.2 et 1.3.",
  host: "www.ch-vigie.fr",
  ip: "198.51.100.11",
  port: 443,
};
const directory: SeedFinding = {
  key: "e2e:listing:198.51.100.11:443",
  check: "http.directory_listing",
  category: "http",
  severity: "low",
  title: "Liste du contenu d'un répertoire web",
  evidence: "https://www.ch-vigie.fr/docs/ affiche la liste de ses fichiers.",
  remediation: "Désactivez l'affichage des répertoires dans la configuration du serveur web.",
  host: "www.ch-vigie.fr",
  ip: "198.51.100.11",
  port: 443,
};

function countsOf(findings: SeedFinding[], changes: { new: number; stillOpen: number; fixed: number }) {
  const bySeverity = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
  for (const f of findings) bySeverity[f.severity]++;
  const counts: AuditSummaryCounts = { bySeverity, hosts: 2, openPorts: 3, ...changes, outOfPerimeter: 1 };
  return counts;
}

describe.skipIf(!browserAvailable)("audits d'exposition : périmètre, autorisation, rapport, chiffres", () => {
  let h: Harness;
  let declarant: WatchedPage;

  beforeAll(async () => {
    h = await startHarness();
    // The hospital belongs to a GHT: the CERT's counts say how many GHT the audits cover.
    await h.database.db
      .updateTable("structures")
      .set({ ght_code: "GHT-E2E-92" })
      .where("id", "=", h.structures.home.id)
      .execute();
    declarant = await signedInPage(h, h.users.declarant);
  });
  afterAll(async () => {
    await h?.close();
  });

  it("un déclarant déclare son périmètre, corrige son erreur sans rien perdre et le soumet au CERT", async () => {
    const { page } = declarant;
    await navigateTo(page, "Audits d'exposition", {
      menu: "Ma veille",
      heading: "Audits d'exposition sur Internet",
    });
    await visible(page.getByText("Brouillon", { exact: true }));
    await expectAccessible(page, "périmètre vide");

    await page.locator("#perimetre-domaine-0").fill("ch-vigie.fr");
    await page.getByRole("button", { name: "Ajouter un nom de domaine" }).click();
    await page.locator("#perimetre-domaine-1").fill("Hôpital-Vigie.fr");
    // A range not written with its network address: the server names the line, nothing is lost.
    await page.locator("#perimetre-plage-0").fill("198.51.100.5/24");
    // DSFR draws the box on the label: the user clicks it.
    await page.locator('label[for="perimetre-identifiants"]').click();
    await page.locator("#perimetre-boite").fill("filtrage@ch-vigie.fr");
    await page.getByRole("button", { name: "Soumettre au CERT" }).click();
    const summary = page.locator(".vigie-error-summary");
    await expectText(summary, has("Plage d'adresses n° 1 :"));
    await expectText(summary, has("198.51.100.5/24"));
    expect(await page.locator("#perimetre-plage-0").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("#perimetre-plage-0").inputValue()).toBe("198.51.100.5/24");
    expect(await page.locator("#perimetre-domaine-1").inputValue()).toBe("Hôpital-Vigie.fr");
    expect(await page.locator("#perimetre-boite").inputValue()).toBe("filtrage@ch-vigie.fr");
    expect(await page.locator("#perimetre-identifiants").isChecked()).toBe(true);
    await expectAccessible(page, "erreur de plage");

    await page.locator("#perimetre-plage-0").fill("198.51.100.0/24");
    await page.getByRole("button", { name: "Soumettre au CERT" }).click();
    await visible(
      page.getByText("Périmètre soumis au CERT Santé : il l'examinera avant d'autoriser les audits."),
    );
    await visible(page.getByText("Soumis au CERT", { exact: true }));
    const stored = await exposureAuditsRepo.findPerimeter(h.database.db, h.structures.home.id);
    expect(stored?.status).toBe("submitted");
    expect(stored?.domains).toEqual(["ch-vigie.fr", domainToASCII("hôpital-vigie.fr")]);
    expect(stored?.default_credentials_opt_in).toBe(true);
    expectNoProblems(declarant);
  });

  it("un responsable du CERT autorise le périmètre soumis, puis lance un audit", async () => {
    const cert = await signedInPage(h, h.users.cert_lead);
    const { page } = cert;
    await navigateTo(page, "Audits d'exposition", {
      menu: "Veille",
      heading: "Audits d'exposition des structures",
    });
    const card = page.getByRole("article", { name: h.structures.home.name });
    await expectText(card, has("198.51.100.0/24"));
    await expectText(card, has("Test accepté par la structure"));
    await expectAccessible(page, "audits du CERT, périmètre à examiner");

    const reference = page.locator(`#autoriser-${h.structures.home.id}-reference`);
    await card.getByRole("button", { name: `Autoriser les audits de ${h.structures.home.name}` }).click();
    await expectText(
      card.locator(".vigie-error-summary"),
      has("Référence du mandat : Indiquez la référence"),
    );
    expect(await reference.getAttribute("aria-invalid")).toBe("true");
    await reference.fill("MANDAT-2026-E2E");
    await card.getByRole("button", { name: `Autoriser les audits de ${h.structures.home.name}` }).click();
    await visible(page.getByText(`Audits de ${h.structures.home.name} autorisés (mandat MANDAT-2026-E2E).`));
    await visible(page.getByText("Aucun périmètre en attente d'examen."));
    const validated = page.getByRole("table", { name: "Structures dont les audits sont autorisés" });
    await expectText(validated, has("MANDAT-2026-E2E"));

    await validated
      .getByRole("button", { name: `Lancer un audit maintenant : ${h.structures.home.name}` })
      .click();
    await visible(page.getByText(`Audit de ${h.structures.home.name} lancé`, { exact: false }));
    await expectText(
      page.getByRole("table", { name: "Audits, du plus récent au plus ancien" }),
      has("Planifié"),
    );
    await expectAccessible(page, "audits du CERT, périmètre autorisé");
    const pending = await exposureAuditsRepo.findPendingAudit(h.database.db, h.structures.home.id);
    expect(pending?.status).toBe("scheduled");
    expectNoProblems(cert);
    await cert.context.close();
  });

  it("le déclarant lit le rapport d'un audit terminé : constats, carte d'exposition, évolution", async () => {
    const db = h.database.db;
    const structureId = h.structures.home.id;
    const authorisation = await exposureAuditsRepo.findAuthorisationInForce(
      db,
      structureId,
      new Date().toISOString().slice(0, 10),
    );
    expect(authorisation?.reference).toBe("MANDAT-2026-E2E");
    const now = Date.now();
    // The previous audit found the old TLS and the directory listing.
    const previous = await db
      .insertInto("exposure_audits")
      .values({
        structure_id: structureId,
        authorisation_id: authorisation?.id ?? null,
        status: "succeeded",
        scheduled_for: new Date(now - 3 * 3_600_000),
        started_at: new Date(now - 3 * 3_600_000),
        finished_at: new Date(now - 2 * 3_600_000),
        summary: JSON.stringify(countsOf([oldTls, directory], { new: 2, stillOpen: 0, fixed: 0 })),
        exposure: JSON.stringify([]),
        out_of_perimeter: JSON.stringify([]),
        created_at: new Date(now - 3 * 3_600_000),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const findingRows = (auditId: string, list: SeedFinding[]) =>
      list.map((f) => ({
        audit_id: auditId,
        structure_id: structureId,
        finding_key: f.key,
        check_code: f.check,
        category: f.category,
        severity: f.severity,
        title: f.title,
        evidence: f.evidence,
        remediation: f.remediation,
        domain: "ch-vigie.fr",
        host: f.host,
        ip: f.ip,
        port: f.port,
        ticket_id: null,
      }));
    await exposureAuditsRepo.insertFindings(db, findingRows(previous.id, [oldTls, directory]));

    // The audit the CERT launched runs and finds telnet (new) and the old TLS (still open).
    const running = await exposureAuditsRepo.claimDueAudit(db, new Date(), {
      exceptStructureIds: [],
      structureId,
    });
    expect(running?.status).toBe("running");
    const auditId = running?.id ?? "";
    await exposureAuditsRepo.finishAudit(db, auditId, {
      status: "succeeded",
      finished_at: new Date(),
      previous_audit_id: previous.id,
      scanner: {
        engine: "builtin",
        userAgent: "VigieScanner/1.0 (+http://localhost/audits/scanner)",
        ports: 1000,
      },
      summary: countsOf([telnet, oldTls], { new: 1, stillOpen: 1, fixed: 1 }),
      exposure: [
        {
          name: "pacs.ch-vigie.fr",
          ips: ["198.51.100.10"],
          services: [
            {
              ip: "198.51.100.10",
              port: 23,
              transport: "tcp",
              service: "telnet",
              tls: false,
              product: null,
              version: null,
              banner: "Welcome to PACS gateway",
            },
          ],
        },
        {
          name: "www.ch-vigie.fr",
          ips: ["198.51.100.11"],
          services: [
            {
              ip: "198.51.100.11",
              port: 443,
              transport: "tcp",
              service: "https",
              tls: true,
              product: "nginx",
              version: "1.18.0",
              banner: null,
            },
          ],
        },
      ],
      out_of_perimeter: [{ name: "mail.ch-vigie.fr", ip: "203.0.113.25" }],
    });
    await exposureAuditsRepo.insertFindings(db, findingRows(auditId, [telnet, oldTls]));

    const { page } = declarant;
    await page.goto("/audits");
    await expectText(page.getByRole("heading", { level: 1 }), "Audits d'exposition sur Internet");
    await visible(page.getByText("Validé et autorisé", { exact: true }));
    await visible(page.getByText(/Audits autorisés jusqu'au/));
    const list = page.getByRole("table", { name: "Audits de la structure, du plus récent au plus ancien" });
    await expectText(list, has("1 critique, 0 élevée, 1 moyenne, 0 faible"));
    await expectAccessible(page, "audits de la structure");
    await list.getByRole("link", { name: "Lire le rapport" }).first().click();

    await expectText(page.getByRole("heading", { level: 1 }), `Rapport d'audit — ${h.structures.home.name}`);
    await expectText(page.locator("main"), has("Mené dans le cadre de l'autorisation MANDAT-2026-E2E"));
    const map = page.getByRole("table", {
      name: "Hôtes, adresses et services ouverts trouvés depuis Internet",
    });
    await expectText(map, has("Welcome to PACS gateway"));
    await expectText(map, has("nginx 1.18.0"));
    await expectText(
      page.getByRole("table", { name: /hors du périmètre autorisé/ }),
      has("mail.ch-vigie.fr"),
    );
    const critical = page.getByRole("region", { name: "Sévérité critique (1)" });
    await expectText(critical, has("Telnet exposé sur Internet"));
    await expectText(critical, has("Welcome to PACS gateway"));
    await expectText(critical, has("Fermez le port 23 sur le pare-feu"));
    await expectText(critical, has("Sévérité critique"));
    await expectText(critical, has("Nouveau"));
    await expectText(page.getByRole("region", { name: "Sévérité moyenne (1)" }), has("Toujours présent"));
    await expectText(page.getByRole("table", { name: "Nouveaux constats (1)" }), has("Telnet exposé"));
    await expectText(page.getByRole("table", { name: "Constats toujours présents (1)" }), has("TLS 1.0"));
    await expectText(
      page.getByRole("table", { name: "Constats corrigés (1)" }),
      has("Liste du contenu d'un répertoire web"),
    );
    await expectAccessible(page, "rapport d'audit");
    await screenshot(page, "audit-rapport");

    // The download links lead to the report the server writes.
    const html = page.getByRole("link", { name: "Télécharger le rapport (HTML)" });
    const href = (await html.getAttribute("href")) ?? "";
    expect(href).toBe(`/api/audits/${auditId}/report.html`);
    const answer = await page.request.get(href);
    expect(answer.status()).toBe(200);
    expect(answer.headers()["content-type"]).toMatch(/text\/html/);
    expect(await answer.text()).toContain("Telnet exposé sur Internet");
    expect(await page.getByRole("link", { name: "Télécharger le rapport (PDF)" }).getAttribute("href")).toBe(
      `/api/audits/${auditId}/report.pdf`,
    );
    expectNoProblems(declarant);
  });

  it("le CERT voit l'avancement et les chiffres de l'année, puis d'une autre année", async () => {
    const cert = await signedInPage(h, h.users.cert_analyst);
    const { page } = cert;
    const year = parisYear();
    await page.goto("/cert/audits");
    await expectText(page.getByRole("heading", { level: 1 }), "Audits d'exposition des structures");
    const progress = page.getByRole("table", { name: "Avancement de la campagne d'audits aujourd'hui" });
    await expectText(progress.getByRole("row", { name: /Périmètres validés/ }), has("1"));
    await expectText(progress.getByRole("row", { name: /Périmètres à examiner/ }), has("0"));
    const key = page.getByRole("table", { name: `Chiffres clés ${year}` });
    await expectText(key.getByRole("row", { name: /Structures auditées/ }), /1$/);
    await expectText(key.getByRole("row", { name: /^GHT couverts \d/ }), /1$/);
    await expectText(key.getByRole("row", { name: /GHT couverts à plus de 50 %/ }), /1$/);
    await visible(page.getByRole("table", { name: `Audits par type de structure en ${year}` }));
    await expectText(
      page.getByRole("table", { name: "Audits, du plus récent au plus ancien" }),
      has(h.structures.home.name),
    );
    await expectAccessible(page, "chiffres des audits");

    // Filter the audits: the succeeded ones only.
    await page.locator("#audits-filtre-statut").selectOption("succeeded");
    await page.getByRole("button", { name: "Filtrer" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("status")).toBe("succeeded");
    await expectText(page.getByRole("heading", { name: /^Tous les audits/ }), "Tous les audits (2)");

    await page.locator("#audits-annee").selectOption(String(year - 1));
    await page.getByRole("button", { name: "Afficher" }).click();
    await expectText(
      page.getByRole("heading", { name: /^Chiffres de l'année/ }),
      `Chiffres de l'année ${year - 1}`,
    );
    await visible(page.getByText("Aucun audit réalisé cette année-là."));
    expectNoProblems(cert);
  });
  it("un administrateur qui trouve le scanner dans ses journaux lit qui analyse, sur quel fondement, et comment le reconnaître", async () => {
    const visitor = await h.newPage();
    const { page } = visitor;
    page.setDefaultTimeout(15_000);
    await page.goto("/audits/scanner");
    await expectText(page.getByRole("heading", { level: 1 }), "Le scanner de cybersurveillance de Vigie");
    const origin = new URL(page.url()).origin;
    await visible(page.getByText(`VigieScanner/1.0 (+${origin}/audits/scanner)`).first());
    await visible(page.getByText("VIGIE-AUDIT"));
    await expectAccessible(page, "le scanner de cybersurveillance — visiteur anonyme");
    expectNoProblems(visitor);
  });
});
