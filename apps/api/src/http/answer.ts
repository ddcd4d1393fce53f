import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  fingerprintRequest,
  isAcceptableIdempotencyKey,
  type IdempotentExecutor,
  type Answer,
  type RequestFingerprint,
} from '@app/security';
import { rawBodyOf } from './json-body';
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
 * A malformed key is refused (400), except where the request must not be refused
 * (`malformedKey: 'ignore'`, the forced routes): there the body identifies the request.
 */
export function fingerprintOf(
  request: FastifyRequest,
  keyHeader: string,
  malformedKey: 'refuse' | 'ignore' = 'refuse',
): RequestFingerprint {
  const given = request.headers[keyHeader];
  let key = Array.isArray(given) ? given[0] : given;
  if (key !== undefined && !isAcceptableIdempotencyKey(key)) {
    if (malformedKey === 'refuse') {
      throw new Problem(400, 'INVALID_REQUEST', `${keyHeader} must be 1-200 printable ASCII characters`);
    }
    key = undefined;
  }
  const path = request.url.split('?')[0] ?? request.url;
  return fingerprintRequest({ key, method: request.method, path, body: rawBodyOf(request) });
}

/**
 * The shape of every idempotent callback route: identify the request, work out its answer
 * at most once (`work` gets the fingerprint to record with the outcome), send the answer.
 */
export async function answerOnce(
  executor: IdempotentExecutor,
  request: FastifyRequest,
  reply: FastifyReply,
  keyHeader: string,
  work: (fingerprint: RequestFingerprint) => Promise<Answer>,
  malformedKey: 'refuse' | 'ignore' = 'refuse',
): Promise<void> {
  const fingerprint = fingerprintOf(request, keyHeader, malformedKey);
  send(reply, await executor.execute(fingerprint, () => work(fingerprint)));
}
