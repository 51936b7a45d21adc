import type { IncidentRow, StructureRow } from "@vigie/db";

/** A structure named by a declaration, as it was registered at declaration time. */
export interface NamedStructure {
  id: string;
  finessEt: string;
  name: string;
  town: string | null;
}

/**
 * `incidents.structure_snapshot`: the first structure as registered at declaration time (the
 * statistics read these, not today's row), and every structure the declaration named.
 */
export interface StructureSnapshot extends NamedStructure {
  structureType: string;
  regionCode: string | null;
  departmentCode: string | null;
  ose: boolean;
  oiv: boolean;
  ghtCode: string | null;
  ghtSupport: boolean;
  structures: NamedStructure[];
}

/** Takes the snapshot of the declared structures, the first one being the structure concerned. */
export function takeSnapshot(structures: readonly StructureRow[]): StructureSnapshot {
  const [first] = structures;
  if (!first) throw new Error("Une déclaration nomme au moins une structure.");
  const named = (s: StructureRow): NamedStructure => ({
    id: s.id,
    finessEt: s.finess_et,
    name: s.name,
    town: s.town,
  });
  return {
    ...named(first),
    structureType: first.structure_type,
    regionCode: first.region_code,
    departmentCode: first.department_code,
    ose: first.ose,
    oiv: first.oiv,
    ghtCode: first.ght_code,
    ghtSupport: first.ght_support,
    structures: structures.map(named),
  };
}

/** Reads an incident's snapshot (stored as jsonb; both drivers return it parsed). */
export function snapshotOf(incident: Pick<IncidentRow, "structure_snapshot">): StructureSnapshot {
  const raw = incident.structure_snapshot;
  return (typeof raw === "string" ? JSON.parse(raw) : raw) as unknown as StructureSnapshot;
}
