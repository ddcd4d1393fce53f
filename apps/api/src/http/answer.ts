import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  fingerprintRequest,
  isAcceptableIdempotencyKey,
  type Answer,
  type RequestFingerprint,
} from '@app/security';
import { Problem } from './problem';

/** Writes an answer recorded by the idempotency layer: status, and JSON body if any. */
export function send(reply: FastifyReply, answer: Answer): void {
  void reply.status(answer.status);
  if (answer.body === undefined) {
    void reply.send();
    return;
  }
  void reply.header('content-type', 'application/json; charset=utf-8').send(answer.body);
}

export const noContent: Answer = { status: 204 };

export function problem(status: number, title: string, detail: string): Answer {
  return { status, body: { title, detail } };
}

export function invalidRequest(fields: readonly string[]): Answer {
  return problem(400, 'INVALID_REQUEST', `Invalid or missing fields: ${fields.join(', ')}`);
}

/**
 * The idempotency identity of a request: its key header (Antaca: `X-Idempotency-Key`,
 * the operator: `Idempotency-Key`) and the hash of method, path and body bytes.
 */
export function fingerprintOf(request: FastifyRequest, keyHeader: string): RequestFingerprint {
  const given = request.headers[keyHeader];
  const key = Array.isArray(given) ? given[0] : given;
  if (key !== undefined && !isAcceptableIdempotencyKey(key)) {
    throw new Problem(400, 'INVALID_REQUEST', `${keyHeader} must be 1-200 printable ASCII characters`);
  }
  const path = request.url.split('?')[0] ?? request.url;
  return fingerprintRequest({
    key,
    method: request.method,
    path,
    body: (request as { rawBody?: Buffer }).rawBody,
  });
}
