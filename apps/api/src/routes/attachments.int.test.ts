import { createHash, randomUUID } from "node:crypto";
import type { AttachmentUploadResult } from "@vigie/contracts";
import {
  type Actor,
  attachToMessage,
  claimPendingAttachments,
  purgeStalePendingAttachments,
} from "@vigie/core";
import type { Executor } from "@vigie/db";
import {
  createStructure,
  createTestApp,
  createUser,
  multipartBody,
  type SessionHeaders,
  sampleFiles,
  signIn,
  type TestUser,
} from "@vigie/test-kit";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";

const t = await createTestApp();
const db = t.database.db;
const MB = 1024 * 1024;

type UploadResult = z.infer<typeof AttachmentUploadResult>;
type Structure = Awaited<ReturnType<typeof createStructure>>;

let structure: Structure;
let otherStructure: Structure;
const users = {} as Record<"declarant" | "stranger" | "cert" | "ars" | "arsElsewhere" | "admin", TestUser>;
const headers = {} as Record<keyof typeof users, SessionHeaders>;

beforeAll(async () => {
  structure = await createStructure(db, { regionCode: "11" });
  otherStructure = await createStructure(db, { regionCode: "84" });
  users.declarant = await createUser(db, "declarant", { structureIds: [structure.id] });
  users.stranger = await createUser(db, "declarant", { structureIds: [otherStructure.id] });
  users.cert = await createUser(db, "cert_analyst");
  users.ars = await createUser(db, "ars", { regionCode: "11" });
  users.arsElsewhere = await createUser(db, "ars", { regionCode: "84" });
  users.admin = await createUser(db, "admin");
  for (const key of Object.keys(users) as (keyof typeof users)[]) headers[key] = await signIn(t, users[key]);
});
afterAll(async () => {
  await t.close();
});

