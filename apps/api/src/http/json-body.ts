import type { FastifyInstance, FastifyRequest } from 'fastify';

/** The body bytes as received (after TLS; before JWE decryption), for hashing and for the record. */
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
 * JSON bodies, keeping the exact bytes beside the parsed value. Routes that must never
 * refuse (forced money movements: the money already moved at Antaca) get an `UnreadableBody`
 * instead of a parse error, so they can record it; every other route answers 400.
 * Parsing itself is Fastify's, with its prototype-poisoning protection.
 */
export function registerJsonBodyParser(
  fastify: FastifyInstance,
  mustAccept: (path: string) => boolean,
): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    (request as WithRawBody)[RAW_BODY] = bytes;
    const text = bytes.toString('utf8');
    void parseJson(request, text, (error, value) => {
      if (error && mustAccept(request.url.split('?')[0] ?? '')) return done(null, new UnreadableBody(text));
      done(error, value);
    });
  });
}
