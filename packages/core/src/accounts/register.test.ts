import { describe, expect, it } from "vitest";
import { providerDidMfa } from "../auth/oidc-login.ts";
import { mailRetryDelayMs } from "../mail/deliver-outbox.ts";
import { membershipStatusFor } from "./register.ts";

describe("membershipStatusFor", () => {
  const structure = {
    mail_domains: ["chu-essai.fr"],
    contact_emails: ["dsi@ght-essai.fr", "accueil@orange.fr"],
  };

  it("trusts the structure's mail domains and their subdomains", () => {
    expect(membershipStatusFor("a@chu-essai.fr", structure)).toBe("active");
    expect(membershipStatusFor("a@DSI.Chu-Essai.fr", structure)).toBe("active");
    expect(membershipStatusFor("a@faux-chu-essai.fr", structure)).toBe("pending");
  });

  it("trusts a contact address's domain, never a webmail's", () => {
    expect(membershipStatusFor("b@ght-essai.fr", structure)).toBe("active");
    expect(membershipStatusFor("b@sous.ght-essai.fr", structure)).toBe("pending");
    expect(membershipStatusFor("b@orange.fr", structure)).toBe("pending");
  });

  it("leaves everything else pending", () => {
    expect(membershipStatusFor("c@ailleurs.fr", { mail_domains: [], contact_emails: [] })).toBe("pending");
  });
});

describe("mailRetryDelayMs", () => {
  it("doubles from one minute and stops at six hours", () => {
    expect(mailRetryDelayMs(1)).toBe(60_000);
    expect(mailRetryDelayMs(2)).toBe(120_000);
    expect(mailRetryDelayMs(4)).toBe(480_000);
    expect(mailRetryDelayMs(20)).toBe(6 * 3_600_000);
  });
});

describe("providerDidMfa", () => {
  it("reads amr (RFC 8176) and the configured acr values", () => {
    expect(providerDidMfa({ amr: ["pwd", "otp"], acr: null }, [])).toBe(true);
    expect(providerDidMfa({ amr: ["hwk"], acr: null }, [])).toBe(true);
    expect(providerDidMfa({ amr: ["pwd"], acr: "eidas1" }, [])).toBe(false);
    expect(providerDidMfa({ amr: [], acr: "eidas3" }, ["eidas3"])).toBe(true);
  });
});
