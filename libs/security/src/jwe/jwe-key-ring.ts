import { createPublicKey, type KeyObject } from 'node:crypto';
import { keyIdOf } from './key-id';

/** RSA-OAEP below 2048 bits is refused by jose and by any current guidance. */
export const MIN_RSA_MODULUS_BITS = 2048;

/** One of our RSA key pairs, named by its `kid`. */
export interface JweKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The length of an RSA-OAEP encrypted key for this key pair. */
  readonly modulusBytes: number;
}

export function jweKeyOf(privateKey: KeyObject): JweKey {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'rsa') {
    throw new TypeError('A JWE key must be an RSA private key');
  }
  const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_MODULUS_BITS)
    throw new TypeError(`A JWE key must have at least ${MIN_RSA_MODULUS_BITS} bits`);
  const publicKey = createPublicKey(privateKey);
  return { kid: keyIdOf(publicKey), privateKey, publicKey, modulusBytes: Math.ceil(bits / 8) };
}

/**
 * Our private keys for JWE requests. The first is current: `GET /public-key` shows it and
 * a JWE without `kid` is tried against it; the others stay usable by `kid` while Antaca
 * still encrypts to them (rotation: add the new key first, drop the old one later).
 */
export class JweKeyRing {
  private readonly byKid: ReadonlyMap<string, JweKey>;

  constructor(readonly keys: readonly [JweKey, ...JweKey[]]) {
    this.byKid = new Map(keys.map((key) => [key.kid, key]));
    if (this.byKid.size !== keys.length) throw new TypeError('The same JWE key is listed twice');
  }

  get current(): JweKey {
    return this.keys[0];
  }

  /** The key a JWE names with `kid` (hex in either case); the current key when it names none. */
  keyFor(kid: string | undefined): JweKey | undefined {
    return kid === undefined ? this.current : this.byKid.get(kid.toLowerCase());
  }

  /** What `GET /public-key` answers: base64 of the current key's PEM `PUBLIC KEY` (SPKI). */
  get publicKeyBase64(): string {
    const pem = this.current.publicKey.export({ type: 'spki', format: 'pem' });
    return Buffer.from(pem).toString('base64');
  }
}
