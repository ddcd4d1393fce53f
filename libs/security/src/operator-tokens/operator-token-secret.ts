import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '@app/config';

const DEV_SECRET_FILE = 'operator-jwt.secret';

/**
 * The HS256 key of operator tokens: `OPERATOR_JWT_SECRET`, or for a newcomer's first start
 * a random secret generated once under `DATA_DIR` (readable by the owner only), which the
 * `token` CLI command reads too.
 */
export function resolveOperatorSecret(config: Pick<AppConfig, 'dataDir' | 'operator'>): Uint8Array {
  if (config.operator.jwtSecret) return new TextEncoder().encode(config.operator.jwtSecret);
  const file = join(config.dataDir, DEV_SECRET_FILE);
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
}