/** A declaration row as the declarations use case would store it (only what these tests read). */
async function insertIncident(
  executor: Executor,
  of: Structure,
  declarantUserId: string | null,
): Promise<string> {
  const now = t.clock.now;
  const row = await executor
    .insertInto("incidents")
    .values({
      reference: `CS-TEST-${randomUUID().slice(0, 8)}`,
      idempotency_key: randomUUID(),
      request_hash: "test",
      channel: "portal",
      structure_id: of.id,
      structure_snapshot: JSON.stringify({
        id: of.id,
        finessEt: of.finessEt,
        name: of.name,
        regionCode: of.regionCode,
      }),
      declarant_user_id: declarantUserId,
      recorded_by_user_id: null,
      standing: declarantUserId ? "verified" : "anonymous",
      declarant_contact: JSON.stringify({}),
      title: "Chiffrement des serveurs",
      description: "Rançongiciel",
      detected_at: now,
      declared_at: now,
      state_at_declaration: "in_progress",
      support_requested: true,
      operational_impact: "degraded_care",
      out_of_hours: false,
      created_at: now,
      updated_at: now,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  await executor
    .insertInto("incident_structures")
    .values({ incident_id: row.id, structure_id: of.id, position: 0 })
    .execute();
  return row.id;
}

function upload(
  pendingKey: string,
  files: { fileName: string; data: Buffer }[],
  session: SessionHeaders = {},
) {
  const body = multipartBody(files);
  return t.app.inject({
    method: "POST",
    url: `/api/attachments?pendingKey=${pendingKey}`,
    headers: { ...session, ...body.headers },
    payload: body.payload,
  });
}

function download(id: string, session: SessionHeaders = {}) {
  return t.app.inject({ method: "GET", url: `/api/attachments/${id}`, headers: session });
}

async function auditActions(objectId: string): Promise<string[]> {
  const rows = await db
    .selectFrom("audit_log")
    .select("action")
    .where("object_id", "=", objectId)
    .orderBy("id")
    .execute();
  return rows.map((r) => r.action);
}

describe("attachments: upload, encryption at rest, claim and download", () => {
  const marker = `MARQUEUR-EN-CLAIR-${randomUUID()}`;
  const pdf = sampleFiles.pdf(marker);
  const log = sampleFiles.text(marker);
  let items: UploadResult["items"];
  let incidentId: string;

  it("accepts an anonymous upload, stores it encrypted, and lists it", async () => {
    const key = randomUUID();
    const response = await upload(key, [
      { fileName: "rapport.pdf", data: pdf },
      { fileName: "journal.log", data: log },
    ]);
    expect(response.statusCode).toBe(201);
    const body = response.json() as UploadResult;
    expect(body.rejected).toEqual([]);
    items = body.items;
    expect(items.map((i) => [i.fileName, i.contentType, i.size])).toEqual([
      ["rapport.pdf", "application/pdf", pdf.length],
      ["journal.log", "text/plain; charset=utf-8", log.length],
    ]);
    expect(items[0]?.sha256).toBe(createHash("sha256").update(pdf).digest("hex"));
    expect(items[0]?.downloadUrl).toBe(`/api/attachments/${items[0]?.id}`);

    // The database holds no plaintext: bytea comes back as bytes on both drivers, without the marker.
    const blobs = await db
      .selectFrom("attachment_blobs as b")
      .innerJoin("attachments as a", "a.blob_id", "b.id")
      .select(["b.key_id", "b.iv", "b.auth_tag", "b.ciphertext", "a.pending_key"])
      .where("a.pending_key", "=", key)
      .execute();
    expect(blobs).toHaveLength(2);
    for (const blob of blobs) {
      expect(blob.ciphertext).toBeInstanceOf(Uint8Array);
      expect(blob.iv).toHaveLength(12);
      expect(blob.auth_tag).toHaveLength(16);
      expect(blob.key_id).toMatch(/^[0-9a-f]{8}$/);
      expect(Buffer.from(blob.ciphertext).includes(Buffer.from(marker))).toBe(false);
    }
    const [{ found }] = (
      await sql<{ found: boolean }>`select exists(
        select 1 from attachment_blobs where position(${Buffer.from(marker)}::bytea in ciphertext) > 0
      ) as found`.execute(db)
    ).rows as [{ found: boolean }];
    expect(found).toBe(false);

    // Still pending: nobody can download it yet, not even the CERT.
    expect((await download(items[0]?.id as string, headers.cert)).statusCode).toBe(404);

    incidentId = await db.transaction().execute(async (trx) => {
      const id = await insertIncident(trx, structure, users.declarant.id);
      const claimed = await claimPendingAttachments(trx, key, id);
      expect(claimed.map((c) => c.id).sort()).toEqual(items.map((i) => i.id).sort());
      return id;
    });
    const rows = await db
      .selectFrom("attachments")
      .selectAll()
      .where("incident_id", "=", incidentId)
      .execute();
    expect(rows.every((r) => r.pending_key === null)).toBe(true);
    expect(rows).toHaveLength(2);
  });

  it("serves the identical bytes to the CERT, as a download that is never sniffed nor cached", async () => {
    const id = items[0]?.id as string;
    const response = await download(id, headers.cert);
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(pdf)).toBe(true);
    expect(createHash("sha256").update(response.rawPayload).digest("hex")).toBe(items[0]?.sha256);
    expect(response.headers["content-type"]).toBe("application/pdf");
    expect(response.headers["content-disposition"]).toBe(
      `attachment; filename="rapport.pdf"; filename*=UTF-8''rapport.pdf`,
    );
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["cache-control"]).toBe("private, no-store");
    expect(await auditActions(id)).toContain("attachment.downloaded");
  });

  it("lets the declarant and the ARS of the region download; others get 404 and are audited", async () => {
    const id = items[1]?.id as string;
    for (const who of ["declarant", "ars"] as const) {
      const response = await download(id, headers[who]);
      expect(response.statusCode, who).toBe(200);
      expect(response.rawPayload.equals(log), who).toBe(true);
    }
    for (const who of ["stranger", "arsElsewhere", "admin"] as const) {
      const response = await download(id, headers[who]);
      expect(response.statusCode, who).toBe(404);
      expect(response.json().error.code).toBe("NOT_FOUND");
    }
    const denied = await db
      .selectFrom("audit_log")
      .select(["actor_user_id", "outcome"])
      .where("object_id", "=", id)
      .where("action", "=", "permission.denied")
      .execute();
    expect(denied.map((d) => d.actor_user_id).sort()).toEqual(
      [users.stranger.id, users.arsElsewhere.id, users.admin.id].sort(),
    );
    expect(denied.every((d) => d.outcome === "denied")).toBe(true);
    expect((await download(id)).statusCode).toBe(401);
    expect((await download(randomUUID(), headers.cert)).statusCode).toBe(404);
  });

  it("a member of another structure named by the incident may download too", async () => {
    await db
      .insertInto("incident_structures")
      .values({ incident_id: incidentId, structure_id: otherStructure.id, position: 1 })
      .execute();
    expect((await download(items[0]?.id as string, headers.stranger)).statusCode).toBe(200);
    await db
      .deleteFrom("incident_structures")
      .where("incident_id", "=", incidentId)
      .where("structure_id", "=", otherStructure.id)
      .execute();
  });

  it("refuses tampered ciphertext and unknown key ids with a 500, never the bytes", async () => {
    const id = items[0]?.id as string;
    const { blob_id } = await db
      .selectFrom("attachments")
      .select("blob_id")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    const original = await db
      .selectFrom("attachment_blobs")
      .selectAll()
      .where("id", "=", blob_id)
      .executeTakeFirstOrThrow();

    const tampered = Buffer.from(original.ciphertext);
    tampered[5] = (tampered[5] as number) ^ 0xff;
    await db
      .updateTable("attachment_blobs")
      .set({ ciphertext: tampered })
      .where("id", "=", blob_id)
      .execute();
    let response = await download(id, headers.cert);
    expect(response.statusCode).toBe(500);
    expect(response.json().error.code).toBe("INTERNAL");
    expect(response.body).not.toContain(marker);

    await db
      .updateTable("attachment_blobs")
      .set({ ciphertext: original.ciphertext, key_id: "00000000" })
      .where("id", "=", blob_id)
      .execute();
    response = await download(id, headers.cert);
    expect(response.statusCode).toBe(500);
    expect(await auditActions(id)).toContain("attachment.integrity_failed");

    await db
      .updateTable("attachment_blobs")
      .set({ key_id: original.key_id })
      .where("id", "=", blob_id)
      .execute();
    expect((await download(id, headers.cert)).statusCode).toBe(200);
  });
});

