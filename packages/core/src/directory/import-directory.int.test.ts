import { readFileSync } from "node:fs";
import { regionsRepo, structuresRepo } from "@vigie/db";
import { createTestDatabase, createUser, type TestDatabase } from "@vigie/test-kit";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../access/policy.ts";
import { withFinessCheckDigit } from "./finess.ts";
import { importDirectory, loadReferenceDirectory, REFERENCE_DIRECTORY_FILE } from "./import-directory.ts";
import { listRegions } from "./list-regions.ts";
import { searchStructures } from "./search-structures.ts";
import { updateStructure } from "./update-structure.ts";

const HEADER =
  "nofinesset,nofinessej,rs_courte,rs_longue,telephone,departement_code,departement_nom,ville_cp," +
  "categorie_libelle,categorie_groupe_libelle,statut_juridique_lib,siret";

let database: TestDatabase;
let analyst: Actor;

beforeAll(async () => {
  database = await createTestDatabase();
  const user = await createUser(database.db, "cert_analyst");
  analyst = {
    userId: user.id,
    email: user.email,
    role: "cert_analyst",
    regionCode: null,
    authority: null,
    structureIds: [],
    via: "session",
  };
});
afterAll(async () => {
  await database?.destroy();
});

async function importAudits() {
  return database.db
    .selectFrom("audit_log")
    .select(["action", "actor_label", "details"])
    .where("action", "=", "directory.import")
    .orderBy("id")
    .execute();
}

describe("migration 0002: regions and departments", () => {
  it("loads the 18 regions with their ARS", async () => {
    const regions = await listRegions(database.db);
    expect(regions).toHaveLength(18);
    expect(regions.find((r) => r.code === "94")).toEqual({
      code: "94",
      name: "Corse",
      iso: "FR-20R",
      arsName: "ARS de Corse",
      metropolitan: true,
    });
    expect(regions.filter((r) => !r.metropolitan).map((r) => r.code)).toEqual(["01", "03", "04", "02", "06"]);
    expect(regions[0]?.metropolitan).toBe(true);
  });

  it("resolves INSEE and FINESS department codes, with no region for 9E and 9J", async () => {
    const departments = new Map(
      (await regionsRepo.listDepartments(database.db)).map((d) => [d.code, d.region_code]),
    );
    expect(departments.get("971")).toBe("01");
    expect(departments.get("9A")).toBe("01");
    expect(departments.get("9B")).toBe("02");
    expect(departments.get("9C")).toBe("03");
    expect(departments.get("9D")).toBe("04");
    expect(departments.get("9F")).toBe("06");
    expect(departments.get("976")).toBe("06");
    expect(departments.has("9E")).toBe(true);
    expect(departments.get("9E")).toBeNull();
    expect(departments.get("9J")).toBeNull();
    expect(departments.get("2A")).toBe("94");
    expect(departments.get("75")).toBe("11");
    // Every metropolitan department is mapped: 96 of them (2A/2B instead of 20).
    expect([...departments.keys()].filter((c) => /^(\d{2}|2[AB])$/.test(c))).toHaveLength(96);
  });
});

