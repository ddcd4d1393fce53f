import crypto, { createSecretKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { CompactEncrypt, type CompactJWEHeaderParameters, type KeyLike } from 'jose';
import { JweDecryptor } from './jwe-decryptor';
import { JweKeyRing, jweKeyOf, type JweKey } from './jwe-key-ring';
import { handMadeJwe } from './testing/hand-made-jwe';
import { tamperedJwes } from './testing/tampered-jwes';

const newKey = (): JweKey => jweKeyOf(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
const current = newKey();
const previous = newKey();
const stranger = newKey();
const decryptor = new JweDecryptor(new JweKeyRing([current, previous]));

const plaintext = '{"amount":1000}';
const text = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

function joseJwe(header: CompactJWEHeaderParameters, key: KeyLike | Uint8Array): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(plaintext)).setProtectedHeader(header).encrypt(key);
}

describe('JweDecryptor', () => {
  it('opens an RSA-OAEP-256 / A256GCM JWE to the current key without kid', async () => {
    const token = await joseJwe({ alg: 'RSA-OAEP-256', enc: 'A256GCM' }, current.publicKey);
    expect(text(await decryptor.decrypt(token))).toBe(plaintext);
  });

  it('opens RSA-OAEP (SHA-1), the other algorithm the seeds allow', async () => {
    const token = await joseJwe({ alg: 'RSA-OAEP', enc: 'A256GCM', kid: current.kid }, current.publicKey);
    expect(text(await decryptor.decrypt(token))).toBe(plaintext);
  });

  it('opens a JWE to the previous key by its kid, in either case (rotation)', async () => {
    const lower = await joseJwe(
      { alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: previous.kid },
      previous.publicKey,
    );
    const upper = await joseJwe(
      { alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: previous.kid.toUpperCase() },
      previous.publicKey,
    );
    expect(text(await decryptor.decrypt(lower))).toBe(plaintext);
    expect(text(await decryptor.decrypt(upper))).toBe(plaintext);
  });

  it('opens a JWE made by hand with Node crypto', async () => {
    expect(text(await decryptor.decrypt(handMadeJwe(current.publicKey, plaintext)))).toBe(plaintext);
  });

  it('does not try the current key for a JWE to the previous key without kid', async () => {
    const token = await joseJwe({ alg: 'RSA-OAEP-256', enc: 'A256GCM' }, previous.publicKey);
    expect(await decryptor.decrypt(token)).toBeUndefined();
  });

  describe('refuses', () => {
    const refusals: Record<string, () => Promise<string> | string> = {
      // By hand: jose warns that RSA1_5 is deprecated when asked to make one.
      RSA1_5: () => handMadeJwe(current.publicKey, plaintext, { alg: 'RSA1_5', enc: 'A256GCM' }),
      dir: () => joseJwe({ alg: 'dir', enc: 'A256GCM' }, createSecretKey(randomBytes(32))),
      A128KW: () => joseJwe({ alg: 'A128KW', enc: 'A256GCM' }, createSecretKey(randomBytes(16))),
      'RSA-OAEP-512': () => joseJwe({ alg: 'RSA-OAEP-512', enc: 'A256GCM' }, current.publicKey),
      A128GCM: () => joseJwe({ alg: 'RSA-OAEP-256', enc: 'A128GCM' }, current.publicKey),
      'A256CBC-HS512': () => joseJwe({ alg: 'RSA-OAEP-256', enc: 'A256CBC-HS512' }, current.publicKey),
      'a compressed payload (zip)': () =>
        handMadeJwe(current.publicKey, deflateRawSync(plaintext), {
          alg: 'RSA-OAEP-256',
          enc: 'A256GCM',
          zip: 'DEF',
        }),
      'a critical extension': () =>
        handMadeJwe(current.publicKey, plaintext, {
          alg: 'RSA-OAEP-256',
          enc: 'A256GCM',
          crit: ['exp'],
          exp: 1,
        }),
      'an unknown kid': () =>
        joseJwe({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: stranger.kid }, stranger.publicKey),
      'a JWE to another key': () => joseJwe({ alg: 'RSA-OAEP-256', enc: 'A256GCM' }, stranger.publicKey),
      'a kid that is not a string': () =>
        handMadeJwe(current.publicKey, plaintext, { alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 7 }),
      'a header that is not JSON': () =>
        `bm90IGpzb24.${handMadeJwe(current.publicKey, plaintext).split('.').slice(1).join('.')}`,
      'four parts': () => handMadeJwe(current.publicKey, plaintext).split('.').slice(0, 4).join('.'),
      garbage: () => 'garbage',
      'an empty string': () => '',
    };

    it.each(Object.keys(refusals))('%s', async (name) => {
      expect(await decryptor.decrypt(await refusals[name]!())).toBeUndefined();
    });

    it('another spelling of the same bytes', async () => {
      const token = handMadeJwe(current.publicKey, plaintext);
      // A 16-byte tag is 22 characters: the last carries 2 bits of it and 4 unused ones.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const index = alphabet.indexOf(token.at(-1)!);
      const respelt = token.slice(0, -1) + alphabet[(index & 0b110000) | ((index + 1) & 0b001111)]!;
      const tagOf = (jwe: string) => Buffer.from(jwe.split('.')[4]!, 'base64url');
      expect(tagOf(respelt)).toEqual(tagOf(token));

      expect(await decryptor.decrypt(respelt)).toBeUndefined();
    });

    it.each(Object.entries(tamperedJwes(handMadeJwe(current.publicKey, plaintext))))(
      'a tampered %s',
      async (_part, token) => {
        expect(await decryptor.decrypt(token)).toBeUndefined();
      },
    );
  });

  describe('fails every way at the same cost', () => {
    const goodToken = handMadeJwe(current.publicKey, plaintext);
    const failures: Record<string, string> = {
      garbage: 'garbage',
      'a disallowed algorithm': goodToken.replace(
        /^[^.]+/,
        Buffer.from('{"alg":"RSA1_5","enc":"A256GCM"}').toString('base64url'),
      ),
      'an unknown kid': handMadeJwe(stranger.publicKey, plaintext, {
        alg: 'RSA-OAEP-256',
        enc: 'A256GCM',
        kid: stranger.kid,
      }),
      'a wrong OAEP padding': handMadeJwe(stranger.publicKey, plaintext),
      ...tamperedJwes(goodToken),
    };

    afterEach(() => jest.restoreAllMocks());

    it.each(Object.keys(failures))('%s: one RSA private-key operation, like a success', async (name) => {
      const rsa = jest.spyOn(crypto, 'privateDecrypt');
      expect(await decryptor.decrypt(failures[name]!)).toBeUndefined();
      expect(rsa).toHaveBeenCalledTimes(1);
      rsa.mockClear();
      await decryptor.decrypt(goodToken);
      expect(rsa).toHaveBeenCalledTimes(1);
    });
  });
});
