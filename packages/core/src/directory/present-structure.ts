import type { StructureHit, StructureType, StructureView } from "@vigie/contracts";
import type { StructureWithRegionRow } from "@vigie/db";
import type { z } from "zod";

/** A structure's full record, as the API shows it. */
export type StructureViewData = z.infer<typeof StructureView>;
/** An autocomplete hit: public directory fields only. */
export type StructureHitData = z.infer<typeof StructureHit>;

/** The API view of a structure row. */
export function toStructureView(row: StructureWithRegionRow): StructureViewData {
  return {
    id: row.id,
    finessEt: row.finess_et,
    finessEj: row.finess_ej,
    name: row.name,
    longName: row.long_name,
    structureType: row.structure_type as StructureType,
    legalStatus: row.legal_status,
    category: row.category,
    regionCode: row.region_code,
    regionName: row.region_name,
    departmentCode: row.department_code,
    town: row.town,
    postalCode: row.postal_code,
    phone: row.phone,
    siret: row.siret,
    ghtCode: row.ght_code,
    ghtSupport: row.ght_support,
    ose: row.ose,
    oiv: row.oiv,
    contactEmails: row.contact_emails,
    mailDomains: row.mail_domains,
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
