import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AttachmentCipher, DecryptionError, encryptionKeyId } from "./attachment-cipher.ts";
import { ENCRYPTION_KEY_FILE, resolveEncryptionKey } from "./resolve-key.ts";

const plaintext = Buffer.from("Rançon : envoyez 3 BTC — marqueur-en-clair-42");

describe("AttachmentCipher", () => {
  const key = randomBytes(32);
  const cipher = new AttachmentCipher([key]);

  it("round-trips with a fresh 12-byte IV each time and no plaintext in the ciphertext", () => {
    const a = cipher.encrypt(plaintext);
    const b = cipher.encrypt(plaintext);
    expect(a.iv).toHaveLength(12);
    expect(a.authTag).toHaveLength(16);
    expect(Buffer.from(a.iv).equals(Buffer.from(b.iv))).toBe(false);
    expect(Buffer.from(a.ciphertext).includes(Buffer.from("marqueur-en-clair-42"))).toBe(false);
    expect(a.keyId).toBe(encryptionKeyId(key));
    expect(a.keyId).toMatch(/^[0-9a-f]{8}$/);
    expect(cipher.decrypt(a).equals(plaintext)).toBe(true);
  });

  it("refuses a tampered ciphertext, tag or IV", () => {
    const blob = cipher.encrypt(plaintext);
    const flipped = Buffer.from(blob.ciphertext);
    flipped[0] = (flipped[0] as number) ^ 1;
    expect(() => cipher.decrypt({ ...blob, ciphertext: flipped })).toThrow(DecryptionError);
    const tag = Buffer.from(blob.authTag);
    tag[3] = (tag[3] as number) ^ 0x80;
    expect(() => cipher.decrypt({ ...blob, authTag: tag })).toThrow(DecryptionError);
    expect(() => cipher.decrypt({ ...blob, iv: randomBytes(12) })).toThrow(DecryptionError);
  });

  it("refuses an unknown key id, and a blob encrypted under another key", () => {
    const blob = cipher.encrypt(plaintext);
    expect(() => cipher.decrypt({ ...blob, keyId: "deadbeef" })).toThrow(/Clé de chiffrement inconnue/);
    const other = new AttachmentCipher([randomBytes(32)]);
    expect(() => other.decrypt(blob)).toThrow(DecryptionError);
  });

  it("decrypts blobs of an older key kept in the keyring after rotation", () => {
    const old = cipher.encrypt(plaintext);
    const rotated = new AttachmentCipher([randomBytes(32), key]);
    expect(rotated.keyId).not.toBe(old.keyId);
    expect(rotated.decrypt(old).equals(plaintext)).toBe(true);
    expect(rotated.encrypt(plaintext).keyId).toBe(rotated.keyId);
  });

  it("refuses keys that are not 32 bytes", () => {
    expect(() => new AttachmentCipher([randomBytes(16)])).toThrow(/32 octets/);
    expect(() => new AttachmentCipher([])).toThrow();
  });
});

describe("resolveEncryptionKey", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "vigie-key-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("uses VIGIE_ENCRYPTION_KEY when set, with either database", () => {
    const key = randomBytes(32);
    const VIGIE_ENCRYPTION_KEY = key.toString("base64");
    expect(resolveEncryptionKey({ VIGIE_ENCRYPTION_KEY, VIGIE_DATA_DIR: tempDir() }).equals(key)).toBe(true);
    expect(
      resolveEncryptionKey({
        VIGIE_ENCRYPTION_KEY,
        DATABASE_URL: "postgres://x/y",
        VIGIE_DATA_DIR: "/nonexistent",
      }).equals(key),
    ).toBe(true);
  });

  it("with the embedded database, generates the key file once (mode 0600) and reuses it", () => {
    const dir = join(tempDir(), "données");
    const first = resolveEncryptionKey({ VIGIE_DATA_DIR: dir });
    const file = join(dir, ENCRYPTION_KEY_FILE);
    expect(first).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const written = readFileSync(file, "utf8");
    const second = resolveEncryptionKey({ VIGIE_DATA_DIR: dir });
    expect(second.equals(first)).toBe(true);
    expect(readFileSync(file, "utf8")).toBe(written);
  });

  it("refuses PostgreSQL without a key, in French", () => {
    expect(() => resolveEncryptionKey({ DATABASE_URL: "postgres://x/y", VIGIE_DATA_DIR: tempDir() })).toThrow(
      /VIGIE_ENCRYPTION_KEY est obligatoire avec PostgreSQL/,
    );
  });
});
