import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type SecureVersion } from 'node:tls';
import {
  createCertificateAuthority,
  issueKeyAndCertificate,
  sha256Fingerprint,
  withColons,
  type CertificateAndKey,
} from '@app/security';
import { Antaca, cardTransaction } from '../support/antaca';
import type { ClientTls } from '../support/client-tls';
import { expectProblem } from '../support/problems';
import { startTestService, type TestService } from '../support/service';

const DAY_MS = 24 * 60 * 60 * 1000;
const now = Date.now();
const caValidity = { notBefore: new Date(now - 30 * DAY_MS), notAfter: new Date(now + 365 * DAY_MS) };
const valid = { notBefore: new Date(now - DAY_MS), notAfter: new Date(now + 90 * DAY_MS) };
const CA_SUBJECT = 'CN=Fintech client CA, O=Fintech';
const ANTACA = { usage: 'client', subject: 'CN=antaca.verestro.example, O=Verestro' } as const;

/** Every certificate a client might come with; only `good` is both from our CA, valid now and pinned. */
interface Certificates {
  readonly ca: CertificateAndKey;
  readonly server: CertificateAndKey;
  readonly good: CertificateAndKey;
  readonly expired: CertificateAndKey;
  readonly notYetValid: CertificateAndKey;
  readonly fromRogueCa: CertificateAndKey;
  readonly pinnedOut: CertificateAndKey;
  readonly selfSignedCopy: CertificateAndKey;
}

