import {
  createHash,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { CompactEncrypt, type CompactJWEHeaderParameters } from 'jose';
import type { Response } from 'supertest';
import { keyIdOf } from '@app/security';
import { handMadeJwe, openHandMadeJwe } from '../../libs/security/src/jwe/testing/hand-made-jwe';
import { tamperedJwes } from '../../libs/security/src/jwe/testing/tampered-jwes';
import { Antaca, cardTransaction } from '../support/antaca';
import { expectProblem } from '../support/problems';
import { startTestService, type TestService } from '../support/service';

/**
 * DOMAIN.md 7, JWE, over real HTTP: encrypted requests are opened before validation and
 * idempotency, only RSA-OAEP(-256) + A256GCM is accepted, every failure is one of the four
 * answers of the seeds and applies nothing, and 2xx answers go back encrypted when asked.
 */

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
/** Our keys: the current one and the one being rotated out. */
const current = rsa();
const previous = rsa();
/** Antaca's own key pair, for the answers it wants encrypted. */
const antacaKeys = rsa();
const antacaPublicKey = Buffer.from(antacaKeys.publicKey.export({ type: 'spki', format: 'pem' })).toString(
  'base64',
);

const JWE_CONTENT_TYPE = 'application/x-jwe-encryption-body+json';

let keyDir: string;
let service: TestService;
let antaca: Antaca;

beforeAll(async () => {
  keyDir = mkdtempSync(join(tmpdir(), 'jwe-e2e-'));
  const files = [current, previous].map(({ privateKey }, index) => {
    const file = join(keyDir, `jwe-${index}.pem`);
    writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    return file;
  });
  service = await startTestService({ JWE_PRIVATE_KEY_FILE: files.join(',') });
  antaca = new Antaca(service);
});
afterAll(async () => {
  await service.stop();
  rmSync(keyDir, { recursive: true, force: true });
});

function joseJwe(
  plaintext: string,
  key: KeyObject,
  header: CompactJWEHeaderParameters = { alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: keyIdOf(key) },
): Promise<string> {
  return new CompactEncrypt(Buffer.from(plaintext)).setProtectedHeader(header).encrypt(key);
}

/** As Antaca sends it: `Encrypted-Request: true`, its public key for the answer, `{payload}`. */
function encryptedPost(path: string, payload: unknown, key: string | null = randomUUID()) {
  return antaca
    .post(path, { payload }, key)
    .set('Encrypted-Request', 'true')
    .set('Public-Key', antacaPublicKey);
}

/** The answer's plaintext, opened by the hand-written JWE implementation with Antaca's key. */
function openAnswer(response: Response): { header: Record<string, unknown>; body: unknown } {
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const { payload } = response.body as { payload: string };
  const { header, plaintext } = openHandMadeJwe(antacaKeys.privateKey, payload);
  return { header, body: JSON.parse(plaintext.toString('utf8')) };
}

describe('GET /public-key', () => {
  it('gives base64 of the current key as PEM, whose SHA-1 is the kid JWEs name it by', async () => {
    const response = await antaca.get('/public-key').expect(200);

    const pem = Buffer.from((response.body as { publicKey: string }).publicKey, 'base64').toString('utf8');
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const spki = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
    expect(spki).toEqual(current.publicKey.export({ type: 'spki', format: 'der' }));
    expect(createHash('sha1').update(spki).digest('hex')).toBe(keyIdOf(current.publicKey));
  });
});

describe('an encrypted request', () => {
  it('is decrypted and applied: a debit sent as a JWE holds the amount', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const purchase = JSON.stringify(cardTransaction({ balanceId, amount: 1200 }));

    const response = await encryptedPost('/transactions/debit', await joseJwe(purchase, current.publicKey));

    expect(response.status).toBe(204);
    expect(response.text).toBe('');
    expect(await antaca.figures(balanceId)).toEqual({ available: 3800, holds: 1200, booked: 5000 });
  });

  it('is decrypted when made by hand with Node crypto and sent with the JWE content type alone', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const purchase = JSON.stringify(cardTransaction({ balanceId, amount: 700 }));

    const response = await antaca
      .post('/transactions/debit', { payload: handMadeJwe(current.publicKey, purchase) })
      .set('Content-Type', JWE_CONTENT_TYPE);

    expect(response.status).toBe(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: 4300, holds: 700, booked: 5000 });
  });

  it('is decrypted with the previous key when its kid names it (rotation)', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const purchase = JSON.stringify(cardTransaction({ balanceId, amount: 300 }));

    const response = await encryptedPost('/transactions/debit', await joseJwe(purchase, previous.publicKey));

    expect(response.status).toBe(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: 4700, holds: 300, booked: 5000 });
  });

  it('retried, encrypted afresh, is recognised as the same request and applied once', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const keyed = JSON.stringify(cardTransaction({ balanceId, amount: 1000 }));
    const keyless = JSON.stringify(cardTransaction({ balanceId, amount: 500 }));
    const key = randomUUID();

    const answers = [
      await encryptedPost('/transactions/debit', await joseJwe(keyed, current.publicKey), key),
      await encryptedPost('/transactions/debit', handMadeJwe(current.publicKey, keyed), key),
      // Without a key, the plaintext's hash is what makes the second one a repeat.
      await encryptedPost('/transactions/debit', handMadeJwe(current.publicKey, keyless), null),
      await encryptedPost('/transactions/debit', await joseJwe(keyless, current.publicKey), null),
    ];

    expect(answers.map((answer) => answer.status)).toEqual([204, 204, 204, 204]);
    expect(await antaca.figures(balanceId)).toEqual({ available: 3500, holds: 1500, booked: 5000 });
  });

  it('with the same key and another plaintext is a reused key, nothing applied', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const key = randomUUID();
    const first = JSON.stringify(cardTransaction({ balanceId, amount: 1000 }));
    const other = JSON.stringify(cardTransaction({ balanceId, amount: 2000 }));

    expect(
      (await encryptedPost('/transactions/debit', handMadeJwe(current.publicKey, first), key)).status,
    ).toBe(204);
    const reused = await encryptedPost('/transactions/debit', handMadeJwe(current.publicKey, other), key);

    expectProblem(reused, 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await antaca.figures(balanceId)).toEqual({ available: 4000, holds: 1000, booked: 5000 });
  });
});

