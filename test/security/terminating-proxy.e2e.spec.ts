import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import {
  createCertificateAuthority,
  FORWARDED_CLIENT_CERTIFICATE_HEADER,
  issueKeyAndCertificate,
  sha256Fingerprint,
  type CertificateAndKey,
} from '@app/security';
import { Antaca } from '../support/antaca';
import { expectProblem } from '../support/problems';
import { startTestService, type TestService } from '../support/service';

const DAY_MS = 24 * 60 * 60 * 1000;
const now = Date.now();
const valid = { notBefore: new Date(now - DAY_MS), notAfter: new Date(now + 90 * DAY_MS) };
const CA_SUBJECT = 'CN=Fintech client CA, O=Fintech';
const ANTACA = { usage: 'client', subject: 'CN=antaca.verestro.example, O=Verestro' } as const;

/** Behind a TLS-terminating proxy: plain HTTP from the proxy, the client certificate in a header. */
describe('the callback API behind a TLS-terminating proxy', () => {
  const folder = mkdtempSync(join(tmpdir(), 'proxy-'));
  const certificates: Record<string, CertificateAndKey> = {};
  let service: TestService;
  let elsewhere: TestService;

  const forwarded = (certificate: CertificateAndKey) => encodeURIComponent(certificate.certificatePem);
  const link = (base: TestService, userId: string, header?: string) => {
    const call = request(base.callbackUrl)
      .post(`/users/${userId}/balances`)
      .set('X-Idempotency-Key', randomUUID())
      .send({ balanceId: randomUUID(), currency: 'PLN' });
    return header === undefined ? call : call.set(FORWARDED_CLIENT_CERTIFICATE_HEADER, header);
  };
  const newUser = async (base: TestService) => {
    const userId = `u-${randomUUID().slice(0, 8)}`;
    await (await new Antaca(base).operator()).post('/operator/users', { userId }).expect(201);
    return userId;
  };
  const linkedBalances = async (base: TestService, userId: string) =>
    (
      await request(base.callbackUrl)
        .get(`/users/${userId}/balances`)
        .set(FORWARDED_CLIENT_CERTIFICATE_HEADER, forwarded(certificates.good!))
        .expect(200)
    ).body as unknown[];

  beforeAll(async () => {
    const ca = await createCertificateAuthority(CA_SUBJECT, valid);
    const rogueCa = await createCertificateAuthority(CA_SUBJECT, valid);
    Object.assign(certificates, {
      good: await issueKeyAndCertificate(ca, ANTACA, valid),
      expired: await issueKeyAndCertificate(ca, ANTACA, {
        notBefore: new Date(now - 20 * DAY_MS),
        notAfter: new Date(now - DAY_MS),
      }),
      fromRogueCa: await issueKeyAndCertificate(rogueCa, ANTACA, valid),
      pinnedOut: await issueKeyAndCertificate(ca, { usage: 'client', subject: 'CN=other.example' }, valid),
      selfSignedCopy: await createCertificateAuthority(ANTACA.subject, valid),
    });
    writeFileSync(join(folder, 'ca.pem'), ca.certificatePem);
    const settings = {
      TLS_CLIENT_CA_FILE: join(folder, 'ca.pem'),
      TLS_CLIENT_ALLOWED_FINGERPRINTS: sha256Fingerprint(certificates.good!.certificatePem),
    };
    service = await startTestService({ ...settings, TLS_TERMINATING_PROXIES: '127.0.0.1,::1' });
    elsewhere = await startTestService({ ...settings, TLS_TERMINATING_PROXIES: '10.1.2.3' });
  });
  afterAll(async () => {
    await Promise.all([service.stop(), elsewhere.stop()]);
    rmSync(folder, { recursive: true, force: true });
  });

  it('speaks plain HTTP and applies a request carrying a good forwarded certificate', async () => {
    expect(service.callbackUrl).toMatch(/^http:\/\//);
    const userId = await newUser(service);
    await link(service, userId, forwarded(certificates.good!)).expect(204);
    expect(await linkedBalances(service, userId)).toHaveLength(1);
  });

  it.each([
    ['no forwarded certificate', () => undefined],
    ['an unreadable header', () => 'not-a-certificate'],
    ['an expired certificate', () => forwarded(certificates.expired!)],
    ['a certificate from a rogue CA with our CA’s name', () => forwarded(certificates.fromRogueCa!)],
    ['a self-signed copy of the good subject', () => forwarded(certificates.selfSignedCopy!)],
    ['a pinned-out certificate from our CA', () => forwarded(certificates.pinnedOut!)],
  ])('answers %s 401 and applies nothing', async (_, header) => {
    const userId = await newUser(service);
    expectProblem(await link(service, userId, header()), 401, 'UNAUTHORIZED');
    expect(await linkedBalances(service, userId)).toEqual([]);
  });

  it('refuses a caller that is not a configured proxy, even with a good certificate', async () => {
    const userId = await newUser(elsewhere);
    const response = await link(elsewhere, userId, forwarded(certificates.good!));
    expectProblem(response, 401, 'UNAUTHORIZED');
    expect(response.body).toEqual({
      title: 'UNAUTHORIZED',
      detail: 'Only the TLS-terminating proxy may call this API',
    });
  });
});
