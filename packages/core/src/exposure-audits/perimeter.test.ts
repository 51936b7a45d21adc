import { AUDIT_PERIOD_DAYS } from "@vigie/contracts";
import { describe, expect, it } from "vitest";
import { filterCtNames, parseCtExport } from "./ct-import.ts";
import { normalisePerimeter } from "./perimeter.ts";
import { rangeAddresses } from "./run-audit.ts";
import { firstAuditOffsetMs, nextAuditAt } from "./schedule.ts";

const DAY = 86_400_000;
const input = (domains: string[], networks: string[]) => ({
  domains,
  networks,
  defaultCredentialsOptIn: false,
  filteringMailbox: null,
});

describe("normalisePerimeter", () => {
  it("normalises names (IDN to punycode, case, trailing dot, duplicates) and ranges", () => {
    const result = normalisePerimeter(
      input(["CH-Exemple.FR.", "hôpital-exemple.fr", "ch-exemple.fr"], ["192.0.2.0/24", "198.51.100.7"]),
    );
    expect(result).toEqual({
      ok: true,
      perimeter: {
        domains: ["ch-exemple.fr", "xn--hpital-exemple-0ob.fr"],
        networks: ["192.0.2.0/24", "198.51.100.7/32"],
        defaultCredentialsOptIn: false,
        filteringMailbox: null,
      },
    });
  });

  it("names each offending field and value in French", () => {
    const result = normalisePerimeter(
      input(
        ["ch-exemple.fr", "https://ch-exemple.fr/x", "pas_un_nom"],
        ["10.0.0.0/4", "192.0.2.5/24", "127.0.0.0/8"],
      ),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byField = Object.fromEntries(result.issues.map((i) => [i.field, i.message]));
    expect(Object.keys(byField).sort()).toEqual([
      "domains.1",
      "domains.2",
      "networks.0",
      "networks.1",
      "networks.2",
    ]);
    expect(byField["domains.1"]).toContain("« https://ch-exemple.fr/x »");
    expect(byField["networks.0"]).toMatch(/« 10\.0\.0\.0\/4 » : Plage trop large/);
    expect(byField["networks.1"]).toContain("192.0.2.0/24");
    expect(byField["networks.2"]).toContain("bouclage");
  });

  it("accepts loopback only when the caller allows it (tests' local targets)", () => {
    expect(normalisePerimeter(input([], ["127.0.0.8/29"]), { allowLoopback: true })).toMatchObject({
      ok: true,
      perimeter: { networks: ["127.0.0.8/29"] },
    });
    expect(normalisePerimeter(input([], ["127.0.0.9/29"]), { allowLoopback: true }).ok).toBe(false);
  });

  it("checks the filtering mailbox", () => {
    const result = normalisePerimeter({ ...input([], []), filteringMailbox: "pas une adresse" });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.field).toBe("filteringMailbox");
  });
});

describe("certificate transparency exports", () => {
  const domains = ["ch-exemple.fr"];

  it("reads crt.sh JSON with several names per entry and wildcards", () => {
    const json = JSON.stringify([
      {
        name_value: "*.ch-exemple.fr\nvpn.ch-exemple.fr",
        not_before: "2024-01-10T00:00:00",
        not_after: "2024-04-10T00:00:00",
        issuer_name: "C=US, O=Let's Encrypt, CN=R3",
      },
      { name_value: "VPN.ch-exemple.fr", not_before: "2025-02-01T00:00:00", issuer_name: "CN=R11" },
      { name_value: "www.autre-structure.fr", not_before: "2024-01-01T00:00:00" },
    ]);
    const { names, ignored } = filterCtNames(parseCtExport(json), domains);
    expect([...names.keys()].sort()).toEqual(["ch-exemple.fr", "vpn.ch-exemple.fr"]);
    expect(names.get("vpn.ch-exemple.fr")).toEqual({
      firstSeen: "2024-01-10",
      lastSeen: "2025-02-01",
      issuer: "CN=R11",
    });
    expect(ignored).toBe(1);
  });

  it("reads CSV with a name column and one name per line", () => {
    const csv = "id;name;not_before\n1;mail.ch-exemple.fr;2024-03-01\n2;intranet.ailleurs.fr;2024-03-01\n";
    expect([...filterCtNames(parseCtExport(csv), domains).names.keys()]).toEqual(["mail.ch-exemple.fr"]);
    const lines = "portail.ch-exemple.fr\n*.dev.ch-exemple.fr\nnot a name\n";
    const parsed = filterCtNames(parseCtExport(lines), domains);
    expect([...parsed.names.keys()].sort()).toEqual(["dev.ch-exemple.fr", "portail.ch-exemple.fr"]);
    expect(parsed.ignored).toBe(1);
  });
});

describe("scheduling", () => {
  it("spreads first audits over the period, deterministically", () => {
    const ids = Array.from(
      { length: 400 },
      (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    );
    const offsets = ids.map(firstAuditOffsetMs);
    expect(ids.map(firstAuditOffsetMs)).toEqual(offsets);
    for (const o of offsets) {
      expect(o).toBeGreaterThanOrEqual(0);
      expect(o).toBeLessThan(AUDIT_PERIOD_DAYS * DAY);
    }
    // every tenth of the period gets some structures
    const buckets = new Set(offsets.map((o) => Math.floor((o / (AUDIT_PERIOD_DAYS * DAY)) * 10)));
    expect(buckets.size).toBe(10);
  });

  it("plans 61 days after the last success, a day after a failure, never past the authorisation", () => {
    const grantedAt = new Date("2026-01-05T10:00:00Z");
    const base = { structureId: "s", grantedAt, validUntil: "2026-12-31", lastFailedAt: null };
    const last = new Date("2026-02-01T08:00:00Z");
    expect(nextAuditAt({ ...base, lastSucceededAt: last, now: last })?.toISOString()).toBe(
      new Date(last.getTime() + 61 * DAY).toISOString(),
    );
    const failed = new Date("2026-05-01T08:00:00Z");
    expect(
      nextAuditAt({ ...base, lastSucceededAt: last, lastFailedAt: failed, now: failed })?.toISOString(),
    ).toBe(new Date(failed.getTime() + DAY).toISOString());
    expect(nextAuditAt({ ...base, validUntil: "2026-03-01", lastSucceededAt: last, now: last })).toBeNull();
    const first = nextAuditAt({ ...base, lastSucceededAt: null, now: grantedAt });
    expect(first?.getTime()).toBe(grantedAt.getTime() + firstAuditOffsetMs("s"));
  });
});

describe("rangeAddresses", () => {
  it("lists the hosts of a range and caps wide ones with a French note", () => {
    expect(rangeAddresses(["192.0.2.8/30", "198.51.100.7/32"]).ips).toEqual([
      "192.0.2.9",
      "192.0.2.10",
      "198.51.100.7",
    ]);
    const wide = rangeAddresses(["10.0.0.0/16"]);
    expect(wide.ips).toHaveLength(1023);
    expect(wide.ips[0]).toBe("10.0.0.1");
    expect(wide.notes[0]).toMatch(/La plage 10\.0\.0\.0\/16 compte 65\s?536 adresses/);
  });
});
