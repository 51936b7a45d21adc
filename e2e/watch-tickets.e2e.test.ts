import { notifyStructures, recordFindings } from "@vigie/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserAvailable,
  expectAccessible,
  expectNoProblems,
  expectText,
  type Harness,
  phone,
  screenshot,
  signedInPage,
  startHarness,
  visible,
} from "./harness.ts";

describe.skipIf(!browserAvailable)("veille : tickets de la structure et lien d'acquittement", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    // The Lyon hospital has no account on Vigie: its watch messages go to its contact address.
    await h.database.db
      .updateTable("structures")
      .set({ contact_emails: ["dsi@croix-rousse.test"] })
      .where("id", "=", h.structures.lyon.id)
      .execute();
    const now = new Date();
    await recordFindings(
      h.database.db,
      [
        {
          structureId: h.structures.home.id,
          assetId: null,
          kind: "vulnerability",
          findingKey: "vuln:e2e:CVE-2023-4966",
          cveId: "CVE-2023-4966",
          confidence: "confirmed",
          urgency: "critical",
          details: {
            title: "Citrix NetScaler ADC : Citrix Bleed",
            action: "Appliquer le correctif puis invalider les sessions",
            ip: "198.51.100.7",
            port: 443,
            service: "https",
            vendor: "Citrix",
            product: "NetScaler ADC",
            version: "13.1-49.14",
          },
        },
        {
          structureId: h.structures.lyon.id,
          assetId: null,
          kind: "sensitive_service",
          findingKey: "service:e2e-lyon",
          cveId: null,
          confidence: "confirmed",
          urgency: "normal",
          details: {
            title: "Bureau à distance exposé",
            action: "Fermer le port 3389",
            ip: "203.0.113.9",
            port: 3389,
            service: "rdp",
          },
        },
      ],
      now,
    );
  });
  afterAll(async () => {
    await h?.close();
  });

  it("un déclarant ouvre /veille, voit son ticket et le prend en compte", async () => {
    const watched = await signedInPage(h, h.users.declarant);
    const { page } = watched;
    await page.goto("/veille");
    await expectText(page.getByRole("heading", { level: 1 }), "Veille de vos systèmes exposés");
    await visible(page.getByRole("link", { name: "Citrix NetScaler ADC : Citrix Bleed" }));
    // Another structure's ticket is not there.
    expect(await page.getByText("Bureau à distance exposé").count()).toBe(0);
    await expectAccessible(page, "veille de la structure");
    await screenshot(page, "veille-structure");

    await page.getByRole("link", { name: "Citrix NetScaler ADC : Citrix Bleed" }).click();
    await expectText(page.getByRole("heading", { level: 1 }), "Citrix NetScaler ADC : Citrix Bleed");
    await expectAccessible(page, "ticket de veille");
    await page.getByRole("button", { name: "Prendre en compte", exact: true }).click();
    await expectText(page.getByRole("status").first(), /Ticket pris en compte/);
    await visible(page.getByText("Pris en compte", { exact: true }).first());
    await visible(page.getByRole("button", { name: "Déclarer corrigé" }));
    expectNoProblems(watched);
    await watched.context.close();
  });

  it("le lien du courriel prend en compte les tickets sans connexion, sur un téléphone", async () => {
    const report = await notifyStructures(h.database.db, {
      now: new Date(),
      publicUrl: h.baseUrl,
      reminderDays: 7,
      ackLinkDays: 30,
    });
    expect(report.notified).toBe(1);
    const mail = await h.database.db
      .selectFrom("mail_outbox")
      .select("text_body")
      .where("text_body", "like", "%/veille/acquitter/%")
      .executeTakeFirstOrThrow();
    const link = /(http:\/\/\S+\/veille\/acquitter\/[A-Za-z0-9_-]{43})/.exec(mail.text_body)?.[1] ?? "";
    const watched = await h.newPage(phone);
    const { page } = watched;
    page.setDefaultTimeout(15_000);
    await page.goto(link);
    await expectText(page.getByRole("heading", { level: 1 }), /Prendre en compte les points signalés/);
    await visible(page.getByText("Bureau à distance exposé"));
    await expectAccessible(page, "lien d'acquittement");
    await page.getByRole("button", { name: "Prendre en compte ces points" }).click();
    await expectText(page.getByRole("status").first(), /point pris en compte/);
    await screenshot(page, "veille-acquitter-telephone");
    expectNoProblems(watched);
    await watched.context.close();
  });

  it("le CERT voit tous les tickets, les structures alertées et les courriels envoyés", async () => {
    const watched = await signedInPage(h, h.users.cert_lead);
    const { page } = watched;
    await page.goto("/cert/veille");
    await expectText(page.getByRole("heading", { level: 1 }), "Veille des systèmes exposés");
    await visible(page.getByRole("link", { name: "Bureau à distance exposé" }));
    await visible(page.getByRole("heading", { name: /Structures alertées en \d{4}/ }));
    await visible(page.getByText("dsi@croix-rousse.test").first());
    await expectAccessible(page, "veille du CERT");
    expectNoProblems(watched);
    await watched.context.close();
  });
});
