import { X509Certificate, createPrivateKey, webcrypto } from 'node:crypto';
import {
  createCertificateAuthority,
  issueKeyAndCertificate,
  signCertificateRequest,
  type CertificateAndKey,
} from './certificate-authority';
import { x509 } from './x509';

const DAY_MS = 24 * 60 * 60 * 1000;
const now = Date.now();
const oneYear = { notBefore: new Date(now - 60_000), notAfter: new Date(now + 365 * DAY_MS) };
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

/** What Antaca does on its side: a key pair of its own and a CSR for it. */
async function antacaCsr(
  extensions: x509.Extension[] = [],
): Promise<{ csrPem: string; publicKeyDer: ArrayBuffer }> {
  const algorithm = {
    name: 'RSASSA-PKCS1-v1_5',
    hash: 'SHA-256',
    publicExponent: new Uint8Array([1, 0, 1]),
    modulusLength: 2048,
  };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'CN=antaca.verestro.example, O=Verestro',
    keys,
    signingAlgorithm: algorithm,
    extensions,
  });
  return {
    csrPem: csr.toString('pem'),
    publicKeyDer: await webcrypto.subtle.exportKey('spki', keys.publicKey),
  };
}

function expectIssuedBy(certificatePem: string, ca: CertificateAndKey): X509Certificate {
  const certificate = new X509Certificate(certificatePem);
  const authority = new X509Certificate(ca.certificatePem);
  expect(certificate.checkIssued(authority)).toBe(true);
  expect(certificate.verify(authority.publicKey)).toBe(true);
  return certificate;
}

describe('the certificate authority', () => {
  let ca: CertificateAndKey;

  beforeAll(async () => {
    ca = await createCertificateAuthority('CN=Fintech client CA, O=Fintech', oneYear);
  });

  it('creates a self-signed CA certificate with its key', () => {
    const certificate = expectIssuedBy(ca.certificatePem, ca);
    expect(certificate.ca).toBe(true);
    expect(certificate.subject).toBe('CN=Fintech client CA\nO=Fintech');
    expect(certificate.checkPrivateKey(createPrivateKey(ca.privateKeyPem))).toBe(true);
  });

  it('issues a server certificate for the names and addresses it answers to', async () => {
    const server = await issueKeyAndCertificate(
      ca,
      {
        usage: 'server',
        subject: 'CN=localhost',
        dnsNames: ['localhost'],
        ipAddresses: ['127.0.0.1', '::1'],
      },
      oneYear,
    );
    const certificate = expectIssuedBy(server.certificatePem, ca);
    expect(certificate.ca).toBe(false);
    expect(certificate.keyUsage).toEqual([SERVER_AUTH]);
    expect(certificate.checkHost('localhost')).toBe('localhost');
    expect(certificate.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(certificate.checkIP('::1')).toBe('::1');
    expect(certificate.checkHost('example.com')).toBeUndefined();
    expect(certificate.checkPrivateKey(createPrivateKey(server.privateKeyPem))).toBe(true);
  });

  it("signs Antaca's CSR as a client certificate for its subject and its key", async () => {
    const { csrPem, publicKeyDer } = await antacaCsr();
    const certificate = expectIssuedBy(await signCertificateRequest(ca, csrPem, oneYear), ca);
    expect(certificate.subject).toBe('CN=antaca.verestro.example\nO=Verestro');
    expect(certificate.publicKey.export({ type: 'spki', format: 'der' })).toEqual(Buffer.from(publicKeyDer));
    expect(certificate.keyUsage).toEqual([CLIENT_AUTH]);
    expect(certificate.ca).toBe(false);
    expect(new Date(certificate.validTo).getTime()).toBe(
      Math.floor(oneYear.notAfter.getTime() / 1000) * 1000,
    );
  });

  it('grants a client certificate whatever extensions the CSR asks for', async () => {
    const { csrPem } = await antacaCsr([new x509.BasicConstraintsExtension(true, undefined, true)]);
    const certificate = expectIssuedBy(await signCertificateRequest(ca, csrPem, oneYear), ca);
    expect(certificate.ca).toBe(false);
    expect(certificate.keyUsage).toEqual([CLIENT_AUTH]);
  });

  it('refuses a CSR whose signature does not match its content', async () => {
    const { csrPem } = await antacaCsr();
    const der = Buffer.from(x509.PemConverter.decodeFirst(csrPem));
    der[der.length - 1]! ^= 0x01;
    const tampered = x509.PemConverter.encode(der, 'CERTIFICATE REQUEST');
    await expect(signCertificateRequest(ca, tampered, oneYear)).rejects.toThrow(
      'The certificate signing request has a bad signature',
    );
  });

  it('refuses what is not a CSR', async () => {
    await expect(signCertificateRequest(ca, ca.certificatePem, oneYear)).rejects.toThrow(
      'Not a PEM certificate signing request',
    );
  });

  it('refuses a CA key that does not belong to the CA certificate', async () => {
    const other = await createCertificateAuthority('CN=Other CA', oneYear);
    const { csrPem } = await antacaCsr();
    await expect(
      signCertificateRequest(
        { certificatePem: ca.certificatePem, privateKeyPem: other.privateKeyPem },
        csrPem,
        oneYear,
      ),
    ).rejects.toThrow('The CA key does not belong to the CA certificate');
  });

  it('refuses to sign with a certificate that is not a CA', async () => {
    const leaf = await issueKeyAndCertificate(ca, { usage: 'client', subject: 'CN=leaf' }, oneYear);
    const { csrPem } = await antacaCsr();
    await expect(signCertificateRequest(leaf, csrPem, oneYear)).rejects.toThrow('not a CA');
  });

  it('refuses a certificate that would outlive the CA, or that ends before it starts', async () => {
    const { csrPem } = await antacaCsr();
    const longer = { notBefore: oneYear.notBefore, notAfter: new Date(now + 366 * DAY_MS) };
    await expect(signCertificateRequest(ca, csrPem, longer)).rejects.toThrow(/^The CA expires on /);
    const backwards = { notBefore: oneYear.notAfter, notAfter: oneYear.notBefore };
    await expect(signCertificateRequest(ca, csrPem, backwards)).rejects.toThrow(
      'A certificate must start before it ends',
    );
  });

  it('signs with an RSA CA key in the PKCS#1 form openssl writes', async () => {
    const algorithm = {
      name: 'RSASSA-PKCS1-v1_5',
      hash: 'SHA-256',
      publicExponent: new Uint8Array([1, 0, 1]),
      modulusLength: 2048,
    };
    const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
    const rsaCa = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=RSA CA',
      keys,
      signingAlgorithm: algorithm,
      ...oneYear,
      extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
    });
    const pkcs1 = createPrivateKey({
      key: Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)),
      format: 'der',
      type: 'pkcs8',
    })
      .export({ type: 'pkcs1', format: 'pem' })
      .toString();
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    const issuer = { certificatePem: rsaCa.toString('pem'), privateKeyPem: pkcs1 };
    const { csrPem } = await antacaCsr();
    expectIssuedBy(await signCertificateRequest(issuer, csrPem, oneYear), issuer);
  });
});
