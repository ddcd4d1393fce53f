/** One bit flipped in the last byte of a base64url part. */
function flipped(part: string): string {
  const bytes = Buffer.from(part, 'base64url');
  bytes[bytes.length - 1]! ^= 0x01;
  return bytes.toString('base64url');
}

/**
 * A compact JWE with each of its five parts tampered with in turn. The header stays
 * acceptable (same alg and enc) but no longer matches the AAD the tag was made over.
 */
export function tamperedJwes(token: string): Record<string, string> {
  const [header, encryptedKey, iv, ciphertext, tag] = token.split('.') as [
    string,
    string,
    string,
    string,
    string,
  ];
  const fields = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
  const otherHeader = Buffer.from(JSON.stringify({ ...fields, typ: 'JOSE' })).toString('base64url');
  return {
    'protected header': [otherHeader, encryptedKey, iv, ciphertext, tag].join('.'),
    'encrypted key': [header, flipped(encryptedKey), iv, ciphertext, tag].join('.'),
    iv: [header, encryptedKey, flipped(iv), ciphertext, tag].join('.'),
    ciphertext: [header, encryptedKey, iv, flipped(ciphertext), tag].join('.'),
    tag: [header, encryptedKey, iv, ciphertext, flipped(tag)].join('.'),
  };
}