describe("importing the reference directory", () => {
  const reference = readFileSync(REFERENCE_DIRECTORY_FILE, "utf8");
  const lines = reference.trimEnd().split("\n");

  it("imports the 4 657 sites in a few seconds, with progress and an audit entry", async () => {
    const progress: Array<[number, number]> = [];
    const started = Date.now();
    const report = await loadReferenceDirectory(database.db, (done, total) => progress.push([done, total]));
    const elapsed = Date.now() - started;
    expect(report).toEqual({ read: 4657, inserted: 4657, updated: 0, unchanged: 0, rejected: [] });
    expect(await structuresRepo.countStructures(database.db)).toBe(4657);
    expect(elapsed).toBeLessThan(20_000);
    expect(progress.at(0)).toEqual([0, 4657]);
    expect(progress.at(-1)).toEqual([4657, 4657]);
    expect(progress.length).toBeGreaterThan(2);

    const apHp = await structuresRepo.findStructureByFiness(database.db, "750100125");
    expect(apHp).toMatchObject({ finess_ej: "750712184", region_code: "11", structure_type: "es_public" });
    const mayotte = await structuresRepo.findStructureByFiness(database.db, "980500011");
    expect(mayotte).toMatchObject({ region_code: "06", department_code: "976" });
    const wallis = await structuresRepo.findStructureByFiness(database.db, "980600027");
    expect(wallis).toMatchObject({ region_code: null, department_code: "986" });

    const audits = await importAudits();
    expect(audits.at(-1)).toMatchObject({
      actor_label: "système (annuaire de référence)",
      details: { format: "csv", read: 4657, inserted: 4657, updated: 0, unchanged: 0, rejected: 0 },
    });
  });

  it("changes nothing when the same file is imported again", async () => {
    const before = await database.db.selectFrom("structures").select(["finess_et", "updated_at"]).execute();
    const report = await importDirectory(database.db, Buffer.from(reference, "utf8"), {
      actor: analyst,
      now: new Date(Date.now() + 60_000),
    });
    expect(report).toEqual({ read: 4657, inserted: 0, updated: 0, unchanged: 4657, rejected: [] });
    const after = await database.db.selectFrom("structures").select(["finess_et", "updated_at"]).execute();
    expect(new Map(after.map((r) => [r.finess_et, r.updated_at.getTime()]))).toEqual(
      new Map(before.map((r) => [r.finess_et, r.updated_at.getTime()])),
    );
    expect((await importAudits()).at(-1)).toMatchObject({
      actor_label: analyst.email,
      details: { unchanged: 4657, inserted: 0 },
    });
  });

  it("updates a changed line and keeps what the CERT set by hand", async () => {
    const fleyriat = await structuresRepo.findStructureByFiness(database.db, "010000024");
    if (!fleyriat) throw new Error("CH de Fleyriat absent");
    await updateStructure(
      database.db,
      analyst,
      fleyriat.id,
      {
        mailDomains: ["CH-Bourg.fr", "ch-bourg.fr", "ght01.fr"],
        contactEmails: ["rssi@ch-bourg.fr"],
        ghtCode: "ARA-01",
        ghtSupport: true,
        ose: true,
        structureType: "es_private_nonprofit",
      },
      { now: new Date() },
    );

    const changedLine = lines.findIndex((l) => l.startsWith("010000024,"));
    const edited = [...lines];
    edited[changedLine] = (edited[changedLine] ?? "").replace("CH DE FLEYRIAT", "CH DE FLEYRIAT RENOMME");
    const newFiness = withFinessCheckDigit("01999999");
    edited.push(
      `${newFiness},,CENTRE DE TEST NOUVEAU,,,01,AIN,01000 BOURG EN BRESSE,Centre Hospitalier (C.H.),Centres Hospitaliers,Etablissement public de santé,`,
    );
    const report = await importDirectory(database.db, edited.join("\n"));
    expect(report).toEqual({ read: 4658, inserted: 1, updated: 1, unchanged: 4656, rejected: [] });

    const after = await structuresRepo.findStructureById(database.db, fleyriat.id);
    expect(after).toMatchObject({
      name: "CH DE FLEYRIAT RENOMME",
      mail_domains: ["ch-bourg.fr", "ght01.fr"],
      contact_emails: ["rssi@ch-bourg.fr"],
      ght_code: "ARA-01",
      ght_support: true,
      ose: true,
      oiv: false,
      structure_type: "es_private_nonprofit",
      structure_type_set_by_hand: true,
    });
    expect(after?.search_text).toContain("fleyriat renomme");

    // Imported again, the original file only renames the site back.
    const back = await importDirectory(database.db, reference);
    expect(back).toMatchObject({ inserted: 0, updated: 1, unchanged: 4656 });
    expect(await structuresRepo.findStructureById(database.db, fleyriat.id)).toMatchObject({
      name: "CH DE FLEYRIAT",
      mail_domains: ["ch-bourg.fr", "ght01.fr"],
      structure_type: "es_private_nonprofit",
    });
  });

  it("audits a CERT correction with before and after", async () => {
    const entry = await database.db
      .selectFrom("audit_log")
      .select(["details", "actor_label", "object_type"])
      .where("action", "=", "structure.update")
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({
      actor_label: analyst.email,
      object_type: "structure",
      details: {
        finessEt: "010000024",
        before: { mail_domains: [], ght_code: null, ose: false, structure_type: "es_public" },
        after: { mail_domains: ["ch-bourg.fr", "ght01.fr"], ght_code: "ARA-01", ose: true },
      },
    });
  });

  it("reports rejected lines and imports the rest", async () => {
    const bad = withFinessCheckDigit("01888888");
    const wrong = `${bad.slice(0, 8)}${(Number(bad[8]) + 1) % 10}`;
    const text = [
      HEADER,
      `${wrong},,CH A LA CLE FAUSSE,,,01,AIN,01000 BOURG,,,,`,
      `${bad},,CH EN REGION INCONNUE,,,00,NULLE PART,00000 NULLE PART,,,,`,
    ].join("\n");
    const report = await importDirectory(database.db, text);
    expect(report.inserted).toBe(0);
    expect(report.rejected).toEqual([
      { line: 2, finess: wrong, reason: expect.stringContaining("clé de contrôle incorrecte") },
      { line: 3, finess: bad, reason: "Département inconnu : « 00 »." },
    ]);
  });

  it("refuses a file in no known format and writes nothing", async () => {
    const audits = (await importAudits()).length;
    await expect(importDirectory(database.db, "bonjour;le;monde\n1;2;3")).rejects.toThrow(
      /Format de fichier non reconnu/,
    );
    expect(await importAudits()).toHaveLength(audits);
  });
});

