import { filteringCategories } from "@vigie/contracts";
import { startTestMx, type TestMxServer } from "@vigie/test-kit/targets/smtp-starttls";
import { unzipSync } from "fflate";
import { simpleParser } from "mailparser";
import { afterAll, describe, expect, it } from "vitest";
import { buildFilteringBattery, type FilteringMessage } from "./battery.ts";
import { EICAR } from "./payloads.ts";
import { sendFilteringBattery } from "./send-battery.ts";

const input = {
  campaignId: "7d3c0a52-2f7e-4c1b-9a55-0e2f3d4c5b6a",
  to: "test-filtrage@ch-exemple.fr",
  senderDomain: "vigie.example",
  targetDomain: "ch-exemple.fr",
  now: new Date("2026-03-02T10:00:00Z"),
};

function byCode(messages: FilteringMessage[], code: string): FilteringMessage {
  const found = messages.find((m) => m.code === code);
  if (!found) throw new Error(`absent : ${code}`);
  return found;
}

async function attachmentOf(message: FilteringMessage, filename: string): Promise<Buffer> {
  const parsed = await simpleParser(message.raw);
  const attachment = parsed.attachments.find((a) => a.filename === filename);
  if (!attachment)
    throw new Error(
      `pièce jointe absente : ${filename} (${parsed.attachments.map((a) => a.filename).join(", ")})`,
    );
  return attachment.content;
}

describe("the filtering battery", () => {
  let mx: TestMxServer | undefined;
  afterAll(async () => mx?.close());

  it("has at least 100 parseable messages, unique tokens, every category", async () => {
    const messages = await buildFilteringBattery(input);
    expect(messages.length).toBeGreaterThanOrEqual(100);
    expect(new Set(messages.map((m) => m.token)).size).toBe(messages.length);
    expect(new Set(messages.map((m) => m.code)).size).toBe(messages.length);
    for (const category of filteringCategories) {
      expect(messages.filter((m) => m.category === category).length, category).toBeGreaterThanOrEqual(5);
    }
    for (const message of messages) {
      expect(message.token).toMatch(/^VIGIE-[0-9A-F]{8}-\d{3}$/);
      const parsed = await simpleParser(message.raw);
      const header = parsed.headers.get("x-vigie-test");
      expect(header, message.code).toBe(message.token);
      expect(parsed.subject ?? "", message.code).toContain(`[Test Vigie ${message.token}]`);
    }
    // the same campaign gives the same tokens; another campaign, other ones
    const again = await buildFilteringBattery(input);
    expect(again.map((m) => m.token)).toEqual(messages.map((m) => m.token));
    const other = await buildFilteringBattery({ ...input, campaignId: "autre" });
    expect(other[0]?.token).not.toBe(messages[0]?.token);
  });

  it("holds the expected traps, all inert", async () => {
    const messages = await buildFilteringBattery(input);
    expect((await attachmentOf(byCode(messages, "malware.eicar_com"), "eicar.com")).toString()).toBe(EICAR);
    const zipped = unzipSync(
      new Uint8Array(await attachmentOf(byCode(messages, "malware.eicar_nested_zip"), "eicar-imbrique.zip")),
    );
    const inner = unzipSync(zipped["eicar.zip"] as Uint8Array);
    expect(Buffer.from(inner["eicar.com"] as Uint8Array).toString()).toBe(EICAR);
    const exeZip = unzipSync(
      new Uint8Array(await attachmentOf(byCode(messages, "archive.zip_exe"), "facture.zip")),
    );
    expect(Object.keys(exeZip)).toEqual(["facture.exe"]);
    expect(
      Buffer.from(exeZip["facture.exe"] as Uint8Array)
        .subarray(0, 2)
        .toString(),
    ).toBe("MZ");
    const encrypted = await attachmentOf(byCode(messages, "archive.encrypted_zip"), "facture-protegee.zip");
    expect(encrypted.readUInt32LE(0)).toBe(0x04034b50);
    expect(encrypted.readUInt16LE(6) & 1).toBe(1);
    const docm = unzipSync(
      new Uint8Array(await attachmentOf(byCode(messages, "macro.docm"), "compte-rendu.docm")),
    );
    expect(Object.keys(docm)).toContain("word/vbaProject.bin");
    const twoFrom = byCode(messages, "headers.two_from").raw.toString();
    expect(twoFrom.match(/^From:/gm)?.length).toBe(2);
    expect(byCode(messages, "headers.no_date").raw.toString()).not.toMatch(/^Date:/m);
    expect(byCode(messages, "sender.own_domain").raw.toString()).toMatch(/^From: .*@ch-exemple\.fr>/m);
    expect(byCode(messages, "sender.homoglyph_idn").raw.toString()).toMatch(/^From: .*@xn--/m);
    expect(byCode(messages, "link.ipv4").raw.toString()).toContain("http://192.0.2.10/");
    const links = messages.filter((m) => m.category === "link").map((m) => m.raw.toString());
    expect(links.some((l) => l.includes("data:text/html"))).toBe(true);
    expect(links.some((l) => l.includes("javascript:"))).toBe(true);
  });

  it("sends every message through the relay to the mailbox", async () => {
    mx = await startTestMx({ port: 0 });
    const messages = await buildFilteringBattery(input);
    const report = await sendFilteringBattery(mx.url, messages, {
      from: "Vigie <filtrage@vigie.example>",
      to: input.to,
    });
    expect(report.failed).toEqual([]);
    expect(report.sent.length).toBe(messages.length);
    expect(mx.received.length).toBe(messages.length);
    const received = new Set(
      mx.received.map((m) => /X-Vigie-Test: (\S+)/.exec(m.raw.toString("latin1"))?.[1]),
    );
    for (const m of messages) expect(received.has(m.token), m.code).toBe(true);
    for (const m of mx.received) {
      expect(m.to).toEqual([input.to]);
      expect(m.from).toBe("filtrage@vigie.example");
    }
  });
});
