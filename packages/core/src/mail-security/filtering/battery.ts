import { type FilteringCategory, filteringCategories } from "@vigie/contracts";
import { type BatterySpec, campaignTag, type MessageContext } from "./compose.ts";
import { encodingSpecs, multipartSpecs } from "./specs-encoding-multipart.ts";
import { archiveSpecs, attachmentSpecs, macroSpecs, malwareSpecs } from "./specs-files.ts";
import { linkSpecs } from "./specs-links.ts";
import { headerSpecs, senderSpecs } from "./specs-senders-headers.ts";

/** One message of the filtering battery. */
export interface FilteringMessage {
  /** Unique in the campaign; in the subject and the `X-Vigie-Test` header. */
  token: string;
  code: string;
  category: FilteringCategory;
  title: string;
  /** The RFC 5322 message. */
  raw: Buffer;
}

export interface FilteringBatteryInput {
  campaignId: string;
  /** The mailbox. */
  to: string;
  /** The platform's domain (of MAIL_FROM). */
  senderDomain: string;
  /** The mailbox's domain. */
  targetDomain: string;
  now?: Date;
}

/** Every control point of the battery, in sending order. */
export const BATTERY_SPECS: readonly BatterySpec[] = [
  ...senderSpecs,
  ...headerSpecs,
  ...encodingSpecs,
  ...multipartSpecs,
  ...attachmentSpecs,
  ...archiveSpecs,
  ...malwareSpecs,
  ...macroSpecs,
  ...linkSpecs,
];

/** The token of the n-th message (1-based) of a campaign: `VIGIE-<8 hex>-<3 digits>`. */
export function batteryToken(campaignId: string, n: number): string {
  return `VIGIE-${campaignTag(campaignId)}-${String(n).padStart(3, "0")}`;
}

/**
 * Builds the filtering battery (decision 0012): more than a hundred messages a mail filter should
 * stop or tag — spoofed and look-alike senders, malformed headers, encodings, nested multipart,
 * dangerous attachments and archives, EICAR, macro documents, suspicious links — all inert. Each
 * is a complete RFC 5322 message carrying its token in the subject and `X-Vigie-Test`.
 */
export async function buildFilteringBattery(input: FilteringBatteryInput): Promise<FilteringMessage[]> {
  const now = input.now ?? new Date();
  const date = now.toUTCString().replace("GMT", "+0000");
  const targetDomain = input.targetDomain.toLowerCase();
  const out: FilteringMessage[] = [];
  let n = 0;
  for (const spec of BATTERY_SPECS) {
    n += 1;
    const token = batteryToken(input.campaignId, n);
    const c: MessageContext = {
      token,
      subject: `[Test Vigie ${token}] ${spec.title}`,
      to: input.to,
      from: `Vigie - test de filtrage <filtrage@${input.senderDomain}>`,
      senderDomain: input.senderDomain,
      targetDomain,
      date,
      messageId: `<${token.toLowerCase()}@${input.senderDomain}>`,
    };
    out.push({
      token,
      code: spec.code,
      category: spec.category,
      title: spec.title,
      raw: await spec.build(c),
    });
  }
  return out;
}

/** The categories in the contract's order with their counts. */
export function countByCategory(
  messages: readonly { category: FilteringCategory }[],
): Map<FilteringCategory, number> {
  const counts = new Map<FilteringCategory, number>(filteringCategories.map((c) => [c, 0]));
  for (const m of messages) counts.set(m.category, (counts.get(m.category) ?? 0) + 1);
  return counts;
}
