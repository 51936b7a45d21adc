import { AppError, type Role } from "@vigie/contracts";
import { exposureAuditsRepo } from "@vigie/db";
import { createStructure, createTestDatabase, createUser, type TestDatabase } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../access/policy.ts";
import { importCtNames } from "./ct-import.ts";
import {
  authorisePerimeter,
  getPerimeter,
  listPerimeters,
  rejectPerimeter,
  revokeAuthorisation,
  savePerimeter,
  submitPerimeter,
} from "./perimeter.ts";
import { listAudits } from "./report/build-report.ts";
import { firstAuditOffsetMs, launchAuditNow, scheduleAudits } from "./schedule.ts";
import { exposureAuditStats } from "./stats.ts";

let database: TestDatabase;
let cert: Actor;
let alpha: { id: string; finessEt: string };
let beta: { id: string; finessEt: string };
let gamma: { id: string; finessEt: string };
let declarantAlpha: Actor;
let declarantBeta: Actor;
const day0 = new Date("2026-03-02T09:00:00Z");
const DAY = 86_400_000;

async function actorFor(role: Role, structureIds: string[] = []): Promise<Actor> {
  const user = await createUser(database.db, role, { structureIds });
  return {
    userId: user.id,
    email: user.email,
    role,
    regionCode: null,
    authority: null,
    structureIds,
    via: "session",
  };
}

async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const perimeter = (domains: string[], networks: string[]) => ({
  domains,
  networks,
  defaultCredentialsOptIn: false,
  filteringMailbox: null,
});

beforeAll(async () => {
  database = await createTestDatabase();
  alpha = await createStructure(database.db, { name: "CH Alpha" });
  beta = await createStructure(database.db, { name: "Clinique Bêta" });
  gamma = await createStructure(database.db, { name: "CH Gamma" });
  cert = await actorFor("cert_analyst");
  declarantAlpha = await actorFor("declarant", [alpha.id]);
  declarantBeta = await actorFor("declarant", [beta.id]);
});
afterAll(async () => {
  await database?.destroy();
});

