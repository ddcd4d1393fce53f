import type { FastifyInstance, FastifyRequest } from 'fastify';
import { JWE_CONTENT_TYPE } from './jwe/encryption-headers';

/**
 * The body bytes the route acts on, for hashing and for the record: as received, or the
 * plaintext of an encrypted body (so a retry encrypted afresh hashes the same).
 */
const RAW_BODY = Symbol('rawBody');
type WithRawBody = FastifyRequest & { [RAW_BODY]?: Buffer };

export function rawBodyOf(request: FastifyRequest): Buffer | undefined {
  return (request as WithRawBody)[RAW_BODY];
}

/** What a route gets as body when the bytes were not JSON but must still be recorded. */
export class UnreadableBody {
  constructor(readonly text: string) {}
}

/**
 * Turns the bytes received into the bytes to parse: the plaintext of an encrypted (JWE)
 * body, the bytes themselves otherwise; `undefined` when the request is refused, which is
 * then answered before the route runs.
 */
export type BodyOpener = (request: FastifyRequest, received: Buffer) => Promise<Buffer | undefined>;

/**
 * JSON bodies (plain, or encrypted and opened by `openBody` first), keeping the exact bytes
 * beside the parsed value. Routes that must never refuse (forced money movements: the money
 * already moved at Antaca) get an `UnreadableBody` instead of a parse error, so they can
 * record it; every other route answers 400.
 * Parsing itself is Fastify's, with its prototype-poisoning protection.
 */
export function registerJsonBodyParser(
  fastify: FastifyInstance,
  mustAccept: (path: string) => boolean,
  openBody: BodyOpener,
): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  const types = ['application/json', JWE_CONTENT_TYPE];
  fastify.addContentTypeParser(types, { parseAs: 'buffer' }, (request, body, done) => {
    const received = body as Buffer;
    (request as WithRawBody)[RAW_BODY] = received;
    openBody(request, received).then((bytes) => {
      if (bytes === undefined) return done(null, undefined);
      (request as WithRawBody)[RAW_BODY] = bytes;
      const text = bytes.toString('utf8');
      void parseJson(request, text, (error, value) => {
        if (error && mustAccept(request.url.split('?')[0] ?? '')) return done(null, new UnreadableBody(text));
        done(error, value);
      });
    }, done);
  });
}
