import {
  type AlertRule,
  DEFAULT_ALERT_RULES,
  type RuleCondition,
  type RuleFact,
  type RuleFlag,
  RuleSetInput,
} from "@vigie/contracts";
import { describe, expect, it } from "vitest";
import { type CaseFacts, type CaseFactsSource, caseFacts } from "./facts.ts";
import { evaluate, matchedTargets, matchesCondition } from "./rules.ts";

/** Facts of an in-scope case with nothing notable, changed by `values` and `flags`. */
function facts(
  values: Partial<Record<RuleFact, string[]>> = {},
  flags: Partial<Record<RuleFlag, boolean>> = {},
): CaseFacts {
  return {
    values: {
      origin: [],
      malicious_types: [],
      non_malicious_types: [],
      si_effect: [],
      operational_impact: ["none"],
      patient_endangerment: ["none"],
      data_impacts: [],
      data_types: [],
      structure_type: ["es_public"],
      ...values,
    },
    flags: {
      ose: false,
      oiv: false,
      out_of_scope: false,
      support_requested: false,
      other_sectors_risk: false,
      ...flags,
    },
    regionCode: "11",
  };
}

const targets = (f: CaseFacts) => matchedTargets(DEFAULT_ALERT_RULES, f);
const MAJOR = { origin: ["malicious"], si_effect: ["important"] };

describe("conditions", () => {
  it("fact in: the value among the codes", () => {
    const condition: RuleCondition = { fact: "origin", in: ["malicious", "undetermined"] };
    expect(matchesCondition(condition, facts({ origin: ["malicious"] }))).toBe(true);
    expect(matchesCondition(condition, facts({ origin: ["undetermined"] }))).toBe(true);
    expect(matchesCondition(condition, facts({ origin: ["non_malicious"] }))).toBe(false);
    // Unknown (not declared, not qualified): no value matches.
    expect(matchesCondition(condition, facts({ origin: [] }))).toBe(false);
  });

  it("fact in on a list: any of its codes", () => {
    const condition: RuleCondition = { fact: "data_types", in: ["personal_health"] };
    expect(
      matchesCondition(condition, facts({ data_types: ["technical_sensitive", "personal_health"] })),
    ).toBe(true);
    expect(matchesCondition(condition, facts({ data_types: ["technical_sensitive"] }))).toBe(false);
    expect(matchesCondition(condition, facts({ data_types: [] }))).toBe(false);
  });

  it("flag is: true or false", () => {
    expect(matchesCondition({ flag: "ose", is: true }, facts({}, { ose: true }))).toBe(true);
    expect(matchesCondition({ flag: "ose", is: true }, facts())).toBe(false);
    expect(matchesCondition({ flag: "support_requested", is: false }, facts())).toBe(true);
    expect(
      matchesCondition({ flag: "support_requested", is: false }, facts({}, { support_requested: true })),
    ).toBe(false);
  });

  it("all: every condition", () => {
    const condition: RuleCondition = {
      all: [
        { fact: "origin", in: ["malicious"] },
        { flag: "oiv", is: true },
      ],
    };
    expect(matchesCondition(condition, facts({ origin: ["malicious"] }, { oiv: true }))).toBe(true);
    expect(matchesCondition(condition, facts({ origin: ["malicious"] }))).toBe(false);
    expect(matchesCondition(condition, facts({ origin: ["non_malicious"] }, { oiv: true }))).toBe(false);
  });

  it("any: at least one condition", () => {
    const condition: RuleCondition = {
      any: [
        { fact: "structure_type", in: ["lbm"] },
        { flag: "other_sectors_risk", is: true },
      ],
    };
    expect(matchesCondition(condition, facts({ structure_type: ["lbm"] }))).toBe(true);
    expect(matchesCondition(condition, facts({}, { other_sectors_risk: true }))).toBe(true);
    expect(matchesCondition(condition, facts())).toBe(false);
  });

  it("not: the opposite, nested combinations included", () => {
    expect(
      matchesCondition({ not: { fact: "origin", in: ["malicious"] } }, facts({ origin: ["malicious"] })),
    ).toBe(false);
    expect(matchesCondition({ not: { fact: "origin", in: ["malicious"] } }, facts({ origin: [] }))).toBe(
      true,
    );
    const nested: RuleCondition = {
      all: [
        {
          not: {
            any: [
              { flag: "ose", is: true },
              { flag: "oiv", is: true },
            ],
          },
        },
        { fact: "si_effect", in: ["low"] },
      ],
    };
    expect(matchesCondition(nested, facts({ si_effect: ["low"] }))).toBe(true);
    expect(matchesCondition(nested, facts({ si_effect: ["low"] }, { oiv: true }))).toBe(false);
  });
});

