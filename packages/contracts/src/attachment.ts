import { z } from "zod";
import { AttachmentView } from "./declaration.ts";

/** Upload limits, shown to declarants and enforced by the server. */
export const attachmentLimits = {
  maxFileBytes: 20 * 1024 * 1024,
  /** Per declaration (or per message): files and total size of the pending uploads. */
  maxFiles: 10,
  maxTotalBytes: 50 * 1024 * 1024,
  maxFileNameLength: 120,
  /** Accepted kinds, for the form's help text and the file picker's `accept`. */
  acceptedExtensions: [
    ".pdf",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".zip",
    ".7z",
    ".txt",
    ".log",
    ".csv",
    ".eml",
    ".msg",
    ".json",
    ".xml",
  ],
} as const;

/** Query of an upload: the key the files wait under (declaration idempotency key or message draft id). */
export const AttachmentUploadQuery = z.object({
  pendingKey: z.uuid({ error: "Clé de dépôt (pendingKey) invalide : un UUID est attendu." }),
});

/** A file the server refused, with the reason in French. */
export const RejectedAttachment = z.object({
  /** Position in the request, e.g. `files[2]`. */
  field: z.string(),
  fileName: z.string(),
  code: z.enum(["FILE_TOO_LARGE", "FILE_TYPE_REFUSED", "ATTACHMENT_LIMIT_REACHED", "FILE_EMPTY"]),
  reason: z.string(),
});

/** Answer to an upload: accepted files are stored even when others are refused. */
export const AttachmentUploadResult = z.object({
  items: z.array(AttachmentView),
  rejected: z.array(RejectedAttachment),
});
