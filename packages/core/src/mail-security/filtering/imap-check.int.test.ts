import { AppError } from "@vigie/contracts";
import { exposureAuditsRepo, mailSecurityRepo } from "@vigie/db";
import {
  type CertifiedKey,
  createStructure,
  createTestCertificates,
  createTestDatabase,
  createUser,
  issueCertificate,
  type TestCertificates,
  type TestDatabase,
} from "@vigie/test-kit";
import { type DovecotServer, startDovecot } from "@vigie/test-kit/targets/dovecot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../access/policy.ts";
import {
  checkFilteringArrivalsByImap,
  type FilteringSettings,
  type StoredBatteryMessage,
} from "../campaigns.ts";
import { buildFilteringBattery, type FilteringMessage } from "./battery.ts";
import { campaignTag } from "./compose.ts";
import { findArrivedTokens, type ImapCheckOptions } from "./imap-check.ts";

/**
 * The IMAP arrival check against a real Dovecot: TLS required (STARTTLS on 143, implicit TLS on
 * 993) with a certificate of a private CA, and a Dovecot without TLS that must get no password.
 */

const hostName = "imap.filtrage.test";
const net = `127.144.${process.pid % 250}`;
const tlsAddress = `${net}.1`;
const plainAddress = `${net}.2`;
const now = new Date("2026-03-02T10:00:00Z");

let database: TestDatabase | undefined;
let hardened: DovecotServer | undefined;
let plain: DovecotServer | undefined;
let certs: TestCertificates;
let leaf: CertifiedKey;
let declarant: Actor;
let campaignId = "";
let tag = "";
let battery: FilteringMessage[] = [];
/** Tokens of the messages put in the mailbox (INBOX and Junk). */
let delivered: string[] = [];

function db(): TestDatabase["db"] {
  if (!database) throw new Error("base absente");
  return database.db;
}

function server(): DovecotServer {
  if (!hardened) throw new Error("serveur IMAP absent");
  return hardened;
}

function checkOptions(overrides: Partial<ImapCheckOptions> = {}): ImapCheckOptions {
  const imap = server();
  return {
    ip: imap.address,
    host: hostName,
    port: imap.port,
    secure: false,
    user: imap.user,
    password: imap.password,
    tag,
    tokens: battery.map((m) => m.token),
    timeoutMs: 5000,
    trustedCa: [certs.root.certPem],
    ...overrides,
  };
}

function settings(overrides: Partial<FilteringSettings> = {}): FilteringSettings {
  return {
    transportUrl: null,
    mailFrom: "Vigie <filtrage@vigie.example>",
    timeoutMs: 5000,
    trustedCa: [certs.root.certPem],
    allowNonPublic: true,
    ...overrides,
  };
}

async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error & Record<string, unknown>;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const structure = await createStructure(db(), { name: "CH du Filtrage", mailDomains: ["filtrage.test"] });
  const user = await createUser(db(), "declarant", { structureIds: [structure.id] });
  declarant = {
    userId: user.id,
    email: user.email,
    role: "declarant",
    regionCode: null,
    authority: null,
    structureIds: [structure.id],
    via: "session",
  };
  const cert = await createUser(db(), "cert_analyst");
  // the CERT's authorisation in force covers the test servers' loopback range only
  await exposureAuditsRepo.insertAuthorisation(db(), {
    structure_id: structure.id,
    domains: ["filtrage.test"],
    networks: [`${net}.0/24`],
    default_credentials: false,
    reference: "MANDAT-IMAP-1",
    granted_by_user_id: cert.id,
    granted_at: now,
    valid_until: "2999-12-31",
  });
  const mailbox = "filtrage@filtrage.test";
  const campaign = await mailSecurityRepo.insertFilterCampaign(db(), {
    structure_id: structure.id,
    mailbox,
    status: "sent",
    created_by_user_id: user.id,
    created_at: now,
    messages: "[]",
  });
  campaignId = campaign.id;
  tag = `VIGIE-${campaignTag(campaignId)}`;
  battery = await buildFilteringBattery({
    campaignId,
    to: mailbox,
    senderDomain: "vigie.example",
    targetDomain: "filtrage.test",
    now,
  });
  const stored: StoredBatteryMessage[] = battery.map(({ token, code, category, title }) => ({
    token,
    code,
    category,
    title,
  }));
  await mailSecurityRepo.updateFilterCampaign(db(), campaignId, {
    messages: JSON.stringify(stored),
    sent_at: now,
  });

  certs = await createTestCertificates({ hostName });
  // valid for the name and for the address (the platform connects to a resolved address)
  leaf = await issueCertificate({
    commonName: hostName,
    names: [hostName, tlsAddress],
    issuer: certs.intermediate,
  });
  hardened = await startDovecot({
    address: tlsAddress,
    tls: { certPem: leaf.certPem + certs.intermediate.certPem, keyPem: leaf.keyPem, implicit: true },
  });
  plain = await startDovecot({ address: plainAddress });

  // what the filter let through: a few messages in the inbox, a few in the junk folder
  const inbox = battery.filter((_, i) => i % 10 === 0);
  const junk = battery.filter((m, i) => m.category === "malware" && i % 10 !== 0).slice(0, 3);
  for (const message of inbox) await hardened.deliver(message.raw);
  for (const message of junk) await hardened.deliver(message.raw, "Junk");
  // another campaign's message in the same mailbox is not this campaign's arrival
  const other = await buildFilteringBattery({
    campaignId: "5b0f4a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
    to: mailbox,
    senderDomain: "vigie.example",
    targetDomain: "filtrage.test",
    now,
  });
  for (const message of other.slice(0, 2)) await hardened.deliver(message.raw);
  delivered = [...inbox, ...junk].map((m) => m.token).sort();
}, 120_000);

