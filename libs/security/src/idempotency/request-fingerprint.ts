import { createHash } from 'node:crypto';

/** The idempotency identity of one request, as the aggregates record it. */
export interface RequestFingerprint {
  /** `X-Idempotency-Key` / `Idempotency-Key`, or `body:<hash>` for a request without one. */
  readonly idempotencyKey: string;
  /** SHA-256 of method, route and body bytes (the plaintext, after JWE decryption). */
  readonly requestHash: string;
}

const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * A keyless request is identified by its bytes: Antaca retries a notification it got no
 * 2xx for with the byte-identical body, and that retry must be recognised (DOMAIN.md 3).
 */
export function fingerprintRequest(input: {
  readonly key: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly body: Buffer | string | undefined;
}): RequestFingerprint {
  const hash = createHash('sha256');
  hash.update(`${input.method.toUpperCase()} ${input.path}\n`);
  if (input.body !== undefined) hash.update(input.body);
  const requestHash = hash.digest('hex');
  return { idempotencyKey: input.key ?? `body:${requestHash}`, requestHash };
}

/** Printable ASCII, 1-200 characters; anything else is refused before it reaches a stream. */
export function isAcceptableIdempotencyKey(key: string): boolean {
  return KEY.test(key);
}
