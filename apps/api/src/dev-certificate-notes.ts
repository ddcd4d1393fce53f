import type { DevCertificateUse } from '@app/security';

/** Hosts the dev server certificate is valid for, or that reach it on this machine. */
const LOCAL_HOSTS = new Set(['127.0.0.1', '::1', 'localhost', '0.0.0.0', '::']);

/**
 * What a newcomer needs after the first `npm start`: where the generated certificates are and,
 * when the dev set serves both sides, a `curl` line that works as is.
 */
export function devCertificateNotes(dev: DevCertificateUse, callbackUrl: string): string[] {
  const { files } = dev;
  const notes = [
    `${dev.created ? 'Generated' : 'Using'} dev certificates in ${files.directory} (TLS_* settings left empty)`,
  ];
  if (dev.server) {
    notes.push(`Server certificate ${files.serverCertificate}, signed by the dev CA ${files.caCertificate}`);
  }
  if (dev.clients) {
    notes.push(
      `Client certificates must chain to the dev CA ${files.caCertificate}; one is ready: ${files.clientCertificate} with key ${files.clientKey}`,
    );
  }
  if (dev.server && dev.clients) {
    const url = new URL('/users/1/balances', callbackUrl);
    if (LOCAL_HOSTS.has(url.hostname.replace(/^\[(.*)\]$/, '$1'))) url.hostname = 'localhost';
    const curl = [
      'curl',
      ...['--cert', shellQuoted(files.clientCertificate)],
      ...['--key', shellQuoted(files.clientKey)],
      ...['--cacert', shellQuoted(files.caCertificate)],
      url.toString(),
    ];
    notes.push(`Try: ${curl.join(' ')}`);
  }
  return notes;
}

function shellQuoted(text: string): string {
  return /^[\w./:@%+=-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