describe('a request that cannot be used applies nothing', () => {
  let balanceId: string;
  const untouched = { available: 5000, holds: 0, booked: 5000 };
  /** A fresh debit of this balance: what each bad token would have applied. */
  const purchase = () => JSON.stringify(cardTransaction({ balanceId, amount: 1000 }));

  beforeAll(async () => {
    ({ balanceId } = await antaca.fundedBalance(5000));
  });

  const undecryptable: Record<string, () => Promise<string> | string> = {
    'alg RSA1_5': () => handMadeJwe(current.publicKey, purchase(), { alg: 'RSA1_5', enc: 'A256GCM' }),
    'alg dir': () => joseJwe(purchase(), createSecretKey(randomBytes(32)), { alg: 'dir', enc: 'A256GCM' }),
    'alg A128KW': () =>
      joseJwe(purchase(), createSecretKey(randomBytes(16)), { alg: 'A128KW', enc: 'A256GCM' }),
    'enc A128GCM': () => joseJwe(purchase(), current.publicKey, { alg: 'RSA-OAEP-256', enc: 'A128GCM' }),
    'enc A256CBC-HS512': () =>
      joseJwe(purchase(), current.publicKey, { alg: 'RSA-OAEP-256', enc: 'A256CBC-HS512' }),
    'zip set': () =>
      handMadeJwe(current.publicKey, deflateRawSync(purchase()), {
        alg: 'RSA-OAEP-256',
        enc: 'A256GCM',
        zip: 'DEF',
      }),
    'an unknown kid': () => {
      const stranger = rsa().publicKey;
      return joseJwe(purchase(), stranger);
    },
    'the previous key without kid': () =>
      joseJwe(purchase(), previous.publicKey, { alg: 'RSA-OAEP-256', enc: 'A256GCM' }),
    garbage: () => 'eyJhbGciOiJSU0EtT0FFUC0yNTYifQ.garbage.garbage.garbage.garbage',
    ...Object.fromEntries(
      ['protected header', 'encrypted key', 'iv', 'ciphertext', 'tag'].map((part) => [
        `a tampered ${part}`,
        () => tamperedJwes(handMadeJwe(current.publicKey, purchase()))[part]!,
      ]),
    ),
  };

  it.each(Object.keys(undecryptable))('%s: CANT_DECRYPT_PAYLOAD, always the same answer', async (name) => {
    const response = await encryptedPost('/transactions/debit', await undecryptable[name]!());

    expectProblem(response, 400, 'CANT_DECRYPT_PAYLOAD');
    expect(response.body).toEqual({
      title: 'CANT_DECRYPT_PAYLOAD',
      detail: 'The payload could not be decrypted',
    });
    expect(await antaca.figures(balanceId)).toEqual(untouched);
  });

  const invalidPayloads: Record<string, () => unknown> = {
    'a body without payload': () => ({ value: handMadeJwe(current.publicKey, purchase()) }),
    'a payload that is not a string': () => ({ payload: 42 }),
    'a plaintext that is not JSON': () => ({ payload: handMadeJwe(current.publicKey, 'amount=1000') }),
  };

  it.each(Object.keys(invalidPayloads))('%s: INVALID_PAYLOAD', async (name) => {
    const response = await antaca
      .post('/transactions/debit', invalidPayloads[name]!())
      .set('Encrypted-Request', 'true')
      .set('Public-Key', antacaPublicKey);

    expectProblem(response, 400, 'INVALID_PAYLOAD');
    expect(await antaca.figures(balanceId)).toEqual(untouched);
  });

  const badPublicKeys: Record<string, string | undefined> = {
    'no Public-Key': undefined,
    'a Public-Key that is not base64 of a key':
      'QSBwdWJsaWMga2V5IHNob3VsZCBiZSBoZXJlIGhvd2V2ZXIgaXQgd2FzIHRvbyBsb25nIDoo',
    'an EC Public-Key': Buffer.from(
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }),
    ).toString('base64'),
  };

  it.each(Object.keys(badPublicKeys))('%s with a good JWE: INVALID_PUBLIC_KEY', async (name) => {
    const call = antaca
      .post('/transactions/debit', { payload: await joseJwe(purchase(), current.publicKey) })
      .set('Encrypted-Request', 'true');
    const publicKey = badPublicKeys[name];
    const response = await (publicKey === undefined ? call : call.set('Public-Key', publicKey));

    expectProblem(response, 400, 'INVALID_PUBLIC_KEY');
    expect(await antaca.figures(balanceId)).toEqual(untouched);
  });

  it('survives 1,000 randomly mutated tokens without applying any', async () => {
    const original = await joseJwe(purchase(), current.publicKey);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    const edit = fc.record({
      at: fc.nat(original.length - 1),
      kind: fc.constantFrom('replace', 'insert', 'delete', 'truncate'),
      char: fc.constantFrom(...alphabet),
    });
    const mutated = fc
      .array(edit, { minLength: 1, maxLength: 4 })
      .map((edits) =>
        edits.reduce((token, { at, kind, char }) => {
          const i = at % Math.max(token.length, 1);
          if (kind === 'replace') return token.slice(0, i) + char + token.slice(i + 1);
          if (kind === 'insert') return token.slice(0, i) + char + token.slice(i);
          if (kind === 'delete') return token.slice(0, i) + token.slice(i + 1);
          return token.slice(0, i);
        }, original),
      )
      .filter((token) => token !== original);

    await fc.assert(
      fc.asyncProperty(mutated, async (token) => {
        const response = await encryptedPost('/transactions/debit', token);
        expect(response.status).toBe(400);
        expect(['CANT_DECRYPT_PAYLOAD', 'INVALID_PAYLOAD']).toContain(
          (response.body as { title: string }).title,
        );
      }),
      { numRuns: 1000 },
    );

    expect(await antaca.figures(balanceId)).toEqual(untouched);
    await (await antaca.operator()).get('/health/live').expect(200);
  }, 120_000);
});

