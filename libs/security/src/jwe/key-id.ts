import { createHash, type KeyObject } from 'node:crypto';

/**
 * The JWE `kid` of a key: lower-case hex SHA-1 of the public key's DER SubjectPublicKeyInfo
 * (DOMAIN.md 7; the seeds' JWE header section: "SHA-1 value of the public key").
 * Accepts the private key too: its public half is derived.
 */
export function keyIdOf(key: KeyObject): string {
  const der = key.export({ type: 'spki', format: 'der' });
  return createHash('sha1').update(der).digest('hex');
}
