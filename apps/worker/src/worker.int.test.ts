import { randomUUID } from "node:crypto";
import { loadConfig } from "@vigie/config";
import { DeclarationInput } from "@vigie/contracts";
import { declarationSettingsFrom, type OutgoingMail, queueMail, submitDeclaration } from "@vigie/core";
import { sessionsRepo, usersRepo } from "@vigie/db";
import { createBoss, defineJob } from "@vigie/jobs";
import { createStructure, createTestDatabase, createUser, type TestDatabase } from "@vigie/test-kit";
import type PgBoss from "pg-boss";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { platformTasks, startWorker, task, type WorkerContext } from "./worker.ts";

let database: TestDatabase;
let boss: PgBoss;
let context: WorkerContext;
// An in-memory SMTP stand-in: the database is real, only the wire to the mail relay is replaced.
const sent: OutgoingMail[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  boss = createBoss(database);
  // the test database is dropped with its connections at the end: a cut connection is expected
  boss.on("error", () => {});
  await boss.start();
  context = {
    database,
    config: loadConfig({ NODE_ENV: "test" }),
    logger: pino({ level: "silent" }),
    clock: () => new Date(),
    mailTransport: { send: async (mail) => void sent.push(mail) },
  };
});
afterAll(async () => {
  await boss.stop({ graceful: false, wait: true });
  await database.destroy();
});

describe(`pg-boss worker (${process.env.VIGIE_TEST_DATABASE ?? "pglite"})`, () => {
  it("runs a queued job through its typed handler", async () => {
    const echoJob = defineJob({ name: "test.echo", payload: z.object({ word: z.string() }) });
    const received: string[] = [];
    let done!: () => void;
    const handled = new Promise<void>((resolve) => {
      done = resolve;
    });
    await startWorker(boss, context, {
      work: true,
      schedule: false,
      tasks: [
        task(echoJob, async (payload) => {
          received.push(payload.word);
          done();
        }),
      ],
    });
    await boss.send("test.echo", { word: "bonjour" });
    await handled;
    expect(received).toEqual(["bonjour"]);
  });

  it("registers the schedules of the platform's tasks", async () => {
    await startWorker(boss, context, { work: false, schedule: true });
    const schedules = await boss.getSchedules();
    const scheduled = platformTasks(context).filter((t) => t.job.schedule);
    expect(scheduled.length).toBeGreaterThan(0);
    for (const t of scheduled) {
      expect(schedules).toContainEqual(expect.objectContaining({ name: t.job.name, cron: t.job.schedule }));
    }
  });

  it("the housekeeping task removes expired sessions and keeps live ones", async () => {
    const user = await createUser(database.db, "declarant");
    const now = new Date();
    for (const [id, offset] of [
      ["expired-session", -1000],
      ["live-session", 3_600_000],
    ] as const) {
      await sessionsRepo.insertSession(database.db, {
        id,
        user_id: user.id,
        csrf_token: "x",
        stage: "authenticated",
        ip: null,
        user_agent: null,
        expires_at: new Date(now.getTime() + offset),
      });
    }
    const purge = platformTasks(context).find((t) => t.job.name === "housekeeping.purge-expired");
    expect(purge).toBeDefined();
    await purge?.handle({}, context);
    expect(await sessionsRepo.findLiveSession(database.db, "live-session", now)).toBeDefined();
    const remaining = await database.db
      .selectFrom("sessions")
      .select("id")
      .where("user_id", "=", user.id)
      .execute();
    expect(remaining.map((r) => r.id)).toEqual(["live-session"]);
    expect(await usersRepo.findUserById(database.db, user.id)).toBeDefined();
  });

  it("the mail task delivers the outbox through the transport, once", async () => {
    await queueMail(database.db, { to: "rssi@chu-exemple.test", subject: "Essai", text: "Bonjour" });
    const deliver = platformTasks(context).find((t) => t.job.name === "mail.deliver");
    expect(deliver).toBeDefined();
    await deliver?.handle({}, context);
    await deliver?.handle({}, context);
    expect(sent.map((m) => [m.to, m.subject])).toEqual([["rssi@chu-exemple.test", "Essai"]]);
    const row = await database.db.selectFrom("mail_outbox").select("sent_at").executeTakeFirstOrThrow();
    expect(row.sent_at).not.toBeNull();
  });

  it("the indicators task reads the declarations received since its last run", async () => {
    const structure = await createStructure(database.db);
    const input = DeclarationInput.parse({
      idempotencyKey: randomUUID(),
      finess: [structure.finessEt],
      declarant: { fullName: "Claire Martin", email: "claire.martin@ch-essai.test", phone: "0123456789" },
      title: "Connexions vers un C2",
      description: "Le proxy journalise des requêtes vers hxxps://c2-exemple[.]top/beacon depuis 10.0.0.12.",
      detectedAt: new Date().toISOString(),
      operationalImpact: "none",
      stateAtDeclaration: "in_progress",
      supportRequested: false,
    });
    const settings = declarationSettingsFrom(context.config);
    const receipt = await submitDeclaration(database.db, input, {
      actor: null,
      mode: "portal",
      now: new Date(),
      settings,
    });
    const extract = platformTasks(context).find((t) => t.job.name === "indicators.extract");
    expect(extract?.job.schedule).toBe("* * * * *");
    await extract?.handle({}, context);
    const rows = await database.db
      .selectFrom("incident_indicators")
      .select(["kind", "value"])
      .where("incident_id", "=", receipt.id)
      .orderBy("kind")
      .orderBy("value")
      .execute();
    expect(rows).toEqual([
      { kind: "domain", value: "c2-exemple.top" },
      { kind: "ip", value: "10.0.0.12" },
      { kind: "url", value: "https://c2-exemple.top/beacon" },
    ]);
  });

  it("without SMTP the mail task is not run (the outbox is read in the app)", () => {
    expect(platformTasks({ mailTransport: null }).map((t) => t.job.name)).not.toContain("mail.deliver");
  });
});
