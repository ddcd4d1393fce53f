import { constants, publicEncrypt, randomBytes } from 'node:crypto';
import { compactDecrypt, type DecryptOptions } from 'jose';
import type { JweKey, JweKeyRing } from './jwe-key-ring';

/** DOMAIN.md 7: nothing else (no RSA1_5, no `dir`, no key wrap, no CBC). */
export const KEY_MANAGEMENT_ALGORITHMS = ['RSA-OAEP-256', 'RSA-OAEP'] as const;
export const CONTENT_ENCRYPTION_ALGORITHM = 'A256GCM';

const OPTIONS: DecryptOptions = {
  keyManagementAlgorithms: [...KEY_MANAGEMENT_ALGORITHMS],
  contentEncryptionAlgorithms: [CONTENT_ENCRYPTION_ALGORITHM],
};
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const GCM_IV_BYTES = 12;
const GCM_TAG_BYTES = 16;
const CEK_BYTES = 32;

/**
 * Opens compact JWEs sent to one of our keys. The caller learns only "plaintext" or
 * "could not decrypt", never why, and every failure costs the same work.
 *
 * Why that matters: the one secret-dependent step is the RSA-OAEP unwrap of the content
 * key. If a sender could tell "the OAEP padding was wrong" from "the AES-GCM tag was wrong"
 * (by the answer or by the time it takes), the padding check becomes an oracle that
 * decrypts captured keys one query at a time (Manger's attack). So:
 * - jose already hides the unwrap's outcome: when RSA-OAEP decoding fails it substitutes a
 *   random content key and goes on to AES-GCM, which then fails on the tag exactly as for
 *   a tampered ciphertext (`flattenedDecrypt`, "cek = generateCek(enc)"); OpenSSL's OAEP
 *   check itself is constant-time;
 * - everything jose would reject *before* the unwrap (shape, encoding, header, algorithms,
 *   `zip`, `crit`, lengths, unknown `kid`) is checked here first, and such a token is swapped for
 *   a decoy: a well-formed JWE to the current key whose tag cannot verify. Every failure
 *   therefore runs one RSA private-key operation and one AES-GCM check, and ends in the
 *   same `undefined`; what still varies (the ciphertext length, which key a `kid` names)
 *   is what the sender chose, not what we know.
 */
export class JweDecryptor {
  private readonly decoy: string;

  constructor(private readonly ring: JweKeyRing) {
    this.decoy = decoyFor(ring.current);
  }

  async decrypt(token: string): Promise<Uint8Array | undefined> {
    const key = this.keyForWellFormed(token);
    try {
      const { plaintext } = await compactDecrypt(
        key ? token : this.decoy,
        (key ?? this.ring.current).privateKey,
        OPTIONS,
      );
      return key ? plaintext : undefined;
    } catch {
      return undefined;
    }
  }

  /** The key to try when jose would get as far as the RSA unwrap; none otherwise. */
  private keyForWellFormed(token: string): JweKey | undefined {
    const parts = token.split('.');
    if (parts.length !== 5 || !parts.every(isCanonicalBase64url)) return undefined;
    const [header, encryptedKey, iv, ciphertext, tag] = parts as [string, string, string, string, string];
    const fields = parseHeader(header);
    if (!fields) return undefined;
    const { alg, enc, kid } = fields;
    const acceptable =
      (KEY_MANAGEMENT_ALGORITHMS as readonly unknown[]).includes(alg) &&
      enc === CONTENT_ENCRYPTION_ALGORITHM &&
      !('zip' in fields) &&
      !('crit' in fields) &&
      (kid === undefined || typeof kid === 'string');
    if (!acceptable) return undefined;
    const key = this.ring.keyFor(kid);
    if (!key) return undefined;
    const fits =
      byteLength(encryptedKey) === key.modulusBytes &&
      byteLength(iv) === GCM_IV_BYTES &&
      byteLength(tag) === GCM_TAG_BYTES &&
      ciphertext.length > 0;
    return fits ? key : undefined;
  }
}

function parseHeader(encoded: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Only the one spelling of each byte string: base64url decoders ignore a last character's
 * unused bits, so without this a JWE has several spellings that open to the same thing.
 */
function isCanonicalBase64url(part: string): boolean {
  return BASE64URL.test(part) && Buffer.from(part, 'base64url').toString('base64url') === part;
}

function byteLength(base64url: string): number {
  return Buffer.from(base64url, 'base64url').length;
}

/** A JWE that reaches AES-GCM with a properly unwrapped key and then fails on its tag. */
function decoyFor(key: JweKey): string {
  const header = { alg: 'RSA-OAEP-256', enc: CONTENT_ENCRYPTION_ALGORITHM, kid: key.kid };
  const encryptedKey = publicEncrypt(
    { key: key.publicKey, oaepHash: 'sha256', padding: constants.RSA_PKCS1_OAEP_PADDING },
    randomBytes(CEK_BYTES),
  );
  return [
    Buffer.from(JSON.stringify(header)),
    encryptedKey,
    randomBytes(GCM_IV_BYTES),
    randomBytes(CEK_BYTES),
    randomBytes(GCM_TAG_BYTES),
  ]
    .map((part) => part.toString('base64url'))
    .join('.');
}
