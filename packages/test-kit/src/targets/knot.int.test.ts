import { queryDns, zoneTransfer } from "@vigie/core";
import { afterAll, describe, expect, it } from "vitest";
import { type KnotServer, startKnot } from "./knot.ts";

describe("startKnot", () => {
  let knot: KnotServer | undefined;
  afterAll(async () => knot?.stop());

  it("serves the test zones, signed when asked, transfer allowed only where asked", async () => {
    knot = await startKnot({
      zones: [
        {
          origin: "signe.test",
          records: "www IN A 127.0.0.10\n@ IN MX 10 mx\nmx IN A 127.0.0.11",
          dnssec: true,
        },
        { origin: "ouvert.test", records: "intranet IN A 127.0.0.12", allowTransfer: true },
      ],
    });
    const server = { ip: knot.address, port: 53 };
    const www = await queryDns(server, "www.signe.test", "A", { timeoutMs: 2000, dnssec: true });
    expect(www.authoritative).toBe(true);
    const a = www.answers.find((answer) => answer.type === "A");
    expect(a && "data" in a ? a.data : null).toBe("127.0.0.10");
    expect(www.answers.some((a) => a.type === "RRSIG")).toBe(true);
    expect(knot.ds.get("signe.test")?.[0]).toMatch(/DS/);

    const missing = await queryDns(server, "absent.signe.test", "A", { timeoutMs: 2000 });
    expect(missing.rcode).toBe("NXDOMAIN");

    const open = await zoneTransfer(server, "ouvert.test", { timeoutMs: 2000 });
    expect(open.allowed).toBe(true);
    expect(open.records.some((r) => r.name === "intranet.ouvert.test")).toBe(true);
    const closed = await zoneTransfer(server, "signe.test", { timeoutMs: 2000 });
    expect(closed.allowed).toBe(false);
  });
});
