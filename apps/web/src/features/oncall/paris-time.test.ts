import { describe, expect, it } from "vitest";
import { parisLocalToIso, toParisLocal } from "./paris-time.ts";

describe("heure de Paris des créneaux d'astreinte", () => {
  it("lit la saisie comme l'heure de Paris, en hiver comme en été", () => {
    expect(parisLocalToIso("2026-03-14T20:00")).toBe("2026-03-14T20:00:00+01:00");
    expect(parisLocalToIso("2026-07-01T08:30")).toBe("2026-07-01T08:30:00+02:00");
    expect(new Date(parisLocalToIso("2026-01-05T00:00") ?? "").toISOString()).toBe(
      "2026-01-04T23:00:00.000Z",
    );
  });

  it("gère les changements d'heure", () => {
    // 29 March 2026, 2:30 does not exist in Paris: moved to 3:30 summer time.
    expect(parisLocalToIso("2026-03-29T02:30")).toBe("2026-03-29T03:30:00+02:00");
    // 25 October 2026, 2:30 happens twice: the first one (summer time).
    expect(parisLocalToIso("2026-10-25T02:30")).toBe("2026-10-25T02:30:00+02:00");
    expect(parisLocalToIso("2026-10-25T03:30")).toBe("2026-10-25T03:30:00+01:00");
  });

  it("refuse une saisie incomplète", () => {
    expect(parisLocalToIso("")).toBeNull();
    expect(parisLocalToIso("2026-03-14")).toBeNull();
    expect(parisLocalToIso("2026-13-01T10:00")).toBeNull();
  });

  it("affiche un instant en heure de Paris", () => {
    expect(toParisLocal(new Date("2026-03-14T19:00:00Z"))).toBe("2026-03-14T20:00");
    expect(toParisLocal(new Date("2026-07-01T06:30:00Z"))).toBe("2026-07-01T08:30");
  });
});
