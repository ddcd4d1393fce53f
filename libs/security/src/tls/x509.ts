// tsyringe, which @peculiar/x509 uses internally, needs the Reflect metadata API at import time.
import 'reflect-metadata';
import { createPrivateKey, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// Node's WebCrypto, not a JavaScript reimplementation: keys and signatures come from OpenSSL.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };

export type CryptoKey = webcrypto.CryptoKey;

/** A private key as WebCrypto uses it, with the signature algorithm it signs certificates with. */
export interface SigningKey {
  readonly key: CryptoKey;
  readonly algorithm: webcrypto.Algorithm | webcrypto.EcdsaParams;
}

/** The key type of everything generated here: ECDSA P-256, fast to make and accepted by every TLS stack. */
const GENERATED_KEY: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const GENERATED_SIGNATURE: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

const EC_CURVES: Readonly<Record<string, { namedCurve: string; hash: string }>> = {
  prime256v1: { namedCurve: 'P-256', hash: 'SHA-256' },
  secp384r1: { namedCurve: 'P-384', hash: 'SHA-384' },
  secp521r1: { namedCurve: 'P-521', hash: 'SHA-512' },
};

export async function generateKeyPair(): Promise<{ publicKey: CryptoKey; signing: SigningKey }> {
  const pair = await webcrypto.subtle.generateKey(GENERATED_KEY, true, ['sign', 'verify']);
  return { publicKey: pair.publicKey, signing: { key: pair.privateKey, algorithm: GENERATED_SIGNATURE } };
}

/** PKCS#8 PEM (`BEGIN PRIVATE KEY`), what Node's TLS, curl and openssl all read. */
export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

/**
 * Reads a private key in any unencrypted PEM form openssl writes (PKCS#8, PKCS#1 RSA, SEC1 EC)
 * and picks the signature it makes: SHA-256 with RSA (PKCS#1 v1.5), ECDSA with the curve's hash.
 */
export async function signingKeyFromPem(pem: string): Promise<SigningKey> {
  const keyObject = createPrivateKey(pem);
  const pkcs8 = keyObject.export({ format: 'der', type: 'pkcs8' });
  if (keyObject.asymmetricKeyType === 'rsa') {
    const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return { key: await webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']), algorithm };
  }
  const curve = EC_CURVES[keyObject.asymmetricKeyDetails?.namedCurve ?? ''];
  if (keyObject.asymmetricKeyType === 'ec' && curve) {
    const key = await webcrypto.subtle.importKey(
      'pkcs8',
      pkcs8,
      { name: 'ECDSA', namedCurve: curve.namedCurve },
      false,
      ['sign'],
    );
    return { key, algorithm: { name: 'ECDSA', hash: curve.hash } };
  }
  throw new Error(
    `Unsupported key type ${keyObject.asymmetricKeyType ?? 'unknown'}: use RSA or EC (P-256, P-384, P-521)`,
  );
}
