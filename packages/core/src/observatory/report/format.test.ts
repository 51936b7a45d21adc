import { describe, expect, it } from "vitest";
import {
  countOf,
  formatDecimal,
  formatHours,
  formatInteger,
  formatMean,
  formatPercent,
  formatRatio,
  joinFrench,
  NNBSP,
  percent,
  plural,
} from "./format.ts";

describe("French number formatting", () => {
  it("groups thousands with a narrow no-break space and writes decimal commas", () => {
    expect(NNBSP).toBe("\u202f");
    expect(formatInteger(581)).toBe("581");
    expect(formatInteger(1234)).toBe("1\u202f234");
    expect(formatInteger(100000)).toBe("100\u202f000");
    expect(formatInteger(-3)).toBe("−3");
    expect(formatDecimal(48.4166, 1)).toBe("48,4");
    expect(formatDecimal(48, 1)).toBe("48");
    expect(formatDecimal(12345.25, 2)).toBe("12\u202f345,25");
  });

  it("writes a mean whole from 10, with one decimal below", () => {
    expect(formatMean(581 / 12)).toBe("48");
    expect(formatMean(592 / 12)).toBe("49");
    expect(formatMean(5 / 12)).toBe("0,4");
    expect(formatMean(0)).toBe("0");
  });

  it("writes shares as whole percentages, never 0 % or 100 % for what is neither", () => {
    expect(formatPercent(517 / 581)).toBe("89\u202f%");
    expect(formatPercent(0)).toBe("0\u202f%");
    expect(formatPercent(1)).toBe("100\u202f%");
    expect(formatPercent(0.5)).toBe("50\u202f%");
    expect(formatPercent(2 / 581)).toBe("0,3\u202f%");
    expect(formatPercent(0.0004)).toBe("moins de 0,1\u202f%");
    expect(formatPercent(0.9971)).toBe("99,7\u202f%");
    expect(percent(0.289).shown).toBe(29);
    expect(formatRatio(3, 0)).toBe("0\u202f%");
    expect(formatRatio(1, 4)).toBe("25\u202f%");
  });

  it("writes hours", () => {
    expect(formatHours(26.5)).toBe("26,5\u202fh");
    expect(formatHours(24)).toBe("24\u202fh");
  });

  it("agrees in number the French way: singular for 0 and 1", () => {
    expect(plural(0, "signalement", "signalements")).toBe("signalement");
    expect(plural(1, "signalement", "signalements")).toBe("signalement");
    expect(plural(2, "signalement", "signalements")).toBe("signalements");
    expect(plural(1.5, "heure", "heures")).toBe("heure");
    expect(countOf(1234, "structure", "structures")).toBe("1\u202f234 structures");
  });

  it("joins lists with commas and « et »", () => {
    expect(joinFrench([])).toBe("");
    expect(joinFrench(["a"])).toBe("a");
    expect(joinFrench(["a", "b"])).toBe("a et b");
    expect(joinFrench(["a", "b", "c"])).toBe("a, b et c");
  });
});
