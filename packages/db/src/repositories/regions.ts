import type { Selectable } from "kysely";
import type { Executor } from "../executor.ts";
import type { DepartmentsTable, RegionsTable } from "../schema.ts";

export type RegionRow = Selectable<RegionsTable>;
export type DepartmentRow = Selectable<DepartmentsTable>;

/** Every region, by code. */
export function listRegions(db: Executor): Promise<RegionRow[]> {
  return db.selectFrom("regions").selectAll().orderBy("code").execute();
}

/** A region by its INSEE code, or undefined. */
export function findRegion(db: Executor, code: string): Promise<RegionRow | undefined> {
  return db.selectFrom("regions").selectAll().where("code", "=", code).executeTakeFirst();
}

/** Every department (INSEE and FINESS codes) with its region, by code. */
export function listDepartments(db: Executor): Promise<DepartmentRow[]> {
  return db.selectFrom("departments").selectAll().orderBy("code").execute();
}
