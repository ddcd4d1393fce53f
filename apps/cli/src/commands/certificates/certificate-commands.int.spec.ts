import { X509Certificate, createHash, webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer as createTlsServer } from 'node:tls';
import { createCertificateAuthority, issueKeyAndCertificate } from '@app/security';
import { x509 } from '../../../../../libs/security/src/tls/x509';
import { createCaCommand } from './create-ca.command';
import { fingerprintCommand } from './fingerprint.command';
import { signCsrCommand } from './sign-csr.command';

/** Runs a command, capturing what it writes. */
async function run(command: { run(args: readonly string[]): Promise<number> }, args: string[]) {
  let stdout = '';
  let stderr = '';
  const out = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await command.run(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** Antaca's side of the enrolment: its own key pair and a CSR for it. */
async function antacaKeyAndCsr(): Promise<{ keyPem: string; csrPem: string }> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'CN=antaca.verestro.example',
    keys,
    signingAlgorithm: algorithm,
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { keyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'), csrPem: csr.toString('pem') };
}

describe('the certificate commands', () => {
  let folder: string;

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'cli-certificates-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('create-ca writes a CA certificate and an owner-only key, and never overwrites them', async () => {
    const out = join(folder, 'ca');
    const created = await run(createCaCommand, [
      '--out',
      out,
      '--subject',
      'CN=Fintech client CA, O=Fintech',
    ]);
    expect(created.code).toBe(0);
    const caPem = readFileSync(join(out, 'ca.pem'), 'utf8');
    const ca = new X509Certificate(caPem);
    expect(ca.ca).toBe(true);
    expect(ca.subject).toBe('CN=Fintech client CA\nO=Fintech');
    expect(statSync(join(out, 'ca-key.pem')).mode & 0o777).toBe(0o600);
    expect(created.stdout).toContain(`TLS_CLIENT_CA_FILE`);

    await expect(run(createCaCommand, ['--out', out])).rejects.toThrow(/exists: choose another --out/);
    expect(readFileSync(join(out, 'ca.pem'), 'utf8')).toBe(caPem);
  });

  it("sign-csr turns Antaca's CSR into a client certificate that passes a real mutual TLS handshake", async () => {
    const caFolder = join(folder, 'ca');
    await run(createCaCommand, ['--out', caFolder]);
    const antaca = await antacaKeyAndCsr();
    writeFileSync(join(folder, 'antaca.csr'), antaca.csrPem);
    const certificateFile = join(folder, 'antaca.pem');

    const signed = await run(signCsrCommand, [
      ...['--ca', join(caFolder, 'ca.pem'), '--ca-key', join(caFolder, 'ca-key.pem')],
      ...['--csr', join(folder, 'antaca.csr'), '--days', '30', '--out', certificateFile],
    ]);
    expect(signed.code).toBe(0);
    const certificatePem = readFileSync(certificateFile, 'utf8');
    const fingerprint = createHash('sha256').update(new X509Certificate(certificatePem).raw).digest('hex');
    expect(signed.stderr).toContain('CN=antaca.verestro.example');
    expect(signed.stderr).toContain(fingerprint);

    const caPem = readFileSync(join(caFolder, 'ca.pem'), 'utf8');
    const peerSubject = await handshakeWith(
      { ca: caPem, caKey: readFileSync(join(caFolder, 'ca-key.pem'), 'utf8') },
      { cert: certificatePem, key: antaca.keyPem },
    );
    expect(peerSubject).toBe('antaca.verestro.example');
  });

  it('sign-csr prints the certificate when no --out is given, and refuses a missing option with its usage', async () => {
    const caFolder = join(folder, 'ca');
    await run(createCaCommand, ['--out', caFolder]);
    writeFileSync(join(folder, 'antaca.csr'), (await antacaKeyAndCsr()).csrPem);
    const args = ['--ca', join(caFolder, 'ca.pem'), '--ca-key', join(caFolder, 'ca-key.pem')];

    const printed = await run(signCsrCommand, [...args, '--csr', join(folder, 'antaca.csr')]);
    expect(printed.code).toBe(0);
    expect(new X509Certificate(printed.stdout).subject).toBe('CN=antaca.verestro.example');

    const missing = await run(signCsrCommand, args);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^--csr is required\nUsage: npm run cli -- sign-csr /);
    const badDays = await run(signCsrCommand, [...args, '--csr', join(folder, 'antaca.csr'), '--days', '0']);
    expect(badDays.code).toBe(2);
    const unknown = await run(signCsrCommand, [...args, '--csr', join(folder, 'antaca.csr'), '--force']);
    expect(unknown.code).toBe(2);
  });

  it('fingerprint prints the SHA-256 of the certificate, as TLS_CLIENT_ALLOWED_FINGERPRINTS takes it', async () => {
    const ca = await createCertificateAuthority('CN=Any', {
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 86_400_000),
    });
    const file = join(folder, 'ca.pem');
    writeFileSync(file, ca.certificatePem);
    const expected = createHash('sha256').update(new X509Certificate(ca.certificatePem).raw).digest('hex');

    expect(await run(fingerprintCommand, [file])).toEqual({ code: 0, stdout: `${expected}\n`, stderr: '' });
    expect((await run(fingerprintCommand, [])).code).toBe(2);
    writeFileSync(join(folder, 'not.pem'), 'hello');
    await expect(run(fingerprintCommand, [join(folder, 'not.pem')])).rejects.toThrow('is not a certificate');
  });
});

/**
 * A TLS server trusting `authority` for client certificates (its own certificate is signed by
 * the same CA), and a client presenting `client`: resolves with the client subject's CN the
 * server saw once the handshake succeeded on both sides.
 */
async function handshakeWith(
  authority: { ca: string; caKey: string },
  client: { cert: string; key: string },
): Promise<string> {
  const validity = { notBefore: new Date(Date.now() - 60_000), notAfter: new Date(Date.now() + 86_400_000) };
  const server = await issueKeyAndCertificate(
    { certificatePem: authority.ca, privateKeyPem: authority.caKey },
    { usage: 'server', subject: 'CN=localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] },
    validity,
  );
  const tlsServer = createTlsServer({
    cert: server.certificatePem,
    key: server.privateKeyPem,
    ca: authority.ca,
    requestCert: true,
    rejectUnauthorized: true,
  });
  const seen = new Promise<string>((resolve) =>
    tlsServer.once('secureConnection', (socket) => {
      resolve(String(socket.getPeerCertificate().subject.CN));
      socket.end();
    }),
  );
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = tlsServer.address() as AddressInfo;
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, ca: authority.ca, ...client }, () => {
        socket.end();
        resolve();
      });
      socket.once('error', reject);
    });
    return await seen;
  } finally {
    tlsServer.close();
  }
}
