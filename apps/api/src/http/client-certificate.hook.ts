import type { FastifyInstance } from 'fastify';
import type { ClientCertificatePolicy } from '@app/security';
import { listenerOf } from './listeners';

/**
 * On the callback listener, a client whose certificate the policy refuses (a pinned-out one;
 * behind a proxy also a missing, foreign or expired one) gets 401 in `onRequest`: before its
 * body is read, before any command runs. The connection is closed too: directly, every later
 * request on it would carry the same certificate.
 */
export function refuseUnallowedClientCertificates(
  fastify: FastifyInstance,
  policy: ClientCertificatePolicy,
): void {
  fastify.addHook('onRequest', async (request, reply) => {
    if (listenerOf(request.raw) !== 'callback') return;
    const refusal = policy.refusalOf(request.raw);
    if (refusal === undefined) return;
    return reply
      .status(401)
      .header('content-type', 'application/json; charset=utf-8')
      .header('connection', 'close')
      .send({ title: 'UNAUTHORIZED', detail: refusal });
  });
}
