import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '@app/config';
import { OtpCodeCipher } from './otp-code-cipher';

export const DEV_WEBHOOK_SECRET_FILE = 'otp-webhook.secret';
const OUTBOX_KEY_FILE = 'otp-outbox.key';

/**
 * The HMAC key of webhook deliveries: `OTP_WEBHOOK_SECRET`, or for a local run a random
 * secret generated once under `DATA_DIR` (owner-only), so a dev receiver can read it there.
 */
export function resolveOtpWebhookSecret(config: Pick<AppConfig, 'dataDir' | 'otpWebhookSecret'>): {
  readonly secret: Buffer;
  readonly generatedFile: string | undefined;
} {
  if (config.otpWebhookSecret)
    return { secret: Buffer.from(config.otpWebhookSecret, 'utf8'), generatedFile: undefined };
  const file = join(config.dataDir, DEV_WEBHOOK_SECRET_FILE);
  const text = readOrCreate(file, () => randomBytes(48).toString('base64url'));
  return { secret: Buffer.from(text.trim(), 'utf8'), generatedFile: file };
}

/** The outbox's encryption key, generated on first start (see `OtpCodeCipher`). */
export function loadOtpCodeCipher(dataDir: string): OtpCodeCipher {
  const text = readOrCreate(join(dataDir, OUTBOX_KEY_FILE), () => OtpCodeCipher.newKey().toString('base64'));
  return new OtpCodeCipher(Buffer.from(text.trim(), 'base64'));
}

/** Creates the file exclusively (a concurrent first start keeps the winner's value). */
function readOrCreate(file: string, create: () => string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(join(file, '..'), { recursive: true });
  try {
    writeFileSync(file, create(), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8');
}