describe('an encrypted answer', () => {
  it('is a JWE to the Public-Key, with its kid, that a hand-written implementation opens', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(2500);

    const response = await antaca
      .get(`/users/${userId}/balances/${balanceId}`)
      .set('Encrypt-Response', 'true')
      .set('Public-Key', antacaPublicKey)
      .expect(200);

    const { header, body } = openAnswer(response);
    expect(header).toEqual({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: keyIdOf(antacaKeys.publicKey) });
    expect(body).toEqual({ currency: 'PLN', amount: 2500 });
  });

  it('goes to whichever Public-Key each request names', async () => {
    const { userId } = await antaca.fundedBalance(100);
    const other = rsa();

    const response = await antaca
      .get(`/users/${userId}/balances`)
      .set('Encrypted-Request', 'true')
      .set(
        'Public-Key',
        Buffer.from(other.publicKey.export({ type: 'spki', format: 'pem' })).toString('base64'),
      )
      .expect(200);

    const { payload } = response.body as { payload: string };
    expect(() => openHandMadeJwe(antacaKeys.privateKey, payload)).toThrow();
    const { plaintext } = openHandMadeJwe(other.privateKey, payload);
    expect(JSON.parse(plaintext.toString('utf8'))).toEqual([
      expect.objectContaining({ currency: 'PLN', amount: 100 }),
    ]);
  });

  it('is never an error: a 404 goes back in clear', async () => {
    const { userId } = await antaca.fundedBalance(0);

    const response = await antaca
      .get(`/users/${userId}/balances/${randomUUID()}`)
      .set('Encrypt-Response', 'true')
      .set('Public-Key', antacaPublicKey);

    expectProblem(response, 404, 'BALANCE_NOT_FOUND');
  });

  it('is refused up front when the Public-Key is unusable', async () => {
    const { userId, balanceId } = await antaca.fundedBalance(0);

    const response = await antaca
      .get(`/users/${userId}/balances/${balanceId}`)
      .set('Encrypt-Response', 'true')
      .set('Public-Key', 'bm90IGEga2V5');

    expectProblem(response, 400, 'INVALID_PUBLIC_KEY');
  });
});

