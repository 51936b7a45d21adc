import { DEFAULT_ALERT_RULES } from "@vigie/contracts";
import { describe, expect, it } from "vitest";
import type { CaseFacts } from "./facts.ts";
import { renderAlert, tlpMarking, withMarking } from "./templates.ts";

const facts: CaseFacts = {
  values: {
    origin: ["malicious"],
    malicious_types: ["ransomware"],
    non_malicious_types: [],
    si_effect: ["important"],
    operational_impact: ["care_interrupted"],
    patient_endangerment: ["potential"],
    data_impacts: ["data_loss_or_unavailability"],
    data_types: ["personal_health"],
    structure_type: ["es_public"],
  },
  flags: { ose: true, oiv: false, out_of_scope: false, support_requested: false, other_sectors_risk: false },
  regionCode: "11",
};
const input = {
  reference: "CS-2026-000042",
  declaredAt: new Date("2026-03-10T09:00:00Z"),
  qualifiedAt: new Date("2026-03-10T10:30:00Z"),
  facts,
  regionName: "Île-de-France",
  structureName: "Centre hospitalier de Meaux",
  qualificationSummary: "Rançongiciel sur les serveurs de fichiers.",
  tlp: "amber" as const,
  rules: DEFAULT_ALERT_RULES.filter((r) => r.target === "fssi"),
};

describe("alert templates", () => {
  it("carry the TLP marking, the reference, coded values with their labels and the CERT's summary", () => {
    const { subject, body } = renderAlert({ ...input, target: "fssi" });
    expect(subject).toBe(
      "[TLP:AMBER] CERT Santé — CS-2026-000042 — incident majeur, origine malveillante (Île-de-France)",
    );
    expect(body.startsWith("TLP:AMBER — diffusion limitée aux organisations concernées")).toBe(true);
    expect(body).toContain("- Type de structure : Établissement de santé public (CH, CHU/CHR, CHS)");
    expect(body).toContain("- Région : Île-de-France");
    expect(body).toContain("- Types malveillants : Rançongiciel");
    expect(body).toContain("- Impact sur le fonctionnement : Interruption de la prise en charge");
    expect(body).toContain("- Statut de la structure : opérateur de services essentiels (OSE)");
    expect(body).toContain("10/03/2026 10:00 (heure de Paris)");
    expect(body).toContain("Rançongiciel sur les serveurs de fichiers.");
    expect(body).toContain("L'incident est d'origine malveillante.");
    expect(body).not.toContain("Centre hospitalier de Meaux");
    expect(body).not.toMatch(/https?:\/\//);
  });

  it("name the structure for the ARS only", () => {
    expect(renderAlert({ ...input, target: "ars" }).body).toContain(
      "- Structure : Centre hospitalier de Meaux",
    );
    for (const target of ["anssi", "fssi", "dgs_corruss", "health_agency"] as const) {
      expect(renderAlert({ ...input, target }).body).not.toContain("Meaux");
    }
  });

  it("say the values are declared ones before the qualification, with no summary", () => {
    const { body, subject } = renderAlert({
      ...input,
      target: "dgs_corruss",
      qualifiedAt: null,
      qualificationSummary: null,
      tlp: "amber_strict",
      facts: { ...facts, values: { ...facts.values, origin: ["undetermined"] } },
    });
    expect(subject).toContain("[TLP:AMBER+STRICT]");
    expect(subject).toContain("origine indéterminée");
    expect(body).toContain("valeurs déclarées par la structure");
    expect(body).toContain("Analyse en cours.");
  });

  it("keep the marking on an edited message", () => {
    expect(tlpMarking("green")).toBe("TLP:GREEN");
    expect(withMarking({ subject: "Objet", body: "Texte modifié." }, "green")).toEqual({
      subject: "[TLP:GREEN] Objet",
      body: "TLP:GREEN\n\nTexte modifié.",
    });
    const marked = { subject: "[TLP:GREEN] Objet", body: "TLP:GREEN\nTexte" };
    expect(withMarking(marked, "green")).toEqual(marked);
  });
});
