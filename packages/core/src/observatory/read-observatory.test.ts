import { describe, expect, it } from "vitest";
import type { Actor } from "../access/policy.ts";
import { observatoryRegionFor } from "./read-observatory.ts";

const actor = (role: Actor["role"], regionCode: string | null = null): Actor => ({
  userId: "00000000-0000-4000-8000-000000000001",
  email: "lecteur@test.vigie.localhost",
  role,
  regionCode,
  authority: role === "authority" ? "anssi" : null,
  structureIds: [],
  via: "session",
});

describe("observatoryRegionFor", () => {
  it("lets the CERT and the national authorities read the nation or any region", () => {
    for (const role of ["cert_lead", "cert_analyst", "authority"] as const) {
      expect(observatoryRegionFor(actor(role), null)).toBeNull();
      expect(observatoryRegionFor(actor(role), "94")).toBe("94");
    }
  });

  it("answers an ARS for its region, with or without asking, and refuses another", () => {
    expect(observatoryRegionFor(actor("ars", "32"), null)).toBe("32");
    expect(observatoryRegionFor(actor("ars", "32"), "32")).toBe("32");
    expect(() => observatoryRegionFor(actor("ars", "32"), "11")).toThrow(
      expect.objectContaining({ code: "FORBIDDEN", message: expect.stringContaining("(32)") }),
    );
    expect(() => observatoryRegionFor(actor("ars", null), null)).toThrow(
      expect.objectContaining({ code: "FORBIDDEN" }),
    );
  });

  it("refuses a code that is not one of the 18 regions, naming the field", () => {
    expect(() => observatoryRegionFor(actor("cert_lead"), "99")).toThrow(
      expect.objectContaining({
        code: "VALIDATION_FAILED",
        fields: [expect.objectContaining({ field: "region" })],
      }),
    );
  });
});
