import { createPublicKey, type KeyObject } from 'node:crypto';
import { CompactEncrypt } from 'jose';
import { CONTENT_ENCRYPTION_ALGORITHM } from './jwe-decryptor';
import { MIN_RSA_MODULUS_BITS } from './jwe-key-ring';
import { keyIdOf } from './key-id';

/** The key Antaca sent in `Public-Key` for encrypting our answer to it. */
export interface RecipientKey {
  readonly kid: string;
  readonly publicKey: KeyObject;
}

/** A PEM public key is well under 2 KB in base64 even at 8192 bits; a header beyond this is not one. */
const MAX_HEADER_CHARS = 4096;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const PUBLIC_KEY_PEM = /-----BEGIN (RSA )?PUBLIC KEY-----/;

/**
 * Reads a `Public-Key` header: base64 of a PEM public key (seeds: "public key encoded b64").
 * Lenient on the spelling (either base64 alphabet, a PKCS#1 `RSA PUBLIC KEY`), strict on
 * the key: RSA of 2048 bits or more, the only keys RSA-OAEP-256 can serve. Anything else,
 * including a private key sent by mistake, is no usable key.
 */
export function recipientKeyFrom(header: string | undefined): RecipientKey | undefined {
  const value = header?.trim();
  if (!value || value.length > MAX_HEADER_CHARS || !BASE64.test(value)) return undefined;
  const known = recentKeys.get(value);
  if (known) return known;
  const key = parseRecipientKey(value);
  if (key) remember(value, key);
  return key;
}

/**
 * Antaca sends the same `Public-Key` on every request, and reading a PEM costs about as much
 * as the RSA decryption of the request (~0.2 ms): the last few usable keys are kept, by header.
 */
const MAX_RECENT_KEYS = 16;
const recentKeys = new Map<string, RecipientKey>();

function remember(header: string, key: RecipientKey): void {
  if (recentKeys.size >= MAX_RECENT_KEYS) recentKeys.delete(recentKeys.keys().next().value!);
  recentKeys.set(header, key);
}

function parseRecipientKey(value: string): RecipientKey | undefined {
  const pem = Buffer.from(value, 'base64').toString('utf8');
  if (!PUBLIC_KEY_PEM.test(pem)) return undefined;
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    return undefined;
  }
  const bits = publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (publicKey.asymmetricKeyType !== 'rsa' || bits < MIN_RSA_MODULUS_BITS) return undefined;
  return { kid: keyIdOf(publicKey), publicKey };
}

/** Our answer as a compact JWE: RSA-OAEP-256 + A256GCM (the seeds' choice), `kid` of their key. */
export function encryptFor(recipient: RecipientKey, plaintext: Uint8Array): Promise<string> {
  return new CompactEncrypt(plaintext)
    .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: CONTENT_ENCRYPTION_ALGORITHM, kid: recipient.kid })
    .encrypt(recipient.publicKey);
}
