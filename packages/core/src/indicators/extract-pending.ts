import { type Executor, indicatorsRepo, type NewIndicatorRow } from "@vigie/db";
import { extractIndicators } from "./extract.ts";

/** What one extraction run did. */
export interface ExtractionReport {
  incidents: number;
  messages: number;
  indicators: number;
}

/**
 * Reads the indicators of compromise of the declarations and messages not read yet (title and
 * description, message bodies), records the new ones and marks each text as read, one
 * transaction per text. Off the submission path: the `indicators.extract` job runs it. Existing
 * indicators, dismissed ones included, are left as they are. Attachments are not read yet.
 */
export async function extractPendingIndicators(
  db: Executor,
  now: Date,
  options: { batch: number } = { batch: 100 },
): Promise<ExtractionReport> {
  const report: ExtractionReport = { incidents: 0, messages: 0, indicators: 0 };
  const incidents = await indicatorsRepo.listPendingIncidents(db, options.batch);
  for (const incident of incidents) {
    const rows: NewIndicatorRow[] = extractIndicators(`${incident.title}\n${incident.description}`).map(
      (i) => ({
        incident_id: incident.id,
        kind: i.kind,
        value: i.value,
        source: "description",
        source_id: null,
        first_seen_at: incident.declared_at,
      }),
    );
    report.indicators += await db.transaction().execute(async (trx) => {
      const added = await indicatorsRepo.insertIndicatorsIfAbsent(trx, rows);
      await indicatorsRepo.markIncidentExtracted(trx, incident.id, now);
      return added;
    });
    report.incidents += 1;
  }
  const messages = await indicatorsRepo.listPendingMessages(db, options.batch);
  for (const message of messages) {
    const rows: NewIndicatorRow[] = extractIndicators(message.body).map((i) => ({
      incident_id: message.incident_id,
      kind: i.kind,
      value: i.value,
      source: "message",
      source_id: message.id,
      first_seen_at: message.created_at,
    }));
    report.indicators += await db.transaction().execute(async (trx) => {
      const added = await indicatorsRepo.insertIndicatorsIfAbsent(trx, rows);
      await indicatorsRepo.markMessageExtracted(trx, message.id, now);
      return added;
    });
    report.messages += 1;
  }
  return report;
}
