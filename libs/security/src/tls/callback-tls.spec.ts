import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@app/config';
import { loadCallbackTls } from './callback-tls';
import {
  createCertificateAuthority,
  issueKeyAndCertificate,
  type CertificateAndKey,
} from './certificate-authority';
import { devCertificateFiles } from './dev-certificates';

const DAY_MS = 24 * 60 * 60 * 1000;
const now = Date.now();
const valid = { notBefore: new Date(now - DAY_MS), notAfter: new Date(now + 30 * DAY_MS) };
const SERVER = {
  usage: 'server',
  subject: 'CN=localhost',
  dnsNames: ['localhost'],
  ipAddresses: [],
} as const;

describe('loadCallbackTls', () => {
  let folder: string;
  let ca: CertificateAndKey;
  let server: CertificateAndKey;
  /** Another key pair from the same CA, and one that expired yesterday. */
  let other: CertificateAndKey;
  let expired: CertificateAndKey;

  const file = (name: string, content: string) => {
    writeFileSync(join(folder, name), content);
    return join(folder, name);
  };
  const settings = (tls: { certFile?: string; keyFile?: string; clientCaFile?: string }) => ({
    dataDir: join(folder, 'data'),
    tls: {
      certFile: undefined,
      keyFile: undefined,
      clientCaFile: undefined,
      clientAllowedFingerprints: [],
      terminatingProxies: [],
      ...tls,
    },
  });

  beforeAll(async () => {
    ca = await createCertificateAuthority('CN=Client CA', {
      ...valid,
      notAfter: new Date(now + 60 * DAY_MS),
    });
    server = await issueKeyAndCertificate(ca, SERVER, valid);
    other = await issueKeyAndCertificate(ca, SERVER, valid);
    expired = await issueKeyAndCertificate(ca, SERVER, {
      notBefore: new Date(now - 2 * DAY_MS),
      notAfter: new Date(now - DAY_MS),
    });
  });
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'callback-tls-'));
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('asks every client for a certificate from the CA, over TLS 1.2 at least', async () => {
    const tls = await loadCallbackTls(settings({}));
    expect(tls.serverOptions).toMatchObject({
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    });
  });

  it('uses the dev set for every setting left empty', async () => {
    const tls = await loadCallbackTls(settings({}));
    expect(tls.dev).toEqual({
      files: devCertificateFiles(join(folder, 'data')),
      created: true,
      server: true,
      clients: true,
    });

    const withOwnCa = await loadCallbackTls(settings({ clientCaFile: file('ca.pem', ca.certificatePem) }));
    expect(withOwnCa.dev).toMatchObject({ created: false, server: true, clients: false });
    expect(withOwnCa.serverOptions.ca).toEqual(Buffer.from(ca.certificatePem));
  });

  it('makes no dev set when everything is configured', async () => {
    const tls = await loadCallbackTls(
      settings({
        certFile: file('server.pem', server.certificatePem),
        keyFile: file('server-key.pem', server.privateKeyPem),
        clientCaFile: file('ca.pem', ca.certificatePem),
      }),
    );
    expect(tls.dev).toBeUndefined();
    expect(existsSync(join(folder, 'data'))).toBe(false);
  });

  type Files = { certFile?: string; keyFile?: string; clientCaFile?: string };
  const cases: [string, string, RegExp, () => Files][] = [
    [
      'a key that is not the certificate’s',
      'TLS_KEY_FILE',
      /is not the key of the server certificate/,
      () => ({
        keyFile: file('other-key.pem', other.privateKeyPem),
      }),
    ],
    [
      'a key file that is not a key',
      'TLS_KEY_FILE',
      /is not an unencrypted PEM private key/,
      () => ({
        keyFile: file('garbage.pem', 'garbage'),
      }),
    ],
    [
      'a certificate file that is not a certificate',
      'TLS_CERT_FILE',
      /is not a PEM certificate/,
      () => ({
        certFile: file('garbage.pem', 'garbage'),
      }),
    ],
    [
      'an expired server certificate',
      'TLS_CERT_FILE',
      /expired on /,
      () => ({
        certFile: file('expired.pem', expired.certificatePem),
        keyFile: file('expired-key.pem', expired.privateKeyPem),
      }),
    ],
    [
      'a client CA that is not a CA',
      'TLS_CLIENT_CA_FILE',
      /is not a CA certificate/,
      () => ({
        clientCaFile: file('leaf.pem', server.certificatePem),
      }),
    ],
  ];

  it.each(cases)('refuses %s, naming %s', async (_, variable, problem, broken) => {
    const files = {
      certFile: file('server.pem', server.certificatePem),
      keyFile: file('server-key.pem', server.privateKeyPem),
      clientCaFile: file('ca.pem', ca.certificatePem),
    };
    const attempt = loadCallbackTls(settings({ ...files, ...broken() }));
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(new RegExp(`^${variable}: .*${problem.source}`));
  });
});
