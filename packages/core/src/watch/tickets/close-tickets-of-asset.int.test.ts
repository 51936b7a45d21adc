import { createStructure, createTestDatabase, type TestDatabase } from "@vigie/test-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeTicketsOfAsset } from "./close-tickets-of-asset.ts";
import { recordFindings } from "./record-findings.ts";

let database: TestDatabase;
let structureId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  structureId = (await createStructure(database.db)).id;
});
afterAll(async () => {
  await database?.destroy();
});

describe("closeTicketsOfAsset", () => {
  it("fixes the open tickets of the asset, via system with the note, and leaves the others", async () => {
    const now = new Date("2026-03-02T08:00:00Z");
    const asset = await database.db
      .insertInto("assets")
      .values({
        structure_id: structureId,
        kind: "service",
        host: "192.0.2.5",
        port: 3389,
        service: "rdp",
        source: "manual",
        created_at: now,
        updated_at: now,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const base = {
      structureId,
      confidence: "confirmed" as const,
      urgency: "normal" as const,
      details: { title: "RDP exposé", action: "Fermer le port" },
    };
    await recordFindings(
      database.db,
      [
        {
          ...base,
          assetId: asset.id,
          kind: "sensitive_service",
          findingKey: `service:${asset.id}`,
          cveId: null,
        },
        { ...base, assetId: null, kind: "leaked_credential", findingKey: "leak:a@b.test", cveId: null },
      ],
      now,
    );
    expect(await closeTicketsOfAsset(database.db, asset.id, now, "Actif supprimé par la structure")).toBe(1);
    const rows = await database.db.selectFrom("watch_tickets").select(["id", "kind", "status"]).execute();
    expect(rows.find((r) => r.kind === "sensitive_service")?.status).toBe("fixed");
    expect(rows.find((r) => r.kind === "leaked_credential")?.status).toBe("new");
    const history = await database.db
      .selectFrom("watch_ticket_history")
      .select(["to_status", "via", "note"])
      .where("ticket_id", "=", rows.find((r) => r.kind === "sensitive_service")?.id ?? "")
      .where("to_status", "=", "fixed")
      .execute();
    expect(history).toEqual([{ to_status: "fixed", via: "system", note: "Actif supprimé par la structure" }]);
    // Nothing left open: a second call changes nothing.
    expect(await closeTicketsOfAsset(database.db, asset.id, now, "encore")).toBe(0);
  });
});