describe("the default rules", () => {
  it("are a valid rule set", () => {
    expect(RuleSetInput.safeParse({ rules: DEFAULT_ALERT_RULES }).success).toBe(true);
  });

  it("fssi-incident-majeur: malicious with an important or extreme effect, or care interrupted", () => {
    expect(targets(facts(MAJOR))).toContain("fssi");
    expect(targets(facts({ origin: ["malicious"], si_effect: ["extreme"] }))).toContain("fssi");
    expect(targets(facts({ origin: ["malicious"], si_effect: ["moderate"] }))).not.toContain("fssi");
    expect(targets(facts({ origin: ["non_malicious"], si_effect: ["important"] }))).not.toContain("fssi");
    expect(targets(facts({ origin: ["non_malicious"], operational_impact: ["care_interrupted"] }))).toContain(
      "fssi",
    );
  });

  it("dgs-corruss-soins: care degraded or interrupted, or a patient endangered", () => {
    expect(targets(facts({ operational_impact: ["degraded_care"] }))).toContain("dgs_corruss");
    expect(targets(facts({ operational_impact: ["care_interrupted"] }))).toContain("dgs_corruss");
    expect(targets(facts({ patient_endangerment: ["potential"] }))).toContain("dgs_corruss");
    expect(targets(facts({ patient_endangerment: ["actual"] }))).toContain("dgs_corruss");
    expect(targets(facts({ operational_impact: ["degraded_support"] }))).not.toContain("dgs_corruss");
  });

  it("agences-sanitaires-impact-majeur: care interrupted, or a patient actually endangered", () => {
    expect(targets(facts({ operational_impact: ["care_interrupted"] }))).toContain("health_agency");
    expect(targets(facts({ patient_endangerment: ["actual"] }))).toContain("health_agency");
    expect(targets(facts({ patient_endangerment: ["potential"] }))).not.toContain("health_agency");
    expect(targets(facts({ operational_impact: ["degraded_care"] }))).not.toContain("health_agency");
  });

  it("anssi-ose-oiv-ou-intersectoriel: OSE, OIV, or a major incident that may affect other sectors", () => {
    expect(targets(facts({}, { ose: true }))).toContain("anssi");
    expect(targets(facts({}, { oiv: true }))).toContain("anssi");
    expect(targets(facts(MAJOR, { other_sectors_risk: true }))).toContain("anssi");
    expect(targets(facts(MAJOR))).not.toContain("anssi");
    expect(
      targets(facts({ origin: ["malicious"], si_effect: ["low"] }, { other_sectors_risk: true })),
    ).not.toContain("anssi");
  });

  it("ars-region: every case in scope, and only the ARS for an ordinary one", () => {
    expect(targets(facts())).toEqual(["ars"]);
  });

  it("an out-of-scope case alerts nobody, whatever its facts", () => {
    const everything = facts(
      { ...MAJOR, operational_impact: ["care_interrupted"], patient_endangerment: ["actual"] },
      { ose: true, oiv: true, other_sectors_risk: true, out_of_scope: true },
    );
    expect(targets(everything)).toEqual([]);
    expect(targets({ ...everything, flags: { ...everything.flags, out_of_scope: false } })).toEqual([
      "anssi",
      "fssi",
      "dgs_corruss",
      "health_agency",
      "ars",
    ]);
  });
});

describe("evaluate", () => {
  const rule = (
    id: string,
    target: AlertRule["target"],
    when: RuleCondition,
    automatic = false,
  ): AlertRule => ({
    id,
    label: `Règle ${id}`,
    target,
    when,
    automatic,
  });

  it("groups the matched rules by target, in the targets' order, automatic if one of them is", () => {
    const rules = [
      rule("ars-a", "ars", { flag: "out_of_scope", is: false }),
      rule("fssi-a", "fssi", { fact: "origin", in: ["malicious"] }),
      rule("fssi-b", "fssi", { flag: "support_requested", is: true }, true),
      rule("anssi-a", "anssi", { flag: "oiv", is: true }, true),
    ];
    const result = evaluate(rules, facts({ origin: ["malicious"] }, { support_requested: true }));
    expect(result.map((m) => [m.target, m.rules.map((r) => r.id), m.automatic])).toEqual([
      ["fssi", ["fssi-a", "fssi-b"], true],
      ["ars", ["ars-a"], false],
    ]);
    expect(evaluate([], facts())).toEqual([]);
  });
});

describe("caseFacts", () => {
  const row: CaseFactsSource = {
    structure_snapshot: {
      id: "s",
      finessEt: "750000001",
      name: "CH",
      town: null,
      structureType: "lbm",
      regionCode: "84",
      departmentCode: "69",
      ose: true,
      oiv: false,
      ghtCode: null,
      ghtSupport: false,
      structures: [],
    },
    effective_origin: "malicious",
    effective_malicious_types: ["ransomware"],
    effective_non_malicious_types: [],
    si_effect: null,
    effective_operational_impact: "degraded_care",
    effective_patient_endangerment: null,
    effective_data_impacts: ["none"],
    effective_data_types: [],
    out_of_scope: false,
    support_requested: true,
    other_sectors_risk: true,
  };

  it("reads the effective values, the snapshot's structure and the flags", () => {
    expect(caseFacts(row)).toEqual({
      values: {
        origin: ["malicious"],
        malicious_types: ["ransomware"],
        non_malicious_types: [],
        si_effect: [],
        operational_impact: ["degraded_care"],
        patient_endangerment: [],
        data_impacts: ["none"],
        data_types: [],
        structure_type: ["lbm"],
      },
      flags: {
        ose: true,
        oiv: false,
        out_of_scope: false,
        support_requested: true,
        other_sectors_risk: true,
      },
      regionCode: "84",
    });
  });

  it("reads a snapshot stored as text, and one without the OSE/OIV flags", () => {
    const legacy = { structureType: "es_public", regionCode: null, name: "CH" };
    const f = caseFacts({
      ...row,
      structure_snapshot: JSON.stringify(legacy) as unknown as Record<string, unknown>,
    });
    expect(f.flags.ose).toBe(false);
    expect(f.flags.oiv).toBe(false);
    expect(f.regionCode).toBeNull();
    expect(f.values.structure_type).toEqual(["es_public"]);
  });
});