describe("perimeter and authorisation", () => {
  it("saves a draft, submits it, and the CERT authorises a snapshot", async () => {
    const db = database.db;
    const draft = await savePerimeter(
      db,
      declarantAlpha,
      alpha.id,
      perimeter(["CH-Alpha.fr."], ["192.0.2.0/25"]),
      { now: day0 },
    );
    expect(draft).toMatchObject({ status: "draft", domains: ["ch-alpha.fr"], networks: ["192.0.2.0/25"] });
    const invalid = await appError(
      savePerimeter(db, declarantAlpha, alpha.id, perimeter(["ok.fr", "x"], ["192.0.2.1/24"]), { now: day0 }),
    );
    expect(invalid.code).toBe("VALIDATION_FAILED");
    expect(invalid.fields?.map((f) => f.field)).toEqual(["domains.1", "networks.0"]);

    expect((await submitPerimeter(db, declarantAlpha, alpha.id, { now: day0 })).status).toBe("submitted");
    expect(
      (await listPerimeters(db, cert, { status: "submitted" }, day0)).map((p) => p.structureId),
    ).toContain(alpha.id);
    const past = await appError(
      authorisePerimeter(db, cert, alpha.id, { validUntil: "2026-03-01", reference: "M-1" }, { now: day0 }),
    );
    expect(past.fields?.[0]?.field).toBe("validUntil");
    const validated = await authorisePerimeter(
      db,
      cert,
      alpha.id,
      { validUntil: "2026-12-31", reference: "Mandat 2026-04" },
      { now: day0 },
    );
    expect(validated.status).toBe("validated");
    expect(validated.authorisation).toMatchObject({
      reference: "Mandat 2026-04",
      validUntil: "2026-12-31",
      networks: ["192.0.2.0/25"],
      inForce: true,
      grantedBy: cert.email,
    });
    const log = await db
      .selectFrom("audit_log")
      .select("action")
      .where("action", "like", "audit_perimeter.%")
      .execute();
    expect(log.map((l) => l.action)).toEqual(
      expect.arrayContaining(["audit_perimeter.submitted", "audit_perimeter.authorised"]),
    );
  });

  it("editing a validated perimeter submits it again; the authorisation keeps its snapshot", async () => {
    const db = database.db;
    const edited = await savePerimeter(
      db,
      declarantAlpha,
      alpha.id,
      perimeter(["ch-alpha.fr", "alpha-sante.fr"], ["192.0.2.0/25"]),
      { now: new Date(day0.getTime() + 1000) },
    );
    expect(edited.status).toBe("submitted");
    expect(edited.authorisation?.domains).toEqual(["ch-alpha.fr"]);
    const again = await authorisePerimeter(
      db,
      cert,
      alpha.id,
      { validUntil: "2026-12-31", reference: "Mandat 2026-04 bis" },
      { now: new Date(day0.getTime() + 2000) },
    );
    expect(again.authorisation?.domains).toEqual(["ch-alpha.fr", "alpha-sante.fr"]);
  });

  it("refuses a range overlapping another structure's, naming it to the CERT only", async () => {
    const db = database.db;
    const error = await appError(
      savePerimeter(db, declarantBeta, beta.id, perimeter([], ["192.0.2.64/26"]), { now: day0 }),
    );
    expect(error.code).toBe("CONFLICT");
    expect(error.fields?.[0]?.field).toBe("networks.0");
    expect(error.message).not.toContain("Alpha");
    // an asset range of another structure counts too
    await db
      .insertInto("assets")
      .values({
        structure_id: gamma.id,
        kind: "cidr",
        network: "198.51.100.0/24",
        source: "manual",
        created_at: day0,
        updated_at: day0,
      })
      .execute();
    const viaCert = await appError(
      savePerimeter(db, cert, beta.id, perimeter([], ["198.51.100.128/25"]), { now: day0 }),
    );
    expect(viaCert.message).toContain("CH Gamma");
    const ok = await savePerimeter(db, declarantBeta, beta.id, perimeter(["beta.fr"], ["203.0.113.0/24"]), {
      now: day0,
    });
    expect(ok.status).toBe("draft");
  });

  it("rejects with a reason; the structure edits and submits again", async () => {
    const db = database.db;
    await submitPerimeter(db, declarantBeta, beta.id, { now: day0 });
    const rejected = await rejectPerimeter(db, cert, beta.id, { reason: "Mandat non signé." }, { now: day0 });
    expect(rejected).toMatchObject({ status: "rejected", reviewNote: "Mandat non signé." });
    const edited = await savePerimeter(
      db,
      declarantBeta,
      beta.id,
      perimeter(["beta.fr"], ["203.0.113.0/25"]),
      {
        now: day0,
      },
    );
    expect(edited.status).toBe("draft");
  });

  it("answers NOT_FOUND for another structure's perimeter, audits and imports", async () => {
    const db = database.db;
    for (const attempt of [
      () => getPerimeter(db, declarantBeta, alpha.id),
      () => savePerimeter(db, declarantBeta, alpha.id, perimeter(["x.fr"], []), { now: day0 }),
      () => submitPerimeter(db, declarantBeta, alpha.id, { now: day0 }),
      () => importCtNames(db, declarantBeta, alpha.id, "www.ch-alpha.fr\n", { now: day0 }),
      () => listAudits(db, declarantBeta, { structureId: alpha.id, page: 1 }),
      () => getPerimeter(db, declarantBeta, "00000000-0000-4000-8000-000000000000"),
    ]) {
      expect((await appError(attempt())).code).toBe("NOT_FOUND");
    }
    expect(
      (
        await appError(
          authorisePerimeter(
            db,
            declarantAlpha,
            alpha.id,
            { validUntil: "2026-12-31", reference: "x" },
            { now: day0 },
          ),
        )
      ).code,
    ).toBe("FORBIDDEN");
    expect((await appError(launchAuditNow(db, declarantAlpha, alpha.id, { now: day0 }))).code).toBe(
      "FORBIDDEN",
    );
  });

  it("imports certificate transparency names of the perimeter only", async () => {
    const report = await importCtNames(
      database.db,
      declarantAlpha,
      alpha.finessEt,
      JSON.stringify([
        { name_value: "*.ch-alpha.fr\nvpn.ch-alpha.fr\nwww.ailleurs.fr", not_before: "2025-01-02T00:00:00" },
      ]),
      { now: day0 },
    );
    expect(report).toEqual({ kept: 2, ignored: 1, read: 3 });
    expect(await exposureAuditsRepo.listCtNames(database.db, alpha.id)).toEqual([
      "ch-alpha.fr",
      "vpn.ch-alpha.fr",
    ]);
    expect((await getPerimeter(database.db, declarantAlpha, alpha.id)).ctNames).toBe(2);
  });
});