afterAll(async () => {
  await Promise.all([hardened?.stop(), plain?.stop()]);
  await database?.destroy();
});

describe("the IMAP arrival check over TLS", () => {
  it("finds exactly the delivered tokens, in the inbox and the junk folder, over STARTTLS", async () => {
    expect(delivered.length).toBeGreaterThanOrEqual(14);
    expect(delivered.length).toBeLessThan(battery.length);
    const found = await findArrivedTokens(checkOptions());
    expect(found).toEqual(delivered);
  });

  it("finds the same tokens over implicit TLS (993)", async () => {
    const imap = server();
    expect(imap.tlsPort).toBe(993);
    const found = await findArrivedTokens(checkOptions({ port: imap.tlsPort ?? 0, secure: true }));
    expect(found).toEqual(delivered);
  });

  it("reports only the campaign's own tokens", async () => {
    const some = delivered.slice(0, 5);
    const found = await findArrivedTokens(checkOptions({ tokens: some }));
    expect(found).toEqual(some);
  });

  it("records the arrivals of the campaign when checked through the platform", async () => {
    const imap = server();
    const view = await checkFilteringArrivalsByImap(
      db(),
      declarant,
      campaignId,
      { host: imap.address, port: imap.port, secure: false, user: imap.user, password: imap.password },
      { now, settings: settings() },
    );
    expect(view.status).toBe("reported");
    expect(view.reportedVia).toBe("imap");
    expect(
      view.messages
        .filter((m) => m.arrived)
        .map((m) => m.token)
        .sort(),
    ).toEqual(delivered);
    expect(view.byCategory.reduce((n, c) => n + c.arrived, 0)).toBe(delivered.length);
  });
});

describe("the IMAP arrival check refuses", () => {
  it("a wrong password, in French, without repeating the password", async () => {
    const imap = server();
    const wrong = "Mauvais-Secret-Tres-Particulier-77";
    const direct = await failure(findArrivedTokens(checkOptions({ password: wrong })));
    expect(direct.authenticationFailed).toBe(true);

    const error = await failure(
      checkFilteringArrivalsByImap(
        db(),
        declarant,
        campaignId,
        { host: imap.address, port: imap.port, secure: false, user: imap.user, password: wrong },
        { now, settings: settings() },
      ),
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as unknown as AppError).code).toBe("VALIDATION_FAILED");
    expect(error.message).toBe("Connexion IMAP impossible : identifiant ou mot de passe refusé.");
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(wrong);
  });

  it("a certificate of a CA it does not trust, over STARTTLS and implicit TLS", async () => {
    const imap = server();
    const starttls = await failure(findArrivedTokens(checkOptions({ trustedCa: undefined })));
    expect(starttls.tlsFailed).toBe(true);
    expect(String(starttls.code ?? starttls.message)).toMatch(/CERT|certificate|issuer/i);
    const implicit = await failure(
      findArrivedTokens(checkOptions({ trustedCa: undefined, port: imap.tlsPort ?? 0, secure: true })),
    );
    expect(String(implicit.code ?? implicit.message)).toMatch(/CERT|certificate|issuer/i);

    const error = await failure(
      checkFilteringArrivalsByImap(
        db(),
        declarant,
        campaignId,
        { host: imap.address, port: imap.port, secure: false, user: imap.user, password: imap.password },
        { now, settings: settings({ trustedCa: undefined }) },
      ),
    );
    expect(error.message).toMatch(/^Connexion IMAP impossible : .*négociation a échoué/);
    expect(error.message).not.toContain(imap.password);
  });

  it("a certificate for another name", async () => {
    const error = await failure(findArrivedTokens(checkOptions({ host: "autre.filtrage.test" })));
    expect(error.tlsFailed).toBe(true);
    expect(String(error.code ?? error.message)).toMatch(/ALTNAME|does not match/i);
  });

  it("a server without STARTTLS: the connection stops before the login", async () => {
    if (!plain) throw new Error("serveur IMAP sans TLS absent");
    const error = await failure(
      findArrivedTokens(
        checkOptions({ ip: plain.address, host: plain.address, user: plain.user, password: plain.password }),
      ),
    );
    expect(error.tlsFailed).toBe(true);
    expect(error.authenticationFailed).toBeUndefined();
  });
});
