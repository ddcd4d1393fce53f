import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { signCertificateRequest, sha256Fingerprint } from '@app/security';
import type { CliCommand } from '../../cli-command';
import { validDays, parseCommandOptions, required, validityFromNow, withUsage } from './command-options';

const USAGE =
  'sign-csr --ca <ca.pem> --ca-key <ca-key.pem> --csr <request.pem> [--days 365] [--out <cert.pem>]';
const MAX_DAYS = 3650;

/**
 * Antaca sends a certificate signing request; this signs it with our CA as a client
 * certificate (the certificate goes back to Antaca). The certificate is written to `--out`
 * (never overwriting) or printed; its subject and fingerprint go to stderr, for the records
 * and for `TLS_CLIENT_ALLOWED_FINGERPRINTS`.
 */
export const signCsrCommand: CliCommand = {
  name: 'sign-csr',
  summary: `sign a client certificate request with the CA: ${USAGE}`,
  run: (args) =>
    withUsage(USAGE, async () => {
      const { values } = parseCommandOptions(args, {
        ca: { type: 'string' },
        'ca-key': { type: 'string' },
        csr: { type: 'string' },
        days: { type: 'string' },
        out: { type: 'string' },
      });
      const issuer = {
        certificatePem: readFileSync(required(values.ca, 'ca'), 'utf8'),
        privateKeyPem: readFileSync(required(values['ca-key'], 'ca-key'), 'utf8'),
      };
      const csr = readFileSync(required(values.csr, 'csr'), 'utf8');
      const certificate = await signCertificateRequest(
        issuer,
        csr,
        validityFromNow(validDays(values.days, 365, MAX_DAYS)),
      );
      if (values.out) writeFileSync(values.out, certificate, { mode: 0o644, flag: 'wx' });
      else process.stdout.write(certificate);
      const { subject, validTo } = new X509Certificate(certificate);
      process.stderr.write(
        `Signed a client certificate for ${subject.replaceAll('\n', ', ')}, valid until ${validTo}\n` +
          `SHA-256 fingerprint: ${sha256Fingerprint(certificate)}\n`,
      );
      return 0;
    }),
};