describe("scheduling", () => {
  it("plans the first audit within the period, once, and the next 61 days after a success", async () => {
    const db = database.db;
    const first = await scheduleAudits(db, day0);
    expect(first.scheduled).toBe(1);
    expect((await scheduleAudits(db, day0)).scheduled).toBe(0);
    const pending = await exposureAuditsRepo.findPendingAudit(db, alpha.id);
    const grantedAt = new Date(day0.getTime() + 2000);
    expect(pending?.scheduled_for.getTime()).toBe(grantedAt.getTime() + firstAuditOffsetMs(alpha.id));

    // the audit succeeded: the next one is 61 days later
    const finished = new Date("2026-04-10T09:00:00Z");
    await db
      .updateTable("exposure_audits")
      .set({ status: "succeeded", started_at: finished, finished_at: finished })
      .where("id", "=", pending?.id as string)
      .execute();
    expect((await scheduleAudits(db, finished)).scheduled).toBe(1);
    const next = await exposureAuditsRepo.findPendingAudit(db, alpha.id);
    expect(next?.scheduled_for.getTime()).toBe(finished.getTime() + 61 * DAY);
  });

  it("the CERT launches an audit now; revocation cancels it and stops scheduling", async () => {
    const db = database.db;
    const now = new Date("2026-04-11T10:00:00Z");
    const launched = await launchAuditNow(db, cert, alpha.id, { now });
    expect(launched).toMatchObject({
      structureId: alpha.id,
      status: "scheduled",
      scheduledFor: now.toISOString(),
    });
    const listed = await listAudits(db, declarantAlpha, { page: 1 });
    expect(listed.items.map((a) => a.id)).toContain(launched.id);
    expect((await listAudits(db, declarantBeta, { page: 1 })).total).toBe(0);

    const revoked = await revokeAuthorisation(db, cert, alpha.id, { now });
    expect(revoked.status).toBe("draft");
    expect(revoked.authorisation?.inForce).toBe(false);
    const audit = await exposureAuditsRepo.findAudit(db, launched.id);
    expect(audit?.status).toBe("cancelled");
    expect((await scheduleAudits(db, now)).scheduled).toBe(0);
    expect((await appError(launchAuditNow(db, cert, alpha.id, { now }))).code).toBe("CONFLICT");
  });

  it("an expired authorisation schedules nothing", async () => {
    const db = database.db;
    await savePerimeter(db, cert, gamma.id, perimeter(["gamma.fr"], []), { now: day0 });
    await submitPerimeter(db, cert, gamma.id, { now: day0 });
    await authorisePerimeter(
      db,
      cert,
      gamma.id,
      { validUntil: "2026-03-10", reference: "G-1" },
      { now: day0 },
    );
    // the first audit falls after the end of the authorisation, or the authorisation has ended
    expect((await scheduleAudits(db, new Date("2026-03-11T09:00:00Z"))).scheduled).toBe(0);
    expect(await exposureAuditsRepo.findPendingAudit(db, gamma.id)).toBeUndefined();
  });

  it("counts the year's audits by type and GHT", async () => {
    const db = database.db;
    await db
      .updateTable("structures")
      .set({ ght_code: "GHT-1" })
      .where("id", "in", [alpha.id, gamma.id])
      .execute();
    const stats = await exposureAuditStats(db, cert, 2026, new Date("2026-04-12T00:00:00Z"));
    expect(stats).toMatchObject({
      year: 2026,
      audits: 1,
      structuresAudited: 1,
      ghtCovered: 1,
      ghtOverHalf: 0,
    });
    expect(stats.byStructureType).toEqual([
      { structureType: "es_public", label: expect.stringContaining("public"), audits: 1 },
    ]);
    expect(stats.progress.validatedPerimeters).toBe(1);
    expect((await exposureAuditStats(db, cert, 2025)).audits).toBe(0);
    expect((await appError(exposureAuditStats(db, declarantAlpha, 2026))).code).toBe("FORBIDDEN");
  });
});