describe("searching the directory", () => {
  beforeAll(async () => {
    const f = (prefix: string) => withFinessCheckDigit(prefix);
    const text = [
      HEADER,
      `${f("42777001")},,CLINIQUE DU PARC ZORGLUB,,,42,LOIRE,42000 ST ETIENNE,,,,`,
      `${f("42777002")},,ZÖRGLUB MUTUALISTE,,,42,LOIRE,42000 ST ETIENNE,,,,`,
      `${f("42777003")},,HOPITAL NORD,,,42,LOIRE,42000 ZORGLUBVILLE,,,,`,
      `${f("42777004")},,CENTRE AZORGLUB,,,42,LOIRE,42000 ST ETIENNE,,,,`,
    ].join("\n");
    const report = await importDirectory(database.db, text);
    expect(report.inserted).toBe(4);
  });

  it("ranks an exact FINESS first, then FINESS prefixes", async () => {
    const hits = await searchStructures(database.db, { q: "010000024", limit: 5 });
    expect(hits[0]).toMatchObject({ finessEt: "010000024", name: "CH DE FLEYRIAT", town: "VIRIAT" });
    const prefix = await searchStructures(database.db, { q: "01000", limit: 50 });
    const isPrefix = prefix.map((h) => h.finessEt.startsWith("01000"));
    expect(isPrefix.filter(Boolean).length).toBeGreaterThan(3);
    // Numbers merely containing the digits may follow, never precede.
    expect(isPrefix).toEqual([...isPrefix].sort((a, b) => Number(b) - Number(a)));
  });

  it("ranks names starting with the text, then name words, then names containing it, then towns", async () => {
    const hits = await searchStructures(database.db, { q: "Zörglub", limit: 10 });
    expect(hits.map((h) => h.name)).toEqual([
      "ZÖRGLUB MUTUALISTE",
      "CLINIQUE DU PARC ZORGLUB",
      "CENTRE AZORGLUB",
      "HOPITAL NORD",
    ]);
    const both = await searchStructures(database.db, { q: "zorglub clinique", limit: 10 });
    expect(both.map((h) => h.name)).toEqual(["CLINIQUE DU PARC ZORGLUB"]);
    const limited = await searchStructures(database.db, { q: "zorglub", limit: 2 });
    expect(limited.map((h) => h.name)).toEqual(["ZÖRGLUB MUTUALISTE", "CLINIQUE DU PARC ZORGLUB"]);
  });

  it("ignores case and accents, honours the limit and answers fast", async () => {
    const started = Date.now();
    const hits = await searchStructures(database.db, { q: "HÔPITAL", limit: 7 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(hits).toHaveLength(7);
    for (const hit of hits) {
      const row = await structuresRepo.findStructureById(database.db, hit.id);
      expect(row?.search_text).toContain("hopital");
    }
    expect(await searchStructures(database.db, { q: "zzzzqqq", limit: 7 })).toEqual([]);
  });

  it("returns only the public fields of the FINESS registry", async () => {
    const hits = await searchStructures(database.db, { q: "fleyriat", limit: 3 });
    expect(hits.map((h) => h.finessEt)).toContain("010000024");
    expect(Object.keys(hits[0] ?? {}).sort()).toEqual([
      "departmentCode",
      "finessEt",
      "id",
      "name",
      "structureType",
      "town",
    ]);
    const count = await sql<{ n: string }>`select count(*) as n from structures`.execute(database.db);
    expect(Number(count.rows[0]?.n)).toBeGreaterThan(4657);
  });
});
