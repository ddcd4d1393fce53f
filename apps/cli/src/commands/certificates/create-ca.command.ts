import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createCertificateAuthority, sha256Fingerprint } from '@app/security';
import type { CliCommand } from '../../cli-command';
import { validDays, parseCommandOptions, required, validityFromNow, withUsage } from './command-options';

const USAGE = 'create-ca --out <dir> [--subject "CN=Example CA, O=Example"] [--days 3650]';
const MAX_DAYS = 20 * 365;

/**
 * The CA that signs Antaca's client certificate (DOMAIN.md 7): `ca.pem` for `TLS_CLIENT_CA_FILE`
 * and `ca-key.pem`, readable by the owner only, to keep offline. Never overwrites an existing CA.
 */
export const createCaCommand: CliCommand = {
  name: 'create-ca',
  summary: `create a CA for client certificates: ${USAGE}`,
  run: (args) =>
    withUsage(USAGE, async () => {
      const { values } = parseCommandOptions(args, {
        out: { type: 'string' },
        subject: { type: 'string', default: 'CN=Antaca client CA' },
        days: { type: 'string' },
      });
      const directory = resolve(required(values.out, 'out'));
      const ca = await createCertificateAuthority(
        values.subject,
        validityFromNow(validDays(values.days, 3650, MAX_DAYS)),
      );
      mkdirSync(directory, { recursive: true });
      const certificateFile = join(directory, 'ca.pem');
      const keyFile = join(directory, 'ca-key.pem');
      // An existing CA (and every certificate it signed) is never replaced by accident.
      const existing = [certificateFile, keyFile].find((file) => existsSync(file));
      if (existing) throw new Error(`${existing} exists: choose another --out, a CA is never overwritten`);
      writeFileSync(keyFile, ca.privateKeyPem, { mode: 0o600, flag: 'wx' });
      writeFileSync(certificateFile, ca.certificatePem, { mode: 0o644, flag: 'wx' });
      process.stdout.write(
        [
          `CA certificate: ${certificateFile} (set TLS_CLIENT_CA_FILE to it)`,
          `CA private key: ${keyFile} (owner-only; keep it offline)`,
          `SHA-256 fingerprint: ${sha256Fingerprint(ca.certificatePem)}`,
          '',
        ].join('\n'),
      );
      return 0;
    }),
};
