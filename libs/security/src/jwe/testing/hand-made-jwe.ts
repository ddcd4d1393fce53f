import {
  constants,
  createCipheriv,
  createDecipheriv,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

/**
 * A compact JWE written by hand with Node's crypto (RFC 7516 section 5, RFC 7518 sections
 * 4.3 and 5.3), independent of jose: tests use it to show the service speaks the standard,
 * not just what jose happens to produce and accept.
 */

/** RSA1_5 only so tests can show it is refused; RSA-OAEP hashes with SHA-1, RSA-OAEP-256 with SHA-256. */
const keyWrapOf = (alg: unknown) =>
  alg === 'RSA1_5'
    ? { padding: constants.RSA_PKCS1_PADDING }
    : { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: alg === 'RSA-OAEP' ? 'sha1' : 'sha256' };
const encode = (bytes: Buffer | string): string => Buffer.from(bytes).toString('base64url');

/** RSA key wrap (as `header.alg` says) + AES-256-GCM with the encoded protected header as AAD. */
export function handMadeJwe(
  publicKey: KeyObject,
  plaintext: Buffer | string,
  header: Record<string, unknown> = { alg: 'RSA-OAEP-256', enc: 'A256GCM' },
): string {
  const contentKey = randomBytes(32);
  const iv = randomBytes(12);
  const protectedHeader = encode(JSON.stringify(header));
  const encryptedKey = publicEncrypt({ key: publicKey, ...keyWrapOf(header.alg) }, contentKey);
  const cipher = createCipheriv('aes-256-gcm', contentKey, iv);
  cipher.setAAD(Buffer.from(protectedHeader, 'ascii'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [
    protectedHeader,
    encode(encryptedKey),
    encode(iv),
    encode(ciphertext),
    encode(cipher.getAuthTag()),
  ].join('.');
}

/** The reverse: checks the tag over the protected header and returns header and plaintext. */
export function openHandMadeJwe(
  privateKey: KeyObject,
  token: string,
): { header: Record<string, unknown>; plaintext: Buffer } {
  const [protectedHeader, encryptedKey, iv, ciphertext, tag] = token.split('.');
  if (tag === undefined) throw new Error('A compact JWE has five parts');
  const header = JSON.parse(Buffer.from(protectedHeader!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
  if (header.enc !== 'A256GCM') throw new Error(`Unexpected enc ${String(header.enc)}`);
  const contentKey = privateDecrypt(
    { key: privateKey, ...keyWrapOf(header.alg) },
    Buffer.from(encryptedKey!, 'base64url'),
  );
  const decipher = createDecipheriv('aes-256-gcm', contentKey, Buffer.from(iv!, 'base64url'));
  decipher.setAAD(Buffer.from(protectedHeader!, 'ascii'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext!, 'base64url')), decipher.final()]);
  return { header, plaintext };
}
