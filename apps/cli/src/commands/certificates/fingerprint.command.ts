import { readFileSync } from 'node:fs';
import { sha256Fingerprint } from '@app/security';
import type { CliCommand } from '../../cli-command';
import { parseCommandOptions, UsageError, withUsage } from './command-options';

const USAGE = 'fingerprint <cert.pem>';

/** The SHA-256 fingerprint of a certificate (PEM or DER), in the form `TLS_CLIENT_ALLOWED_FINGERPRINTS` takes. */
export const fingerprintCommand: CliCommand = {
  name: 'fingerprint',
  summary: `print a certificate's SHA-256 fingerprint: ${USAGE}`,
  run: (args) =>
    withUsage(USAGE, async () => {
      const [file] = parseCommandOptions(args, {}, 1).positionals;
      if (file === undefined) throw new UsageError('Give the certificate file');
      const content = readFileSync(file);
      let fingerprint: string;
      try {
        fingerprint = sha256Fingerprint(content);
      } catch {
        throw new Error(`${file} is not a certificate (PEM or DER)`);
      }
      process.stdout.write(`${fingerprint}\n`);
      return 0;
    }),
};
