import { describe, expect, it } from "vitest";
import {
  countChange,
  countChangeLabel,
  countEvolution,
  previousInParentheses,
  shareChange,
  shareChangeLabel,
  shareEvolution,
} from "./evolution.ts";
import { derived, type Figure, plainText } from "./rich-text.ts";

const N = "\u202f";
const count = (year: number, value: number): Figure => derived(year, value, "count");
const share = (year: number, value: number): Figure => derived(year, value, "share");
const countText = (current: number, previous: number | null) =>
  plainText(countEvolution(count(2023, current), previous === null ? null : count(2022, previous), 2022));
const shareText = (current: number, previous: number | null) =>
  plainText(shareEvolution(share(2023, current), previous === null ? null : share(2022, previous), 2022));

describe("evolution of a count against the previous year", () => {
  it("states a decrease in whole percent with the previous figure (the 2023 report's example)", () => {
    // (592 − 581) / 592 = 1.86 % → 2 %.
    expect(countChange(581, 592)).toEqual({ kind: "decrease", percent: 2 });
    expect(`581 signalements en 2023${countText(581, 592)}.`).toBe(
      `581 signalements en 2023, soit 2${N}% de moins qu'en 2022 (592).`,
    );
  });

  it("states an increase", () => {
    // (245 − 213) / 213 = 15.02 %.
    expect(countChange(245, 213)).toEqual({ kind: "increase", percent: 15 });
    expect(countText(245, 213)).toBe(`, soit 15${N}% de plus qu'en 2022 (213)`);
  });

  it("says « fois plus » from twice as many", () => {
    expect(countChange(14, 2)).toEqual({ kind: "multiple", ratio: 7 });
    expect(countText(5, 2)).toBe(", soit 2,5 fois plus qu'en 2022 (2)");
    expect(countText(2_468, 1_234)).toBe(`, soit 2 fois plus qu'en 2022 (1${N}234)`);
  });

  it("says stable when equal, quasi stable when the change rounds to 0 %", () => {
    expect(countText(165, 165)).toBe(", autant qu'en 2022");
    // 1 / 1001 = 0.1 % → 0 %.
    expect(countChange(1002, 1001)).toEqual({ kind: "stable" });
    expect(countText(1002, 1001)).toBe(`, un niveau quasi stable par rapport à 2022 (1${N}001)`);
  });

  it("handles zero on either side and no data", () => {
    expect(countText(0, 0)).toBe(", comme en 2022");
    expect(countText(4, 0)).toBe(", contre 0 en 2022");
    expect(countText(0, 11)).toBe(", contre 11 en 2022");
    expect(countText(581, null)).toBe(" (aucune donnée pour 2022)");
    expect(countChange(3, null)).toEqual({ kind: "no_data" });
  });

  it("labels the key figures' evolution column", () => {
    expect(countChangeLabel(581, 592)).toBe(`−2${N}%`);
    expect(countChangeLabel(245, 213)).toBe(`+15${N}%`);
    expect(countChangeLabel(165, 165)).toBe("stable");
    expect(countChangeLabel(5, 2)).toBe("×2,5");
    expect(countChangeLabel(0, 4)).toBe(`−100${N}%`);
    expect(countChangeLabel(4, 0)).toBe("—");
    expect(countChangeLabel(4, null)).toBe("—");
  });

  it("puts the previous value in parentheses, or nothing without data", () => {
    expect(plainText(previousInParentheses(derived(2022, 592 / 12, "mean"), 2022))).toBe(" (49 en 2022)");
    expect(previousInParentheses(null, 2022)).toEqual([]);
  });
});

describe("evolution of a share, in percentage points", () => {
  it("compares the percentages as displayed", () => {
    // 517/581 = 88.98 % → 89 %; 438/592 = 73.99 % → 74 %: 15 points.
    expect(shareChange(517 / 581, 438 / 592)).toEqual({ kind: "increase", points: 15 });
    expect(shareText(517 / 581, 438 / 592)).toBe(`, en hausse de 15 points par rapport à 2022 (74${N}%)`);
    expect(shareText(0.34, 0.37)).toBe(`, en baisse de 3 points par rapport à 2022 (37${N}%)`);
  });

  it("agrees « point » in number and keeps decimals of small shares", () => {
    expect(shareText(0.5, 0.49)).toBe(`, en hausse de 1 point par rapport à 2022 (49${N}%)`);
    // 0.4 % vs 0.2 %: 0.2 point.
    expect(shareText(0.004, 0.002)).toBe(`, en hausse de 0,2 point par rapport à 2022 (0,2${N}%)`);
  });

  it("is stable when the displayed percentages are equal, and says when data is missing", () => {
    // 279/557 = 50.09 % and 286/572 = 50 %: both shown 50 %.
    expect(shareChange(279 / 557, 286 / 572)).toEqual({ kind: "stable" });
    expect(shareText(279 / 557, 286 / 572)).toBe(`, stable par rapport à 2022 (50${N}%)`);
    expect(shareText(0.5, null)).toBe(" (aucune donnée pour 2022)");
    expect(shareChangeLabel(0.89, 0.74)).toBe(`+15${N}pts`);
    expect(shareChangeLabel(0.5, 0.51)).toBe(`−1${N}pt`);
    expect(shareChangeLabel(0.5, 0.5)).toBe("stable");
    expect(shareChangeLabel(0.5, null)).toBe("—");
  });
});
