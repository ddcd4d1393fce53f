import { createPrivateKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { ConfigError } from '@app/config';
import { JweKeyRing, MIN_RSA_MODULUS_BITS, jweKeyOf, type JweKey } from './jwe-key-ring';

const SETTING = 'JWE_PRIVATE_KEY_FILE';
const PKCS8_LABEL = '-----BEGIN PRIVATE KEY-----';

export interface LoadedJweKeys {
  readonly ring: JweKeyRing;
  /** Set when no key is configured: the development key in use, and whether this start made it. */
  readonly devKey?: { readonly file: string; readonly created: boolean };
}

/**
 * The key ring from `JWE_PRIVATE_KEY_FILE` (first is current), or, when none is configured,
 * a development key under `DATA_DIR/jwe`, generated on the first start and reused after.
 * A file that is not an unencrypted RSA PKCS#8 PEM key of 2048 bits or more stops the start.
 */
export async function loadJweKeyRing(files: readonly string[], dataDir: string): Promise<LoadedJweKeys> {
  const [first, ...others] = files;
  if (first !== undefined) {
    const keys: [JweKey, ...JweKey[]] = [readJweKeyFile(first), ...others.map(readJweKeyFile)];
    if (new Set(keys.map((key) => key.kid)).size !== keys.length) {
      throw new ConfigError(SETTING, 'lists the same key twice');
    }
    return { ring: new JweKeyRing(keys) };
  }
  const file = devKeyFile(dataDir);
  const created = !existsSync(file);
  if (created) await writeDevKey(file);
  return { ring: new JweKeyRing([readJweKeyFile(file)]), devKey: { file, created } };
}

export function devKeyFile(dataDir: string): string {
  return join(dataDir, 'jwe', 'dev-private-key.pem');
}

/** Reads one configured key; every refusal is one line naming the setting and the file. */
export function readJweKeyFile(file: string): JweKey {
  const refuse = (problem: string) => new ConfigError(SETTING, `${file}: ${problem}`);
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    throw refuse('cannot be read');
  }
  if (!pem.includes(PKCS8_LABEL)) {
    throw refuse(`must be an unencrypted PKCS#8 PEM private key ("${PKCS8_LABEL}")`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw refuse('is not a readable PEM private key');
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw refuse(`must be an RSA key (got ${key.asymmetricKeyType ?? 'an unknown type'})`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_MODULUS_BITS) {
    throw refuse(`an RSA key of ${bits} bits is too short; at least ${MIN_RSA_MODULUS_BITS} are required`);
  }
  return jweKeyOf(key);
}

/** Written to a temporary name and renamed, so a crash never leaves half a key behind. */
async function writeDevKey(file: string): Promise<void> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: MIN_RSA_MODULUS_BITS });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' });
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, pem, { mode: 0o600 });
  renameSync(temporary, file);
}
