import type { AttachmentView } from "@vigie/contracts";
import type { AttachmentRow } from "@vigie/db";
import type { z } from "zod";

/** How an attachment is listed; `downloadUrl` defaults to the signed-in download route. */
export function toAttachmentView(
  row: AttachmentRow,
  downloadUrl = `/api/attachments/${row.id}`,
): z.infer<typeof AttachmentView> {
  return {
    id: row.id,
    fileName: row.file_name,
    contentType: row.content_type,
    size: row.size_bytes,
    sha256: row.sha256,
    uploadedAt: new Date(row.uploaded_at).toISOString(),
    downloadUrl,
  };
}
