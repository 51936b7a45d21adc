import { describe, expect, it } from "vitest";
import { normaliseSearchText, parseTextQuery, structureSearchText } from "./search-text.ts";

describe("search text", () => {
  it("is lower-case, accent-free words", () => {
    expect(normaliseSearchText("Hôpital  St-Étienne", null, "CŒUR d'Alène")).toBe(
      "hopital st etienne coeur d alene",
    );
    expect(
      structureSearchText({ finessEt: "2A0001234", name: "CH D'AJACCIO", longName: null, town: "AJACCIO" }),
    ).toBe("2a0001234 ch d ajaccio ajaccio");
  });

  it("treats digits and 2A/2B as a FINESS prefix, other text as words", () => {
    expect(parseTextQuery("75071")).toEqual({ finessPrefix: "75071", words: ["75071"], phrase: "75071" });
    expect(parseTextQuery("2a 000")).toEqual({
      finessPrefix: "2A000",
      words: ["2a", "000"],
      phrase: "2a 000",
    });
    expect(parseTextQuery("Hôpital Béclère")).toEqual({
      finessPrefix: null,
      words: ["hopital", "beclere"],
      phrase: "hopital beclere",
    });
    expect(parseTextQuery("7").finessPrefix).toBeNull();
    expect(parseTextQuery("7507121840").finessPrefix).toBeNull();
    expect(parseTextQuery("—").words).toEqual([]);
  });
});
