import type { ObservatoryDocument } from "@vigie/contracts";
import { importIncidentRecords } from "@vigie/core";
import { REPORT_DATASET_FACTS, reportDatasetRecords } from "@vigie/core/observatory/report/report-dataset";
import { valueAt } from "@vigie/core/observatory/report/rich-text";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserAvailable,
  expectAccessible,
  expectNoProblems,
  type Harness,
  screenshot,
  signIn,
  startHarness,
} from "./harness.ts";

// The yearly report (decision 0010) opened in Chromium from its API route, as the CERT's lead
// downloads it: every marked figure is the one of GET /api/v1/observatory for the same year, and
// the document passes axe.

interface MarkedFigure {
  path: string;
  year: number;
  value: string;
  text: string;
}

describe.skipIf(!browserAvailable)("rapport annuel de l'observatoire", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
    const imported = await importIncidentRecords(h.database.db, reportDatasetRecords(), {
      actorLabel: "test",
    });
    expect(imported.created).toBe(20);
  });
  afterAll(async () => {
    await h?.close();
  });

  // axe walks every node of some twenty SVG charts: allow it time on a busy machine.
  it("le responsable du CERT ouvre le rapport 2023 : ses chiffres sont ceux de l'observatoire", {
    timeout: 240_000,
  }, async () => {
    const watched = await h.newPage();
    const { page } = watched;
    await signIn(page, h.users.cert_lead);

    // The route always answers a download; show it in the page instead, as a browser would once saved.
    const url = "/api/observatory/report?year=2023&format=html";
    const direct = await page.request.get(url);
    expect(direct.status()).toBe(200);
    expect(direct.headers()["content-disposition"]).toContain(
      'attachment; filename="observatoire-2023.html"',
    );
    await page.route("**/api/observatory/report?*", async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, headers: { ...response.headers(), "content-disposition": "inline" } });
    });
    await page.goto(url);
    await page.getByRole("heading", { level: 1, name: /Observatoire des signalements .* 2023/ }).waitFor();
    expect(await page.title()).toBe(
      "Observatoire des signalements d'incidents de sécurité des SI santé 2023",
    );
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    expect(await page.locator("script").count()).toBe(0);
    expect(await page.locator("section.chapter").count()).toBe(12);
    expect(await page.locator(".chart svg").count()).toBeGreaterThan(10);
    await expect
      .poll(() => page.locator("#declarations").textContent())
      .toContain("12 signalements en 2023, soit 50\u202f% de plus qu'en 2022 (8).");

    const figures: MarkedFigure[] = await page.locator("[data-indicator]").evaluateAll((elements) =>
      elements.map((e) => ({
        path: e.getAttribute("data-indicator") ?? "",
        year: Number(e.getAttribute("data-year")),
        value: e.getAttribute("value") ?? "",
        text: e.textContent ?? "",
      })),
    );
    expect(figures.length).toBeGreaterThan(100);
    const years = [...new Set(figures.map((f) => f.year))].sort();
    expect(years).toEqual([2022, 2023]);
    const documents = new Map<number, ObservatoryDocument>();
    for (const year of years) {
      const response = await page.request.get(`/api/v1/observatory?year=${year}`);
      expect(response.status()).toBe(200);
      documents.set(year, (await response.json()) as ObservatoryDocument);
    }
    for (const figure of figures) {
      const expected = valueAt(documents.get(figure.year) as ObservatoryDocument, figure.path);
      expect(JSON.parse(figure.value), `${figure.path} (${figure.year}) « ${figure.text} »`).toEqual(
        expected,
      );
    }
    const declared = figures.find((f) => f.path === "incidents.declared" && f.year === 2023);
    expect(declared?.text).toBe(String(REPORT_DATASET_FACTS.declared[2023]));

    await screenshot(page, "rapport-observatoire-2023");
    await expectAccessible(page, "rapport annuel 2023");
    expectNoProblems(watched);
    await watched.context.close();
  });
});