async function makeCertificates(): Promise<Certificates> {
  const ca = await createCertificateAuthority(CA_SUBJECT, caValidity);
  // Same name as our CA, another key: only the signature tells them apart.
  const rogueCa = await createCertificateAuthority(CA_SUBJECT, caValidity);
  return {
    ca,
    server: await issueKeyAndCertificate(
      ca,
      { usage: 'server', subject: 'CN=localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] },
      valid,
    ),
    good: await issueKeyAndCertificate(ca, ANTACA, valid),
    expired: await issueKeyAndCertificate(ca, ANTACA, {
      notBefore: new Date(now - 20 * DAY_MS),
      notAfter: new Date(now - DAY_MS),
    }),
    notYetValid: await issueKeyAndCertificate(ca, ANTACA, {
      notBefore: new Date(now + DAY_MS),
      notAfter: new Date(now + 20 * DAY_MS),
    }),
    fromRogueCa: await issueKeyAndCertificate(rogueCa, ANTACA, valid),
    pinnedOut: await issueKeyAndCertificate(
      ca,
      { usage: 'client', subject: 'CN=someone.else.example' },
      valid,
    ),
    selfSignedCopy: await createCertificateAuthority(ANTACA.subject, valid),
  };
}

describe('mutual TLS on the callback API', () => {
  const folder = mkdtempSync(join(tmpdir(), 'mtls-'));
  let certificates: Certificates;
  let service: TestService;
  let antaca: Antaca;
  let port: number;

  /** A client trusting the server's CA and presenting `certificate` (or nothing). */
  const clientWith = (certificate: CertificateAndKey | undefined): ClientTls => ({
    ca: Buffer.from(certificates.ca.certificatePem),
    ...(certificate && {
      cert: Buffer.from(certificate.certificatePem),
      key: Buffer.from(certificate.privateKeyPem),
    }),
  });

  beforeAll(async () => {
    certificates = await makeCertificates();
    const file = (name: string, pem: string) => {
      writeFileSync(join(folder, name), pem);
      return join(folder, name);
    };
    service = await startTestService({
      TLS_CERT_FILE: file('server.pem', certificates.server.certificatePem),
      TLS_KEY_FILE: file('server-key.pem', certificates.server.privateKeyPem),
      TLS_CLIENT_CA_FILE: file('ca.pem', certificates.ca.certificatePem),
      // The colon form, upper case, as `openssl x509 -fingerprint -sha256` prints it.
      TLS_CLIENT_ALLOWED_FINGERPRINTS: withColons(sha256Fingerprint(certificates.good.certificatePem)),
    });
    antaca = new Antaca(service, clientWith(certificates.good));
    port = Number(new URL(service.callbackUrl).port);
  });
  afterAll(async () => {
    await service.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  /** The status of the answer, or how the connection was refused (the TLS alert the server sent). */
  async function outcomeOf(call: PromiseLike<{ status: number }>): Promise<number | string> {
    try {
      return (await call).status;
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      return `refused: ${code ?? ''} ${message}`;
    }
  }

  const refusals: [string, (all: Certificates) => CertificateAndKey | undefined][] = [
    ['no certificate', () => undefined],
    ['an expired certificate', (all) => all.expired],
    ['a certificate not yet valid', (all) => all.notYetValid],
    ['a certificate from a rogue CA with our CA’s name', (all) => all.fromRogueCa],
    ['a self-signed copy of the good subject', (all) => all.selfSignedCopy],
  ];

  it('lets the good certificate through: a debit is applied', async () => {
    const { balanceId } = await antaca.fundedBalance(1000);
    const debit = await antaca.post('/transactions/debit', cardTransaction({ balanceId, amount: 100 }));
    expect(debit.status).toBe(204);
    expect(await antaca.figures(balanceId)).toEqual({ available: 900, holds: 100, booked: 1000 });
  });

  it.each(refusals)('refuses %s in the TLS handshake, and applies nothing', async (_, pick) => {
    const intruder = new Antaca(service, clientWith(pick(certificates)));
    const { balanceId } = await antaca.fundedBalance(1000);
    const userId = `u-${randomUUID().slice(0, 8)}`;
    await (await antaca.operator()).post('/operator/users', { userId }).expect(201);
    const newBalanceId = randomUUID();

    const debit = await outcomeOf(
      intruder.post('/transactions/debit', cardTransaction({ balanceId, amount: 100 })),
    );
    const link = await outcomeOf(
      intruder.post(`/users/${userId}/balances`, { balanceId: newBalanceId, currency: 'PLN' }),
    );

    // The server's alert (or its closing the socket), not the client's own refusal of the server.
    for (const outcome of [debit, link]) {
      expect(outcome).toMatch(/^refused: .*(alert|ECONNRESET|socket hang up)/i);
    }
    expect(await antaca.figures(balanceId)).toEqual({ available: 1000, holds: 0, booked: 1000 });
    await (await antaca.operator()).get(`/operator/balances/${newBalanceId}`).expect(404);
  });

  it('answers a pinned-out certificate from our CA 401 before reading the body, and applies nothing', async () => {
    const pinnedOut = new Antaca(service, clientWith(certificates.pinnedOut));
    const { balanceId } = await antaca.fundedBalance(1000);
    const userId = `u-${randomUUID().slice(0, 8)}`;
    await (await antaca.operator()).post('/operator/users', { userId }).expect(201);
    const newBalanceId = randomUUID();

    const debit = await pinnedOut.post('/transactions/debit', cardTransaction({ balanceId, amount: 100 }));
    expectProblem(debit, 401, 'UNAUTHORIZED');
    expect(debit.headers['connection']).toBe('close');
    const link = await pinnedOut.post(`/users/${userId}/balances`, {
      balanceId: newBalanceId,
      currency: 'PLN',
    });
    expectProblem(link, 401, 'UNAUTHORIZED');
    expectProblem(await pinnedOut.get(`/users/${userId}/balances`), 401, 'UNAUTHORIZED');

    expect(await antaca.figures(balanceId)).toEqual({ available: 1000, holds: 0, booked: 1000 });
    await (await antaca.operator()).get(`/operator/balances/${newBalanceId}`).expect(404);
  });

  /** A bare TLS handshake with the good certificate, offering only the given protocol versions. */
  function handshake(minVersion: SecureVersion, maxVersion: SecureVersion): Promise<string> {
    const tls = clientWith(certificates.good);
    return new Promise((resolve, reject) => {
      const socket = connect({
        host: '127.0.0.1',
        port,
        ...tls,
        minVersion,
        maxVersion,
        // OpenSSL 3 will not even offer TLS 1.0/1.1 at its default security level: lower it
        // on this client, so that the refusal measured is the server's.
        ciphers: 'DEFAULT@SECLEVEL=0',
      });
      socket.once('secureConnect', () => {
        resolve(socket.getProtocol() ?? 'unknown');
        socket.end();
      });
      socket.once('error', reject);
    });
  }

  it('refuses TLS 1.1 and accepts TLS 1.2 and 1.3', async () => {
    await expect(handshake('TLSv1', 'TLSv1.1')).rejects.toThrow(/alert protocol version/);
    await expect(handshake('TLSv1.2', 'TLSv1.2')).resolves.toBe('TLSv1.2');
    await expect(handshake('TLSv1.3', 'TLSv1.3')).resolves.toBe('TLSv1.3');
  });
});