describe("attachments: content checks, names and limits", () => {
  it("refuses a .pdf holding a ZIP or an executable, and keeps the other files of the request", async () => {
    const response = await upload(randomUUID(), [
      { fileName: "facture.pdf", data: sampleFiles.zip() },
      { fileName: "devis.pdf", data: sampleFiles.exe() },
      { fileName: "capture.png", data: sampleFiles.png() },
      { fileName: "virus.exe", data: sampleFiles.exe() },
    ]);
    expect(response.statusCode).toBe(201);
    const body = response.json() as UploadResult;
    expect(body.items.map((i) => [i.fileName, i.contentType])).toEqual([["capture.png", "image/png"]]);
    expect(body.rejected.map((r) => [r.field, r.fileName, r.code])).toEqual([
      ["files[0]", "facture.pdf", "FILE_TYPE_REFUSED"],
      ["files[1]", "devis.pdf", "FILE_TYPE_REFUSED"],
      ["files[3]", "virus.exe", "FILE_TYPE_REFUSED"],
    ]);
    expect(body.rejected[0]?.reason).toBe(
      "« facture.pdf » : le contenu (ZIP) ne correspond pas à l'extension .pdf.",
    );
    expect(body.rejected[1]?.reason).toMatch(/« devis\.pdf » : les programmes exécutables sont refusés/);
  });

  it("answers an error naming the file when nothing was accepted", async () => {
    const response = await upload(randomUUID(), [{ fileName: "rançon.pdf", data: sampleFiles.exe() }]);
    expect(response.statusCode).toBe(415);
    const { error } = response.json();
    expect(error.code).toBe("FILE_TYPE_REFUSED");
    expect(error.fields).toEqual([{ field: "files[0]", message: expect.stringContaining("« rançon.pdf »") }]);
  });

  it("sanitises names: no path, no control characters, the extension kept", async () => {
    const response = await upload(randomUUID(), [
      { fileName: "../../etc/passwd.txt", data: sampleFiles.text() },
      { fileName: "jour\u0007nal\u202e.log", data: sampleFiles.text() },
      { fileName: "proce\u0300s-verbal.eml", data: sampleFiles.eml() },
    ]);
    expect(response.statusCode).toBe(201);
    expect((response.json() as UploadResult).items.map((i) => i.fileName)).toEqual([
      "passwd.txt",
      "journal.log",
      "procès-verbal.eml",
    ]);
  });

  it("refuses a file over 20 MB and keeps counting per key: 10 files, then 50 MB in all", {
    timeout: 120_000,
  }, async () => {
    const big = await upload(randomUUID(), [{ fileName: "gros.log", data: Buffer.alloc(20 * MB + 1, 0x61) }]);
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe("FILE_TOO_LARGE");
    expect(big.json().error.message).toContain("20 Mo");

    const key = randomUUID();
    const ten = Array.from({ length: 10 }, (_, i) => ({
      fileName: `f${i}.txt`,
      data: Buffer.from(`ligne ${i}\n`),
    }));
    expect((await upload(key, ten)).statusCode).toBe(201);
    const eleventh = await upload(key, [{ fileName: "f10.txt", data: Buffer.from("encore\n") }]);
    expect(eleventh.statusCode).toBe(409);
    expect(eleventh.json().error.code).toBe("ATTACHMENT_LIMIT_REACHED");
    expect(eleventh.json().error.message).toContain("10 fichiers au maximum");

    const heavy = randomUUID();
    const chunk = (n: number) => ({ fileName: `part${n}.log`, data: Buffer.alloc(20 * MB, 0x61 + n) });
    const two = await upload(heavy, [chunk(0), chunk(1)]);
    expect(two.statusCode).toBe(201);
    const third = await upload(heavy, [
      { fileName: "reste.log", data: Buffer.alloc(10 * MB + 1, 0x62) },
      { fileName: "petit.log", data: Buffer.alloc(MB, 0x63) },
    ]);
    expect(third.statusCode).toBe(201);
    const body = third.json() as UploadResult;
    expect(body.items.map((i) => i.fileName)).toEqual(["petit.log"]);
    expect(body.rejected).toEqual([
      expect.objectContaining({
        field: "files[0]",
        code: "ATTACHMENT_LIMIT_REACHED",
        reason: expect.stringContaining("50 Mo"),
      }),
    ]);
  });

  it("names the missing pieces of a bad request", async () => {
    const noKey = await t.app.inject({ method: "POST", url: "/api/attachments", ...multipartBody([]) });
    expect(noKey.statusCode).toBe(400);
    expect(noKey.json().error.fields[0].field).toBe("pendingKey");
    const noFile = await upload(randomUUID(), []);
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().error.fields).toEqual([{ field: "file", message: "Aucun fichier reçu." }]);
    const json = await t.app.inject({
      method: "POST",
      url: `/api/attachments?pendingKey=${randomUUID()}`,
      payload: {},
    });
    expect(json.statusCode).toBe(400);
    expect(json.json().error.fields[0].field).toBe("file");
  });
});

