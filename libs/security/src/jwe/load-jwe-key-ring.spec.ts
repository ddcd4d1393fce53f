import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@app/config';
import { devKeyFile, loadJweKeyRing } from './load-jwe-key-ring';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jwe-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function keyFile(name: string, pem: string): string {
  const file = join(dir, name);
  writeFileSync(file, pem);
  return file;
}

const rsa = (bits = 2048) => generateKeyPairSync('rsa', { modulusLength: bits });
const pkcs8 = (bits = 2048) => rsa(bits).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** SHA-1 of the SPKI bytes read straight out of the PEM, not through a KeyObject. */
function sha1OfPem(publicPem: string): string {
  const der = Buffer.from(publicPem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
  return createHash('sha1').update(der).digest('hex');
}

async function refusal(files: string[]): Promise<ConfigError> {
  const error: unknown = await loadJweKeyRing(files, dir).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ConfigError);
  const message = (error as ConfigError).message;
  expect(message).toMatch(/^JWE_PRIVATE_KEY_FILE: /);
  expect(message).not.toContain('\n');
  return error as ConfigError;
}

describe('loadJweKeyRing', () => {
  it('generates a development key under DATA_DIR, readable by the owner only, and reuses it', async () => {
    const first = await loadJweKeyRing([], dir);
    expect(first.devKey).toEqual({ file: devKeyFile(dir), created: true });
    expect(statSync(devKeyFile(dir)).mode & 0o777).toBe(0o600);

    const second = await loadJweKeyRing([], dir);
    expect(second.devKey).toEqual({ file: devKeyFile(dir), created: false });
    expect(second.ring.current.kid).toBe(first.ring.current.kid);
  });

  it('makes the first configured key current and keeps the others for rotation, each named by its SHA-1', async () => {
    const newer = rsa();
    const older = rsa();
    const files = [newer, older].map((pair, index) =>
      keyFile(`key-${index}.pem`, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
    );
    const { ring, devKey } = await loadJweKeyRing(files, dir);

    expect(devKey).toBeUndefined();
    const kids = [newer, older].map((pair) =>
      sha1OfPem(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString()),
    );
    expect(ring.keys.map((key) => key.kid)).toEqual(kids);
    expect(ring.current.kid).toBe(kids[0]);
    expect(ring.keyFor(undefined)).toBe(ring.current);
    expect(ring.keyFor(kids[1])).toBe(ring.keys[1]);
  });

  it('shows the current public key as base64 of its PEM, whose SHA-1 is the kid', async () => {
    const { ring } = await loadJweKeyRing([keyFile('key.pem', pkcs8())], dir);
    const pem = Buffer.from(ring.publicKeyBase64, 'base64').toString('utf8');
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(sha1OfPem(pem)).toBe(ring.current.kid);
  });

  describe('refuses to start with one clear line', () => {
    it('for an RSA key in PKCS#1 instead of PKCS#8', async () => {
      const pkcs1 = rsa().privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
      expect((await refusal([keyFile('pkcs1.pem', pkcs1)])).message).toMatch(/PKCS#8/);
    });

    it('for an RSA key shorter than 2048 bits', async () => {
      expect((await refusal([keyFile('short.pem', pkcs8(1024))])).message).toMatch(/1024 bits is too short/);
    });

    it('for an EC key', async () => {
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString();
      expect((await refusal([keyFile('ec.pem', ec)])).message).toMatch(/must be an RSA key \(got ec\)/);
    });

    it('for an encrypted private key', async () => {
      const encrypted = rsa()
        .privateKey.export({
          type: 'pkcs8',
          format: 'pem',
          cipher: 'aes-256-cbc',
          passphrase: 'secret',
        })
        .toString();
      expect((await refusal([keyFile('encrypted.pem', encrypted)])).message).toMatch(/unencrypted PKCS#8/);
    });

    it('for a file that is not a key', async () => {
      const broken = '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n';
      expect((await refusal([keyFile('broken.pem', broken)])).message).toMatch(/not a readable PEM/);
    });

    it('for the same key listed twice', async () => {
      const file = keyFile('key.pem', pkcs8());
      expect((await refusal([file, file])).message).toMatch(/same key twice/);
    });
  });
});
