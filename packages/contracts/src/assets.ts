import { z } from "zod";
import { AssetKindSchema, assetSources } from "./watch.ts";

/**
 * The inventory of a structure's exposed assets (decision 0011, « Assets »): the request and
 * response schemas. The shape is checked here; what needs the server (IDN to punycode, address
 * ranges, CPE, ownership) is checked by `core/watch/assets`, with French messages naming the field.
 */

const text = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `${label} compte ${max} caractères au plus.` })
    .optional()
    .transform((v) => (v ? v : undefined));

/** A structure named by its id or its FINESS ET number. */
export const StructureRef = z
  .string()
  .trim()
  .min(1, { error: "Choisissez une structure." })
  .max(64, { error: "Structure inconnue." });

/** What is typed for one asset; the fields used depend on `kind`. */
export const AssetInput = z.object({
  kind: AssetKindSchema,
  /** domain: the name; ip and cidr: the address or the range (`192.0.2.0/24`). */
  value: text("La valeur", 300),
  vendor: text("L'éditeur", 120),
  product: text("Le produit", 200),
  version: text("La version", 80),
  cpe: text("Le CPE", 500),
  /** product and service: the IP address or host name where it is exposed. */
  host: text("L'hôte", 253),
  port: z
    .union([z.number(), z.string().trim()])
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return undefined;
      const n = typeof v === "number" ? v : /^\d+$/.test(v) ? Number(v) : Number.NaN;
      if (!Number.isInteger(n) || n < 1 || n > 65_535) {
        ctx.addIssue({ code: "custom", message: "Le port est un nombre entier de 1 à 65535." });
        return z.NEVER;
      }
      return n;
    }),
  transport: z
    .enum(["tcp", "udp"], { error: "Le protocole est « tcp » ou « udp »." })
    .optional()
    .or(z.literal("").transform(() => undefined)),
  /** service: a key of `sensitiveServices` (rdp, dicom…) or free text. */
  service: text("Le service", 60),
  label: text("Le libellé", 200),
});
export type AssetInput = z.input<typeof AssetInput>;

/** POST /api/assets */
export const CreateAssetRequest = AssetInput.extend({ structure: StructureRef });

/** PUT /api/assets/:id: the asset as it should be (same structure). */
export const UpdateAssetRequest = AssetInput;

/** GET /api/assets */
export const AssetListQuery = z.object({
  /** Id or FINESS ET; a declarant sees only its structures, the CERT every one. */
  structure: StructureRef.optional(),
  kind: AssetKindSchema.optional(),
  q: z.string().trim().max(200, { error: "200 caractères au maximum." }).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

/** One asset of the inventory. */
export const AssetView = z.object({
  id: z.uuid(),
  structureId: z.uuid(),
  structureName: z.string(),
  structureFiness: z.string(),
  kind: AssetKindSchema,
  /** domain: the name (punycode); ip: the address; cidr: the range. */
  value: z.string().nullable(),
  vendor: z.string().nullable(),
  product: z.string().nullable(),
  version: z.string().nullable(),
  cpe: z.string().nullable(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  transport: z.enum(["tcp", "udp"]).nullable(),
  service: z.string().nullable(),
  /** CPE vendor and product used by the matching (null when there is no product). */
  matchVendor: z.string().nullable(),
  matchProduct: z.string().nullable(),
  label: z.string().nullable(),
  source: z.enum(assetSources),
  /** Watch tickets on this asset still asking something of the structure. */
  openTickets: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AssetView = z.infer<typeof AssetView>;

export const AssetListResponse = z.object({
  items: z.array(AssetView),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** Columns of the CSV import, in order (the header line of the template). */
export const assetCsvColumns = [
  "type",
  "valeur",
  "editeur",
  "produit",
  "version",
  "cpe",
  "hote",
  "port",
  "protocole",
  "service",
  "libelle",
] as const;
export type AssetCsvColumn = (typeof assetCsvColumns)[number];

/** The downloadable template: the header and one example line per kind (documentation addresses). */
export const assetCsvTemplate = `${[
  assetCsvColumns.join(";"),
  "domaine;ch-exemple.fr;;;;;;;;;Site institutionnel",
  "ip;203.0.113.10;;;;;;;;;Passerelle VPN",
  "plage;198.51.100.0/24;;;;;;;;;Plage publique du GHT",
  "produit;;Citrix;NetScaler ADC;13.1-49.15;;203.0.113.10;443;tcp;;Accès distant",
  "service;;;;;;203.0.113.20;3389;tcp;rdp;Serveur de rebond",
].join("\r\n")}\r\n`;

/** Values of the `type` column: French words, and the API's kinds. */
export const assetCsvKinds: Record<string, z.infer<typeof AssetKindSchema>> = {
  domaine: "domain",
  domain: "domain",
  ip: "ip",
  adresse: "ip",
  plage: "cidr",
  cidr: "cidr",
  produit: "product",
  product: "product",
  service: "service",
};

/** POST /api/assets/import: the CSV file's text, for one structure. */
export const ImportAssetsRequest = z.object({
  structure: StructureRef,
  content: z
    .string()
    .min(1, { error: "Le fichier est vide." })
    .max(2_000_000, { error: "Le fichier dépasse 2 Mo." }),
});

/** One problem of a CSV import. */
export const AssetImportProblem = z.object({
  line: z.number().int(),
  /** The column named in the header (`valeur`, `port`…), or null for the whole line. */
  column: z.string().nullable(),
  message: z.string(),
});
export type AssetImportProblem = z.infer<typeof AssetImportProblem>;

/** What an import did: nothing at all when `rejected` > 0. */
export const AssetImportReport = z.object({
  lines: z.number().int(),
  added: z.number().int(),
  unchanged: z.number().int(),
  rejected: z.number().int(),
  problems: z.array(AssetImportProblem),
  /** More problems were found than listed. */
  truncated: z.boolean(),
});
export type AssetImportReport = z.infer<typeof AssetImportReport>;
