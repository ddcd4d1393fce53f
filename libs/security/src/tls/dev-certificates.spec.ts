import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devCertificateFiles, ensureDevCertificates } from './dev-certificates';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('the dev certificates', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dev-tls-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('are made on the first start: a CA, a server certificate for the loopback names, a client certificate', async () => {
    const { files, created } = await ensureDevCertificates(dataDir);
    expect(created).toBe(true);
    expect(files).toEqual(devCertificateFiles(dataDir));
    const ca = new X509Certificate(readFileSync(files.caCertificate));
    const server = new X509Certificate(readFileSync(files.serverCertificate));
    const client = new X509Certificate(readFileSync(files.clientCertificate));
    expect(ca.ca).toBe(true);
    expect(server.checkIssued(ca) && server.verify(ca.publicKey)).toBe(true);
    expect(client.checkIssued(ca) && client.verify(ca.publicKey)).toBe(true);
    expect(server.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(server.checkPrivateKey(createPrivateKey(readFileSync(files.serverKey)))).toBe(true);
    expect(client.checkPrivateKey(createPrivateKey(readFileSync(files.clientKey)))).toBe(true);
  });

  it('keep their private keys readable by the owner only', async () => {
    const { files } = await ensureDevCertificates(dataDir);
    for (const key of [files.caKey, files.serverKey, files.clientKey]) {
      expect(statSync(key).mode & 0o777).toBe(0o600);
    }
    expect(statSync(files.directory).mode & 0o777).toBe(0o700);
  });

  it('are reused on later starts', async () => {
    const first = await ensureDevCertificates(dataDir);
    const ca = readFileSync(first.files.caCertificate, 'utf8');
    const second = await ensureDevCertificates(dataDir);
    expect(second.created).toBe(false);
    expect(readFileSync(second.files.caCertificate, 'utf8')).toBe(ca);
  });

  it('are made again when a file is missing', async () => {
    const { files } = await ensureDevCertificates(dataDir);
    const ca = readFileSync(files.caCertificate, 'utf8');
    rmSync(files.clientKey);
    const again = await ensureDevCertificates(dataDir);
    expect(again.created).toBe(true);
    expect(readFileSync(files.caCertificate, 'utf8')).not.toBe(ca);
  });

  it('are made again when a certificate is about to expire', async () => {
    const { files } = await ensureDevCertificates(dataDir);
    const server = new X509Certificate(readFileSync(files.serverCertificate));
    const dayBeforeExpiry = new Date(new Date(server.validTo).getTime() - DAY_MS / 2);
    const again = await ensureDevCertificates(dataDir, dayBeforeExpiry);
    expect(again.created).toBe(true);
    expect(readFileSync(files.serverCertificate, 'utf8')).not.toBe(server.toString());
  });
});
