import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  encryptFor,
  recipientKeyFrom,
  type Answer,
  type JweDecryptor,
  type RecipientKey,
} from '@app/security';
import { send } from '../answer';
import type { BodyOpener } from '../json-body';
import { isEncryptedRequest, publicKeyHeader, wantsEncryptedResponse } from './encryption-headers';
import {
  CANT_DECRYPT_PAYLOAD,
  ENCRYPTION_REQUIRED,
  INVALID_PAYLOAD,
  INVALID_PUBLIC_KEY,
} from './jwe-problems';

export interface CallbackJweOptions {
  readonly decryptor: JweDecryptor;
  /** `JWE_REQUIRED`: a plain body on the callback API is refused with ENCRYPTION_REQUIRED. */
  readonly required: boolean;
  /** The callback API's own routes: the only ones that speak JWE. */
  readonly onCallbackApi: (request: FastifyRequest) => boolean;
  /** Forced money movements (DOMAIN.md 2): they never answer a body, and a refusal is kept. */
  readonly isForcedRoute: (path: string) => boolean;
  /** Keeps a refused forced request (its bytes as received) for reconciliation. */
  readonly recordRefusedForced: (request: FastifyRequest) => Promise<void>;
}

/** What the body parser decided for a request; answered before the route runs. */
const refusals = new WeakMap<FastifyRequest, Answer>();
/** Whom to encrypt a request's 2xx answer to. */
const recipients = new WeakMap<FastifyRequest, RecipientKey>();

/**
 * JWE on the callback API (DOMAIN.md 7), in three places of Fastify's request lifecycle:
 * - body parsing (the returned `BodyOpener`, used by `registerJsonBodyParser`): an
 *   encrypted body is replaced by its plaintext before anything else reads it, so
 *   validation and the idempotency hash see what a plain request would have sent, and an
 *   encrypted retry is recognised as a retry;
 * - `preHandler`: refusals (the body's, or an unusable `Public-Key`) are answered before
 *   the controller runs, so nothing is applied; they never enter the idempotency cache,
 *   so the same request succeeds once the key problem is fixed;
 * - `onSend`: a 2xx answer with a body is encrypted on its way out. The idempotency cache
 *   keeps the plaintext answer, so a retry with another `Public-Key` is still answered.
 *
 * ENCRYPTION_REQUIRED applies to every callback route that receives a body: the seeds'
 * GETs and empty POSTs carry only the headers, and those have nothing to encrypt.
 * On the forced routes a refused body is still recorded (`recordRefusedForced`) before the
 * JWE error is answered: the money already moved at Antaca, and the record keeps the bytes
 * (still encrypted: they are sensitive) for the operator to reconcile, e.g. after putting
 * back a key that was rotated out too early. A forced route needs no `Public-Key`: its
 * answer is 204 or an error, neither ever encrypted, so that header is not a reason to refuse.
 */
export function registerCallbackJwe(fastify: FastifyInstance, options: CallbackJweOptions): BodyOpener {
  const logger = new Logger('Jwe');
  const forced = (request: FastifyRequest) => options.isForcedRoute(pathOf(request));

  fastify.addHook('preHandler', async (request, reply) => {
    if (!options.onCallbackApi(request)) return;
    const refusal = refusals.get(request) ?? (forced(request) ? undefined : responseKeyRefusal(request));
    if (!refusal) return;
    logger.warn(
      `${refusalTitle(refusal)} on ${request.method} ${pathOf(request)} (correlation ${request.id})`,
    );
    if (forced(request)) await options.recordRefusedForced(request);
    send(reply, refusal);
    return reply;
  });

  fastify.addHook('onSend', async (request, reply, payload) => {
    const recipient = recipients.get(request);
    const status = reply.statusCode;
    if (!recipient || status < 200 || status >= 300 || status === 204) return payload;
    if (payload === null || payload === undefined || payload === '') return payload;
    // Fail closed: an answer that was asked for encrypted never leaves in clear.
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload))
      throw new Error('Cannot encrypt a streamed answer');
    const token = await encryptFor(recipient, Buffer.from(payload));
    void reply.header('content-type', 'application/json; charset=utf-8');
    return JSON.stringify({ payload: token });
  });

  return async (request, received) => {
    if (!options.onCallbackApi(request)) return received;
    if (!isEncryptedRequest(request)) {
      if (!options.required) return received;
      refusals.set(request, ENCRYPTION_REQUIRED);
      return undefined;
    }
    const token = payloadOf(received);
    if (token === undefined) {
      refusals.set(request, INVALID_PAYLOAD);
      return undefined;
    }
    const plaintext = await options.decryptor.decrypt(token);
    if (plaintext === undefined) {
      refusals.set(request, CANT_DECRYPT_PAYLOAD);
      return undefined;
    }
    // Only the holder of the content key can produce a plaintext at all, so telling this
    // case apart from CANT_DECRYPT_PAYLOAD reveals nothing the sender did not know.
    const bytes = Buffer.from(plaintext);
    if (!isJson(bytes)) {
      refusals.set(request, INVALID_PAYLOAD);
      return undefined;
    }
    return bytes;
  };
}

/** INVALID_PUBLIC_KEY when the request wants an encrypted answer and gave no usable key. */
function responseKeyRefusal(request: FastifyRequest): Answer | undefined {
  if (!wantsEncryptedResponse(request)) return undefined;
  const recipient = recipientKeyFrom(publicKeyHeader(request));
  if (!recipient) return INVALID_PUBLIC_KEY;
  recipients.set(request, recipient);
  return undefined;
}

/** The compact JWE of `{"payload": "<jwe>"}`; other fields are ignored. */
function payloadOf(body: Buffer): string | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    const payload =
      typeof value === 'object' && value !== null ? (value as { payload?: unknown }).payload : undefined;
    return typeof payload === 'string' ? payload : undefined;
  } catch {
    return undefined;
  }
}

function isJson(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}

function refusalTitle(answer: Answer): string {
  return (answer.body as { title: string }).title;
}

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? request.url;
}
