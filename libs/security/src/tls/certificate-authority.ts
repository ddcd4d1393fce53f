import {
  X509Certificate as NodeX509Certificate,
  createPrivateKey,
  createPublicKey,
  randomBytes,
} from 'node:crypto';
import {
  generateKeyPair,
  privateKeyToPem,
  signingKeyFromPem,
  x509,
  type CryptoKey,
  type SigningKey,
} from './x509';

/** A certificate and its private key, both PEM. */
export interface CertificateAndKey {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

export interface Validity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** What a leaf certificate is for: the server side of TLS (with the names it answers to) or a client. */
export type LeafProfile =
  | {
      readonly usage: 'server';
      readonly subject: string;
      readonly dnsNames: readonly string[];
      readonly ipAddresses: readonly string[];
    }
  | { readonly usage: 'client'; readonly subject: string };

/** A self-signed CA that signs leaf certificates only (path length 0). `subject` like `CN=Example CA, O=Example`. */
export async function createCertificateAuthority(
  subject: string,
  validity: Validity,
): Promise<CertificateAndKey> {
  assertValidity(validity);
  const { publicKey, signing } = await generateKeyPair();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject,
    issuer: subject,
    ...validity,
    publicKey,
    signingKey: signing.key,
    signingAlgorithm: signing.algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
    ],
  });
  return { certificatePem: certificate.toString('pem'), privateKeyPem: await privateKeyToPem(signing.key) };
}

/** A new key pair and its certificate, signed by `issuer`. */
export async function issueKeyAndCertificate(
  issuer: CertificateAndKey,
  profile: LeafProfile,
  validity: Validity,
): Promise<CertificateAndKey> {
  const { publicKey, signing } = await generateKeyPair();
  return {
    certificatePem: await issueCertificate(issuer, publicKey, profile, validity),
    privateKeyPem: await privateKeyToPem(signing.key),
  };
}

/**
 * The mutual-TLS enrolment of the seeds: Antaca sends a certificate signing request and the
 * client signs it with its own CA. The request's signature proves Antaca holds the key; only its
 * subject and public key are taken: the certificate is a client certificate whatever the request
 * asks for (extensions in a CSR are the requester's wishes, not ours to grant).
 */
export async function signCertificateRequest(
  issuer: CertificateAndKey,
  csrPem: string,
  validity: Validity,
): Promise<string> {
  let request: x509.Pkcs10CertificateRequest;
  try {
    request = new x509.Pkcs10CertificateRequest(csrPem);
  } catch {
    throw new Error('Not a PEM certificate signing request (BEGIN CERTIFICATE REQUEST)');
  }
  if (!(await request.verify())) throw new Error('The certificate signing request has a bad signature');
  return issueCertificate(issuer, request.publicKey, { usage: 'client', subject: request.subject }, validity);
}

async function issueCertificate(
  issuer: CertificateAndKey,
  publicKey: CryptoKey | x509.PublicKey,
  profile: LeafProfile,
  validity: Validity,
): Promise<string> {
  assertValidity(validity);
  const authority = await loadAuthority(issuer);
  // X.509 times have whole seconds.
  if (Math.floor(validity.notAfter.getTime() / 1000) > authority.certificate.notAfter.getTime() / 1000) {
    throw new Error(
      `The CA expires on ${authority.certificate.notAfter.toISOString()}, before the certificate would`,
    );
  }
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: profile.subject,
    issuer: authority.certificate.subject,
    ...validity,
    publicKey,
    signingKey: authority.signing.key,
    signingAlgorithm: authority.signing.algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(
        [profile.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth],
        false,
      ),
      ...(profile.usage === 'server'
        ? [
            new x509.SubjectAlternativeNameExtension([
              ...profile.dnsNames.map((value) => ({ type: 'dns' as const, value })),
              ...profile.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
            ]),
          ]
        : []),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(authority.certificate.publicKey),
    ],
  });
  return certificate.toString('pem');
}

/** The CA certificate and its key, checked to belong together and to be a CA. */
async function loadAuthority(
  issuer: CertificateAndKey,
): Promise<{ certificate: x509.X509Certificate; signing: SigningKey }> {
  const certificate = new x509.X509Certificate(issuer.certificatePem);
  const basic = certificate.getExtension(x509.BasicConstraintsExtension);
  if (!basic?.ca) throw new Error('The issuer certificate is not a CA (basicConstraints CA:TRUE missing)');
  const spkiOfKey = createPublicKey(createPrivateKey(issuer.privateKeyPem)).export({
    type: 'spki',
    format: 'der',
  });
  const spkiOfCertificate = new NodeX509Certificate(issuer.certificatePem).publicKey.export({
    type: 'spki',
    format: 'der',
  });
  if (!spkiOfKey.equals(spkiOfCertificate))
    throw new Error('The CA key does not belong to the CA certificate');
  return { certificate, signing: await signingKeyFromPem(issuer.privateKeyPem) };
}

function assertValidity({ notBefore, notAfter }: Validity): void {
  if (!(notBefore.getTime() < notAfter.getTime())) throw new Error('A certificate must start before it ends');
}

/** 128 random bits, positive and without a leading zero byte, as RFC 5280 4.1.2.2 asks. */
function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes.toString('hex');
}
