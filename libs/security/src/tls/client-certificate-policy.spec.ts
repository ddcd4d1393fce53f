import { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { createCertificateAuthority, issueKeyAndCertificate } from './certificate-authority';
import { ClientCertificatePolicy, FORWARDED_CLIENT_CERTIFICATE_HEADER } from './client-certificate-policy';

const DAY_MS = 24 * 60 * 60 * 1000;
const valid = { notBefore: new Date(Date.now() - DAY_MS), notAfter: new Date(Date.now() + DAY_MS) };

function requestFrom(remoteAddress: string, headers: Record<string, string> = {}): IncomingMessage {
  const socket = new Socket();
  Object.defineProperty(socket, 'remoteAddress', { value: remoteAddress });
  return { socket, headers: { ...headers } } as unknown as IncomingMessage;
}

describe('ClientCertificatePolicy', () => {
  it('strips a forwarded certificate when it terminates TLS itself, and refuses a connection without TLS', () => {
    const policy = new ClientCertificatePolicy([]);
    const request = requestFrom('127.0.0.1', { [FORWARDED_CLIENT_CERTIFICATE_HEADER]: 'forged' });

    expect(policy.refusalOf(request)).toBe('A trusted client certificate is required');
    expect(request.headers[FORWARDED_CLIENT_CERTIFICATE_HEADER]).toBeUndefined();
  });

  it('takes an IPv4-mapped address of a configured proxy as that proxy', async () => {
    const ca = await createCertificateAuthority('CN=CA', valid);
    const client = await issueKeyAndCertificate(ca, { usage: 'client', subject: 'CN=antaca' }, valid);
    const policy = new ClientCertificatePolicy([], {
      proxies: ['10.0.0.5'],
      clientCa: new X509Certificate(ca.certificatePem),
      now: () => new Date(),
    });
    const header = { [FORWARDED_CLIENT_CERTIFICATE_HEADER]: encodeURIComponent(client.certificatePem) };

    expect(policy.refusalOf(requestFrom('::ffff:10.0.0.5', header))).toBeUndefined();
    expect(policy.refusalOf(requestFrom('10.0.0.6', header))).toBe(
      'Only the TLS-terminating proxy may call this API',
    );
  });

  it('judges a forwarded certificate by the time of the request', async () => {
    const ca = await createCertificateAuthority('CN=CA', valid);
    const client = await issueKeyAndCertificate(ca, { usage: 'client', subject: 'CN=antaca' }, valid);
    let now = new Date();
    const policy = new ClientCertificatePolicy([], {
      proxies: ['10.0.0.5'],
      clientCa: new X509Certificate(ca.certificatePem),
      now: () => now,
    });
    const request = () =>
      requestFrom('10.0.0.5', {
        [FORWARDED_CLIENT_CERTIFICATE_HEADER]: encodeURIComponent(client.certificatePem),
      });

    expect(policy.refusalOf(request())).toBeUndefined();
    now = new Date(Date.now() + 2 * DAY_MS);
    expect(policy.refusalOf(request())).toBe('A trusted client certificate is required');
  });
});