describe('on a forced route', () => {
  it('answers CANT_DECRYPT_PAYLOAD and still keeps the request, encrypted, for reconciliation', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const forced = JSON.stringify(cardTransaction({ balanceId, amount: 900 }));
    const token = tamperedJwes(handMadeJwe(current.publicKey, forced)).tag!;

    const response = await antaca
      .post('/transactions/force-debit', { payload: token })
      .set('Content-Type', JWE_CONTENT_TYPE);

    expectProblem(response, 400, 'CANT_DECRYPT_PAYLOAD');
    expect(await antaca.figures(balanceId)).toEqual({ available: 5000, holds: 0, booked: 5000 });
    const suspense = await (await antaca.operator()).get('/operator/suspense').expect(200);
    const entries = (suspense.body as { entries: { command: string; reason: string; body: unknown }[] })
      .entries;
    expect(entries).toContainEqual(
      expect.objectContaining({ command: 'ForceDebit', reason: 'UNREADABLE: payload' }),
    );
    expect(entries.some((entry) => JSON.stringify(entry.body).includes(token))).toBe(true);
  });

  it('applies an encrypted forced debit without needing a Public-Key: its answer has no body', async () => {
    const { balanceId } = await antaca.fundedBalance(5000);
    const forced = JSON.stringify(cardTransaction({ balanceId, amount: 900 }));

    const response = await antaca
      .post('/transactions/force-debit', { payload: handMadeJwe(current.publicKey, forced) })
      .set('Encrypted-Request', 'true');

    expect(response.status).toBe(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: 4100, holds: 900, booked: 5000 });
  });
});

describe('with JWE_REQUIRED=true', () => {
  let strict: TestService;
  let strictAntaca: Antaca;
  /** The strict service's own (generated) key, as Antaca learns it: `GET /public-key`. */
  let strictKey: KeyObject;

  const encryptedTo = (path: string, body: object) =>
    strictAntaca
      .post(path, { payload: handMadeJwe(strictKey, JSON.stringify(body)) })
      .set('Content-Type', `${JWE_CONTENT_TYPE}; charset=utf-8`);

  beforeAll(async () => {
    strict = await startTestService({ JWE_REQUIRED: 'true' });
    strictAntaca = new Antaca(strict);
    const { publicKey } = (await strictAntaca.get('/public-key').expect(200)).body as { publicKey: string };
    strictKey = createPublicKey(Buffer.from(publicKey, 'base64').toString('utf8'));
  });
  afterAll(() => strict.stop());

  it('refuses a plain debit with ENCRYPTION_REQUIRED and applies an encrypted one', async () => {
    const userId = `u-${randomUUID().slice(0, 8)}`;
    const balanceId = randomUUID();
    const operator = await strictAntaca.operator();
    await operator.post('/operator/users', { userId }).expect(201);
    expect((await encryptedTo(`/users/${userId}/balances`, { balanceId, currency: 'PLN' })).status).toBe(204);
    await operator
      .post(`/operator/balances/${balanceId}/credits`, {
        amount: 5000,
        reason: 'transfer',
        reference: 'ref-1',
      })
      .expect(204);

    const plain = await strictAntaca.post(
      '/transactions/debit',
      cardTransaction({ balanceId, amount: 1000 }),
    );
    expectProblem(plain, 400, 'ENCRYPTION_REQUIRED');
    expect(await strictAntaca.figures(balanceId)).toEqual({ available: 5000, holds: 0, booked: 5000 });

    const encrypted = await encryptedTo('/transactions/debit', cardTransaction({ balanceId, amount: 1000 }));
    expect(encrypted.status).toBe(204);
    expect(await strictAntaca.figures(balanceId)).toEqual({ available: 4000, holds: 1000, booked: 5000 });
  });

  it('still answers a GET, which has no body to encrypt, and 404 for an unknown route', async () => {
    await strictAntaca.get(`/users/nobody/balances`).expect(200);
    expectProblem(await strictAntaca.post('/nowhere', { amount: 1 }), 404, 'NOT_FOUND');
  });
});