describe("attachments: documentation", () => {
  it("documents the three routes in the OpenAPI description", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/docs/json" });
    expect(response.statusCode).toBe(200);
    const paths = response.json().paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths["/api/attachments"] ?? {})).toEqual(["post"]);
    expect(Object.keys(paths["/api/attachments/{id}"] ?? {}).sort()).toEqual(["delete", "get"]);
  });
});

describe("attachments: pending removal, messages and purge", () => {
  it("removes a pending upload only with its key, and never once attached", async () => {
    const key = randomUUID();
    const [item] = (await upload(key, [{ fileName: "a.txt", data: sampleFiles.text() }])).json().items;
    const remove = (pendingKey: string) =>
      t.app.inject({ method: "DELETE", url: `/api/attachments/${item.id}?pendingKey=${pendingKey}` });
    expect((await remove(randomUUID())).statusCode).toBe(404);
    expect((await remove(key)).statusCode).toBe(204);
    expect((await remove(key)).statusCode).toBe(404);
    expect(await db.selectFrom("attachments").select("id").where("id", "=", item.id).execute()).toEqual([]);

    const claimedKey = randomUUID();
    const [claimed] = (await upload(claimedKey, [{ fileName: "b.txt", data: sampleFiles.text() }])).json()
      .items;
    await db.transaction().execute(async (trx) => {
      await claimPendingAttachments(trx, claimedKey, await insertIncident(trx, structure, null));
    });
    const late = await t.app.inject({
      method: "DELETE",
      url: `/api/attachments/${claimed.id}?pendingKey=${claimedKey}`,
    });
    expect(late.statusCode).toBe(404);
  });

  it("joins uploads to a message once, and only those of the same person", async () => {
    const incident = await insertIncident(db, structure, users.declarant.id);
    const message = await db
      .insertInto("incident_messages")
      .values({
        incident_id: incident,
        author_user_id: users.declarant.id,
        author_kind: "declarant",
        author_name: "Déclarant",
        kind: "answer",
        body: "Voici le journal",
        created_at: t.clock.now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const draftKey = randomUUID();
    const mine = (
      await upload(draftKey, [{ fileName: "journal.log", data: sampleFiles.text() }], headers.declarant)
    ).json().items[0];
    const theirs = (
      await upload(randomUUID(), [{ fileName: "autre.log", data: sampleFiles.text() }], headers.stranger)
    ).json().items[0];
    const actor: Actor = {
      userId: users.declarant.id,
      email: users.declarant.email,
      role: "declarant",
      regionCode: null,
      authority: null,
      structureIds: [structure.id],
      via: "session",
    };

    await expect(
      db
        .transaction()
        .execute((trx) => attachToMessage(trx, [mine.id, theirs.id], incident, message.id, actor)),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED", fields: [{ field: "attachmentIds[1]" }] });

    const joined = await db
      .transaction()
      .execute((trx) => attachToMessage(trx, [mine.id], incident, message.id, actor));
    expect(joined.map((j) => j.fileName)).toEqual(["journal.log"]);
    const row = await db
      .selectFrom("attachments")
      .selectAll()
      .where("id", "=", mine.id)
      .executeTakeFirstOrThrow();
    expect([row.incident_id, row.message_id, row.pending_key]).toEqual([incident, message.id, null]);
    expect((await download(mine.id, headers.declarant)).statusCode).toBe(200);

    await expect(
      db.transaction().execute((trx) => attachToMessage(trx, [mine.id], incident, message.id, actor)),
    ).rejects.toMatchObject({ code: "VALIDATION_FAILED", fields: [{ field: "attachmentIds[0]" }] });
  });

  it("purges uploads left pending for more than 48 hours, blobs included", async () => {
    const key = randomUUID();
    const [item] = (await upload(key, [{ fileName: "oublié.txt", data: sampleFiles.text() }])).json().items;
    const { blob_id } = await db
      .selectFrom("attachments")
      .select("blob_id")
      .where("id", "=", item.id)
      .executeTakeFirstOrThrow();
    expect(await purgeStalePendingAttachments(db, new Date(t.clock.now.getTime() + 47 * 3600_000))).toBe(0);
    expect(
      await purgeStalePendingAttachments(db, new Date(t.clock.now.getTime() + 49 * 3600_000)),
    ).toBeGreaterThanOrEqual(1);
    expect(await db.selectFrom("attachments").select("id").where("id", "=", item.id).execute()).toEqual([]);
    expect(await db.selectFrom("attachment_blobs").select("id").where("id", "=", blob_id).execute()).toEqual(
      [],
    );
    // Claimed attachments stay.
    expect(
      await db.selectFrom("attachments").select("id").where("incident_id", "is not", null).execute(),
    ).not.toEqual([]);
  });
});
