import { problem } from '../answer';

/**
 * The four JWE answers of the seeds (DOMAIN.md 6): 400 `{title, detail}`, never encrypted.
 * `CANT_DECRYPT_PAYLOAD` is one constant: whatever failed inside the JWE, the answer is this.
 */
export const ENCRYPTION_REQUIRED = problem(
  400,
  'ENCRYPTION_REQUIRED',
  'Send the body as a JWE: {"payload": "<compact JWE>"} with Encrypted-Request: true',
);
export const INVALID_PAYLOAD = problem(
  400,
  'INVALID_PAYLOAD',
  'The body must be {"payload": "<compact JWE>"} whose plaintext is JSON',
);
export const CANT_DECRYPT_PAYLOAD = problem(
  400,
  'CANT_DECRYPT_PAYLOAD',
  'The payload could not be decrypted',
);
export const INVALID_PUBLIC_KEY = problem(
  400,
  'INVALID_PUBLIC_KEY',
  'Public-Key must be base64 of a PEM RSA public key of at least 2048 bits',
);
