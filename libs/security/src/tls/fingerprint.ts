import { X509Certificate } from 'node:crypto';

/** Lower-case hex SHA-256 of the certificate's DER, without colons: the form of `TLS_CLIENT_ALLOWED_FINGERPRINTS`. */
export function sha256Fingerprint(certificate: string | Buffer): string {
  return normalizeFingerprint(new X509Certificate(certificate).fingerprint256);
}

/** `AB:CD:...` (Node's and openssl's form) to `abcd...`. */
export function normalizeFingerprint(fingerprint: string): string {
  return fingerprint.replaceAll(':', '').toLowerCase();
}

/** `abcd...` to `AB:CD:...`, the form `openssl x509 -fingerprint -sha256` prints. */
export function withColons(fingerprint: string): string {
  return (fingerprint.toUpperCase().match(/.{2}/g) ?? []).join(':');
}
