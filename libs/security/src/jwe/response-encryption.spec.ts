import { generateKeyPairSync } from 'node:crypto';
import { compactDecrypt, decodeProtectedHeader } from 'jose';
import { keyIdOf } from './key-id';
import { encryptFor, recipientKeyFrom } from './response-encryption';
import { openHandMadeJwe } from './testing/hand-made-jwe';

const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
const base64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
const spkiPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe('recipientKeyFrom (the Public-Key header)', () => {
  it('reads base64 of a PEM public key and names it by the SHA-1 of its SPKI', () => {
    expect(recipientKeyFrom(base64(spkiPem))?.kid).toBe(keyIdOf(pair.publicKey));
  });

  it('accepts a PKCS#1 RSA public key, the url-safe alphabet and surrounding blanks', () => {
    const pkcs1 = pair.publicKey.export({ type: 'pkcs1', format: 'pem' });
    expect(recipientKeyFrom(base64(pkcs1))?.kid).toBe(keyIdOf(pair.publicKey));
    expect(recipientKeyFrom(` ${Buffer.from(spkiPem).toString('base64url')} `)?.kid).toBe(
      keyIdOf(pair.publicKey),
    );
  });

  it('reads each key once while it keeps coming, and still reads keys it has let go of', () => {
    const header = base64(spkiPem);
    expect(recipientKeyFrom(header)).toBe(recipientKeyFrom(header));

    // Twenty other headers (the same key, spelled with more trailing newlines) push it out.
    for (let newlines = 2; newlines < 22; newlines++) {
      expect(recipientKeyFrom(base64(spkiPem + '\n'.repeat(newlines)))?.kid).toBe(keyIdOf(pair.publicKey));
    }
    expect(recipientKeyFrom(header)?.kid).toBe(keyIdOf(pair.publicKey));
  });

  const unusable: Record<string, string | undefined> = {
    'no header': undefined,
    'an empty header': '',
    'a raw PEM (not base64)': spkiPem.replace(/\n/g, ' '),
    'base64 of something else': base64('A public key should be here'),
    'a truncated key': base64(spkiPem.split('\n').slice(0, 3).concat('-----END PUBLIC KEY-----').join('\n')),
    'a private key': base64(pair.privateKey.export({ type: 'pkcs8', format: 'pem' })),
    'an EC key': base64(
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }),
    ),
    'an RSA key below 2048 bits': base64(
      generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }),
    ),
    'a header too long to be a key': 'A'.repeat(10_000),
  };

  it.each(Object.keys(unusable))('finds no usable key in %s', (name) => {
    expect(recipientKeyFrom(unusable[name])).toBeUndefined();
  });
});

describe('encryptFor', () => {
  const recipient = recipientKeyFrom(base64(spkiPem))!;
  const answer = '{"currency":"PLN","amount":1000}';

  it('makes an RSA-OAEP-256 / A256GCM JWE with the kid of the recipient key', async () => {
    const token = await encryptFor(recipient, Buffer.from(answer));
    expect(decodeProtectedHeader(token)).toEqual({
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
      kid: keyIdOf(pair.publicKey),
    });
    const { plaintext } = await compactDecrypt(token, pair.privateKey);
    expect(Buffer.from(plaintext).toString('utf8')).toBe(answer);
  });

  it('is opened by a JWE implementation written by hand', async () => {
    const token = await encryptFor(recipient, Buffer.from(answer));
    expect(openHandMadeJwe(pair.privateKey, token).plaintext.toString('utf8')).toBe(answer);
  });
});
