import { readFileSync } from 'node:fs';
import type { DevCertificateFiles } from '@app/security';

/** What a client trusts and presents when it calls the callback API over mutual TLS. */
export interface ClientTls {
  /** The CA the server's certificate chains to. */
  readonly ca: Buffer;
  /** The client certificate and its private key (PEM); absent: the client presents none. */
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/** The generated dev client certificate, trusting the dev CA: what `npm start`'s curl line uses. */
export function devClientTls(files: DevCertificateFiles): ClientTls {
  return {
    ca: readFileSync(files.caCertificate),
    cert: readFileSync(files.clientCertificate),
    key: readFileSync(files.clientKey),
  };
}
