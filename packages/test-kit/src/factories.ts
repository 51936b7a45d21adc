import { randomInt } from "node:crypto";
import type { Authority, Role, StructureType } from "@vigie/contracts";
import { hashPassword, structureSearchText, withFinessCheckDigit } from "@vigie/core";
import type { Executor, UserRow } from "@vigie/db";
import { sql } from "kysely";
import { Secret } from "otpauth";

/** A password that satisfies the policy of every role. */
export const TEST_PASSWORD = "Quatre-Chevaux-Mangent-Du-Foin-7";

/** Loads the 18 regions (the few columns the tests need) unless already there. */
export async function ensureRegions(db: Executor): Promise<void> {
  await sql`
    insert into regions (code, name, iso, ars_name, metropolitan) values
      ('11','Île-de-France','FR-IDF','ARS Île-de-France',true),
      ('84','Auvergne-Rhône-Alpes','FR-ARA','ARS Auvergne-Rhône-Alpes',true),
      ('94','Corse','FR-20R','ARS Corse',true),
      ('01','Guadeloupe','FR-971','ARS Guadeloupe',false)
    on conflict (code) do nothing`.execute(db);
}

let structureCounter = 0;

/** Inserts a structure with a valid, unique FINESS number. */
export async function createStructure(
  db: Executor,
  overrides: Partial<{
    name: string;
    regionCode: string;
    departmentCode: string;
    structureType: StructureType;
    finessEt: string;
    town: string;
    mailDomains: string[];
  }> = {},
): Promise<{ id: string; finessEt: string; regionCode: string; name: string }> {
  await ensureRegions(db);
  structureCounter++;
  const finessEt =
    overrides.finessEt ??
    withFinessCheckDigit(`${randomInt(10, 95)}${String(randomInt(0, 999999)).padStart(6, "0")}`);
  const regionCode = overrides.regionCode ?? "11";
  const name = overrides.name ?? `Centre hospitalier d'essai ${structureCounter}`;
  const row = await db
    .insertInto("structures")
    .values({
      finess_et: finessEt,
      finess_ej: null,
      name,
      long_name: null,
      structure_type: overrides.structureType ?? "es_public",
      legal_status: null,
      category: null,
      region_code: regionCode,
      department_code: overrides.departmentCode ?? "75",
      town: overrides.town ?? "PARIS",
      postal_code: null,
      phone: null,
      siret: null,
      ght_code: null,
      mail_domains: overrides.mailDomains ?? [],
      search_text: structureSearchText({ finessEt, name, longName: null, town: overrides.town ?? "PARIS" }),
    })
    .returning(["id"])
    .executeTakeFirstOrThrow();
  return { id: row.id, finessEt, regionCode, name };
}

export interface TestUser extends UserRow {
  password: string;
  /** Base32 TOTP secret when MFA is enabled. */
  totpSecret: string | null;
}

let userCounter = 0;

/**
 * Inserts an active, verified user. MFA is enabled by default for every role but declarant,
 * as the policy requires; pass `mfa: false` to get an account that must still enrol.
 */
export async function createUser(
  db: Executor,
  role: Role,
  options: Partial<{
    email: string;
    regionCode: string;
    authority: Authority;
    structureIds: string[];
    mfa: boolean;
    password: string;
    disabled: boolean;
  }> = {},
): Promise<TestUser> {
  userCounter++;
  const password = options.password ?? TEST_PASSWORD;
  const mfa = options.mfa ?? role !== "declarant";
  const totpSecret = mfa ? new Secret({ size: 20 }).base32 : null;
  if (role === "ars") await ensureRegions(db);
  const row = await db
    .insertInto("users")
    .values({
      email: options.email ?? `${role}.${userCounter}.${randomInt(1e9)}@test.vigie.localhost`,
      full_name: `Utilisateur ${role} ${userCounter}`,
      job_title: null,
      phone: null,
      role,
      region_code: role === "ars" ? (options.regionCode ?? "11") : null,
      authority: role === "authority" ? (options.authority ?? "anssi") : null,
      password_hash: await hashPassword(password),
      totp_secret: totpSecret,
      totp_enabled_at: mfa ? new Date() : null,
      email_verified_at: new Date(),
      disabled_at: options.disabled ? new Date() : null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const structureId of options.structureIds ?? []) {
    await db
      .insertInto("user_structures")
      .values({ user_id: row.id, structure_id: structureId, status: "active" })
      .execute();
  }
  return { ...row, password, totpSecret };
}
