/**
 * Who asked: every request-driven event carries the idempotency key of its request and a
 * hash of the request (method, path, body). A repeat with the same key and hash gets the
 * recorded outcome; the same key with another hash is refused as a reuse.
 * Requests without `X-Idempotency-Key` get a key derived from the hash (DOMAIN.md 3).
 */
export interface RequestRef {
  readonly idempotencyKey: string;
  readonly requestHash: string;
}

/** A request body as received, recorded in events (minus secrets: see `withoutSecrets`). */
export type RequestBody = Readonly<Record<string, unknown>>;
