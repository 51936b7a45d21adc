import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { decodeEncryptionKey } from "./attachment-cipher.ts";

/** What key resolution reads from the configuration. */
export interface EncryptionKeySettings {
  VIGIE_ENCRYPTION_KEY?: string | undefined;
  DATABASE_URL?: string | undefined;
  VIGIE_DATA_DIR: string;
}

/** Name of the generated key file inside the data folder. */
export const ENCRYPTION_KEY_FILE = "encryption.key";

/**
 * The attachments key: VIGIE_ENCRYPTION_KEY when set; with the embedded database, a key
 * generated once in VIGIE_DATA_DIR/encryption.key (mode 0600) and reused; with PostgreSQL and
 * no key, an error — a generated key on one server would leave the others unable to read.
 */
export function resolveEncryptionKey(config: EncryptionKeySettings): Buffer {
  if (config.VIGIE_ENCRYPTION_KEY) return decodeEncryptionKey(config.VIGIE_ENCRYPTION_KEY);
  if (config.DATABASE_URL) {
    throw new Error(
      "VIGIE_ENCRYPTION_KEY est obligatoire avec PostgreSQL (DATABASE_URL) : " +
        "renseignez une clé de 32 octets encodée en base64 (par exemple : openssl rand -base64 32).",
    );
  }
  const dir = resolve(config.VIGIE_DATA_DIR);
  const file = resolve(dir, ENCRYPTION_KEY_FILE);
  mkdirSync(dir, { recursive: true });
  const fresh = randomBytes(32).toString("base64");
  try {
    // "wx": never overwrite a key another process (or an earlier run) already wrote.
    writeFileSync(file, `${fresh}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  try {
    return decodeEncryptionKey(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`Fichier de clé de chiffrement illisible ou invalide : ${file}.`, { cause: error });
  }
}
