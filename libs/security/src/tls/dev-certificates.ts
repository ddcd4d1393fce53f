import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createCertificateAuthority,
  issueKeyAndCertificate,
  type CertificateAndKey,
} from './certificate-authority';

/** The files of the generated development set, under `DATA_DIR/tls`. */
export interface DevCertificateFiles {
  readonly directory: string;
  readonly caCertificate: string;
  readonly caKey: string;
  readonly serverCertificate: string;
  readonly serverKey: string;
  readonly clientCertificate: string;
  readonly clientKey: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const CA_VALIDITY_DAYS = 3650;
const LEAF_VALIDITY_DAYS = 825;
/** A set about to expire is replaced rather than reused, so a start never serves a certificate that dies today. */
const RENEW_BEFORE_MS = DAY_MS;
/** Clocks of the machines that use the certificates may be a little behind ours. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

export function devCertificateFiles(dataDir: string): DevCertificateFiles {
  const directory = join(dataDir, 'tls');
  return {
    directory,
    caCertificate: join(directory, 'ca.pem'),
    caKey: join(directory, 'ca-key.pem'),
    serverCertificate: join(directory, 'server.pem'),
    serverKey: join(directory, 'server-key.pem'),
    clientCertificate: join(directory, 'client.pem'),
    clientKey: join(directory, 'client-key.pem'),
  };
}

/**
 * A newcomer's certificates: a dev CA, a server certificate for localhost, 127.0.0.1 and ::1,
 * and a client certificate signed by the CA. Made on the first start, reused afterwards,
 * remade when a file is missing or a certificate is about to expire. Private keys are
 * readable by the owner only. Returns whether the set was made now.
 */
export async function ensureDevCertificates(
  dataDir: string,
  now: Date = new Date(),
): Promise<{ files: DevCertificateFiles; created: boolean }> {
  const files = devCertificateFiles(dataDir);
  if (isUsable(files, now)) return { files, created: false };

  mkdirSync(dataDir, { recursive: true });
  // Written aside and renamed into place: a start killed half-way never leaves half a set.
  const staging = mkdtempSync(join(dataDir, '.tls-'));
  try {
    writeSet(devCertificateFiles(staging), await generateSet(now));
    rmSync(files.directory, { recursive: true, force: true });
    renameSync(join(staging, 'tls'), files.directory);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return { files, created: true };
}

function isUsable(files: DevCertificateFiles, now: Date): boolean {
  const all = [
    files.caCertificate,
    files.caKey,
    files.serverCertificate,
    files.serverKey,
    files.clientCertificate,
    files.clientKey,
  ];
  if (!all.every((file) => existsSync(file))) return false;
  const renewAt = now.getTime() + RENEW_BEFORE_MS;
  return [files.caCertificate, files.serverCertificate, files.clientCertificate].every(
    (file) => new Date(new X509Certificate(readFileSync(file)).validTo).getTime() > renewAt,
  );
}

interface DevSet {
  readonly ca: CertificateAndKey;
  readonly server: CertificateAndKey;
  readonly client: CertificateAndKey;
}

async function generateSet(now: Date): Promise<DevSet> {
  const notBefore = new Date(now.getTime() - CLOCK_SKEW_MS);
  const ca = await createCertificateAuthority('CN=Antaca callbacks dev CA, O=Development only', {
    notBefore,
    notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS),
  });
  const leaf = { notBefore, notAfter: new Date(now.getTime() + LEAF_VALIDITY_DAYS * DAY_MS) };
  const server = await issueKeyAndCertificate(
    ca,
    { usage: 'server', subject: 'CN=localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1', '::1'] },
    leaf,
  );
  const client = await issueKeyAndCertificate(ca, { usage: 'client', subject: 'CN=Antaca dev client' }, leaf);
  return { ca, server, client };
}

function writeSet(files: DevCertificateFiles, set: DevSet): void {
  mkdirSync(files.directory, { mode: 0o700 });
  const certificate = (file: string, pem: string) => writeFileSync(file, pem, { mode: 0o644, flag: 'wx' });
  const privateKey = (file: string, pem: string) => writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  certificate(files.caCertificate, set.ca.certificatePem);
  privateKey(files.caKey, set.ca.privateKeyPem);
  certificate(files.serverCertificate, set.server.certificatePem);
  privateKey(files.serverKey, set.server.privateKeyPem);
  certificate(files.clientCertificate, set.client.certificatePem);
  privateKey(files.clientKey, set.client.privateKeyPem);
}
