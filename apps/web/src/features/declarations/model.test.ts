import { DeclarationInput } from "@vigie/contracts";
import { describe, expect, it } from "vitest";
import { emptyValues, formFieldOf, stepOf, steps, toInput, validate } from "./model.ts";

function filled() {
  const values = emptyValues(new Date("2025-11-28T02:30:00+01:00"));
  values.structures = [{ finessEt: "750712184", name: "Hôpital" }];
  values.declarant = {
    fullName: "Dominique Durand",
    jobTitle: "",
    email: "rssi@ch-vigie.fr",
    phone: "06 12 34 56 78",
    otherContact: "",
  };
  values.title = "Chiffrement des serveurs";
  values.description = "Message de rançon sur les postes des admissions.";
  values.operationalImpact = "degraded_care";
  values.stateAtDeclaration = "support_needed";
  values.supportRequested = "yes";
  return values;
}

describe("formulaire de déclaration", () => {
  it("un formulaire vide signale les seules réponses obligatoires, avec des messages clairs", () => {
    const errors = validate(emptyValues());
    expect(Object.keys(errors).sort()).toEqual(
      [
        "declarant.email",
        "declarant.fullName",
        "declarant.phone",
        "description",
        "operationalImpact",
        "stateAtDeclaration",
        "structures",
        "supportRequested",
        "title",
      ].sort(),
    );
    expect(errors["declarant.phone"]).toBe("Indiquez un numéro pour être rappelé.");
    expect(errors.operationalImpact).toBe("Indiquez l'effet sur le fonctionnement de la structure.");
  });

  it("chaque champ en erreur appartient à une étape", () => {
    for (const name of Object.keys(validate(emptyValues()))) {
      expect(((steps[stepOf(name)]?.fields ?? []) as readonly string[]).includes(name)).toBe(true);
    }
    expect(formFieldOf("finess.1")).toBe("structures");
    expect(formFieldOf("declarant.phone")).toBe("declarant.phone");
  });

  it("le minimum suffit, et le contrat accepte ce que le formulaire envoie", () => {
    const values = filled();
    expect(validate(values)).toEqual({});
    const input = toInput(values, crypto.randomUUID());
    expect(DeclarationInput.safeParse(input).success).toBe(true);
    expect(input.supportRequested).toBe(true);
    expect(input.detectedAt).toBe("2025-11-28T01:30:00.000Z");
  });

  it("les réponses rendues sans objet par un choix ultérieur ne bloquent pas l'envoi", () => {
    const values = filled();
    values.proposedOrigin = "non_malicious";
    values.proposedMaliciousTypes = ["ransomware"];
    values.proposedNonMaliciousTypes = ["power_outage"];
    values.operationalImpact = "none";
    values.degradedModeHours = "12";
    values.dataImpacts = ["none"];
    values.dataTypes = ["personal_health"];
    values.providerName = "Prestataire";
    expect(validate(values)).toEqual({});
    const input = toInput(values, crypto.randomUUID());
    expect(input.proposedMaliciousTypes).toEqual([]);
    expect(input.proposedNonMaliciousTypes).toEqual(["power_outage"]);
    expect(input.degradedModeHours).toBeNull();
    expect(input.dataTypes).toEqual([]);
    expect(input.providerName).toBeUndefined();
  });

  it("une durée illisible est signalée sur son champ", () => {
    const values = filled();
    values.degradedModeHours = "deux jours";
    expect(validate(values).degradedModeHours).toBe("Indiquez une durée en heures, par exemple 12.");
    values.degradedModeHours = "12,5";
    expect(validate(values)).toEqual({});
  });
});
