import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/** What is stored for one encrypted file. */
export interface EncryptedBlob {
  keyId: string;
  iv: Uint8Array;
  authTag: Uint8Array;
  ciphertext: Uint8Array;
}

/** Thrown when a blob cannot be decrypted: unknown key, or contents altered (GCM check). */
export class DecryptionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DecryptionError";
  }
}

const KEY_BYTES = 32;
const IV_BYTES = 12;

/** The id stored with each blob: first 8 hex digits of sha256(key), so keys can rotate. */
export function encryptionKeyId(key: Uint8Array): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

/** Decodes a base64 key and checks its length (AES-256 needs 32 bytes). */
export function decodeEncryptionKey(base64: string): Buffer {
  const key = Buffer.from(base64.trim(), "base64");
  if (key.length !== KEY_BYTES) {
    throw new Error("La clé de chiffrement doit faire 32 octets, encodés en base64.");
  }
  return key;
}

/**
 * AES-256-GCM encryption of attachments at rest. Encrypts with the first key of the keyring;
 * decrypts with whichever key the blob names, so older keys can stay readable after rotation.
 */
export class AttachmentCipher {
  readonly keyId: string;
  private readonly keys: Map<string, Buffer>;

  constructor(keyring: readonly Uint8Array[]) {
    const [current] = keyring;
    if (!current) throw new Error("Aucune clé de chiffrement fournie.");
    this.keys = new Map();
    for (const key of keyring) {
      if (key.length !== KEY_BYTES) throw new Error("Chaque clé de chiffrement doit faire 32 octets.");
      this.keys.set(encryptionKeyId(key), Buffer.from(key));
    }
    this.keyId = encryptionKeyId(current);
  }

  /** Encrypts with the current key and a fresh random 12-byte IV. */
  encrypt(plaintext: Uint8Array): EncryptedBlob {
    const key = this.keys.get(this.keyId) as Buffer;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { keyId: this.keyId, iv, authTag: cipher.getAuthTag(), ciphertext };
  }

  /** Decrypts and authenticates a blob; throws DecryptionError if its key is unknown or it was altered. */
  decrypt(blob: EncryptedBlob): Buffer {
    const key = this.keys.get(blob.keyId);
    if (!key) throw new DecryptionError(`Clé de chiffrement inconnue : ${blob.keyId}.`);
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(blob.iv));
      decipher.setAuthTag(Buffer.from(blob.authTag));
      return Buffer.concat([decipher.update(blob.ciphertext), decipher.final()]);
    } catch (cause) {
      throw new DecryptionError("Contenu chiffré altéré ou illisible.", { cause });
    }
  }
}
